import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FlowScript, StepScript } from './flow-script.js'

/**
 * The demo flows' definitions are files in the repository (`emulator/flows/`), as a team keeps its
 * own: the emulator serves each file's text as the flow's Definition and FlowDefinition, so the
 * action run in a workspace holding them places a failed step at its lines. A test checks that
 * each file says what its script runs (emulator/__tests__/demo-flows.test.ts).
 */
export const DEMO_FLOW_FILES: Readonly<Record<string, string>> = Object.freeze({
  'release-pipeline': flowFile('release-pipeline.yaml'),
  'nightly-etl': flowFile('nightly-etl.yaml'),
  'nightly-etl-cloudflow': flowFile('nightly-etl-cloudflow.yaml')
})

function flowFile(name: string): string {
  return fileURLToPath(new URL(`./flows/${name}`, import.meta.url))
}

function definitionOf(flow: string): string {
  return readFileSync(DEMO_FLOW_FILES[flow]!, 'utf8')
}

/** Succeeds after about 3 s of emulated time, with an output built from the input. */
export const RELEASE_PIPELINE: FlowScript = {
  name: 'release-pipeline',
  description: 'Build, test and deploy a release (emulator demo: succeeds).',
  roleArn: 'acs:ram::123456789012:role/fnf-release',
  definition: definitionOf('release-pipeline'),
  steps: [
    { type: 'task', name: 'checkout', durationMs: 300, output: { commit: '9f2c1e4' } },
    {
      type: 'parallel',
      name: 'build-and-test',
      branches: [
        [
          { type: 'task', name: 'unit-tests', durationMs: 900 },
          { type: 'task', name: 'lint', durationMs: 250 }
        ],
        // A flaky build: one retried attempt, then success.
        [{ type: 'task', name: 'build-image', durationMs: 500, retries: 1, retryIntervalMs: 100 }]
      ]
    },
    { type: 'wait', name: 'cool-down', durationMs: 500 },
    { type: 'task', name: 'deploy', durationMs: 700, output: { deployed: true } }
  ],
  output: (input: unknown) => {
    const version = (input as { version?: string }).version ?? '0.0.0'
    return {
      version,
      imageDigest: 'sha256:4f1b0c7d9e2a63b8a1c5d0e9f7a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6',
      url: `https://releases.example.com/${version}`
    }
  }
}

/**
 * Fails deep inside: transform (parallel) › branch 1 › load-partitions (foreach) › iteration 2 ›
 * load-partition, a task that is retried twice, then fails with a Function Compute error. Earlier,
 * validate-schema fails but is caught, so the execution goes on past it.
 */
export const NIGHTLY_ETL: FlowScript = {
  name: 'nightly-etl',
  description: 'Nightly extract/transform/load (emulator demo: fails in a nested step).',
  roleArn: 'acs:ram::123456789012:role/fnf-etl',
  definition: definitionOf('nightly-etl'),
  steps: etlSteps()
}

/** NIGHTLY_ETL in the CloudFlow spec (`Type: StateMachine`): the same steps, the same failure. */
export const NIGHTLY_ETL_CLOUDFLOW: FlowScript = {
  name: 'nightly-etl-cloudflow',
  description: 'Nightly ETL in the CloudFlow spec (emulator demo: fails in a nested step).',
  roleArn: 'acs:ram::123456789012:role/fnf-etl',
  spec: 'cloudflow',
  definition: definitionOf('nightly-etl-cloudflow'),
  steps: etlSteps()
}

function etlSteps(): StepScript[] {
  return [
    { type: 'task', name: 'extract', durationMs: 400, output: { rows: 120000 } },
    {
      type: 'task',
      name: 'validate-schema',
      durationMs: 200,
      catch: true,
      fail: { error: 'Validation.SchemaDrift', cause: 'column "region" is new; continuing' }
    },
    {
      type: 'parallel',
      name: 'transform',
      branches: [
        [{ type: 'task', name: 'aggregate', durationMs: 2500 }],
        [
          {
            type: 'foreach',
            name: 'load-partitions',
            iterations: 4,
            concurrency: 2,
            steps: [
              { type: 'task', name: 'load-partition', durationMs: 300, retryIntervalMs: 100 }
            ],
            failAt: {
              iteration: 2,
              step: 'load-partition',
              retries: 2,
              error: {
                error: 'FC.ConnectionTimeout',
                cause: {
                  errorMessage: 'connect ETIMEDOUT 10.0.3.7:5432',
                  errorType: 'ConnectionTimeout',
                  stackTrace: ['at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1141:16)']
                }
              }
            }
          }
        ]
      ]
    },
    { type: 'task', name: 'publish', durationMs: 300 }
  ]
}

export const DEMO_FLOWS: FlowScript[] = [RELEASE_PIPELINE, NIGHTLY_ETL, NIGHTLY_ETL_CLOUDFLOW]

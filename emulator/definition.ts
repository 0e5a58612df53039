import { renderCloudFlow } from './definition-cloudflow.js'
import type { FlowScript, StepScript } from './flow-script.js'
import { quote } from './yaml.js'

/**
 * The definition DescribeFlow and DescribeExecution return: the script's `spec`, else CloudFlow
 * for a flow with a distributed Map (legacy FDL has none), else legacy FDL.
 */
export function renderDefinition(flow: FlowScript): string {
  const cloudflow = flow.steps.some((s) => s.type === 'map')
  if (cloudflow && flow.spec === 'fdl') {
    throw new Error(`flow ${flow.name}: legacy FDL has no distributed Map; use spec 'cloudflow'`)
  }
  return (flow.spec ?? (cloudflow ? 'cloudflow' : 'fdl')) === 'cloudflow'
    ? renderCloudFlow(flow)
    : renderFdl(flow)
}

/**
 * Renders a flow script as legacy FDL YAML (`version: v1`, `type: flow`), so DescribeFlow and
 * DescribeExecution return a definition that looks like the service's. It is only for display;
 * nothing parses it back.
 */
function renderFdl(flow: FlowScript): string {
  const lines = ['version: v1', 'type: flow']
  if (flow.timeoutMs !== undefined)
    lines.push(`timeoutSeconds: ${Math.ceil(flow.timeoutMs / 1000)}`)
  lines.push('steps:')
  steps(flow.steps, '  ', lines)
  return lines.join('\n') + '\n'
}

function steps(list: StepScript[], indent: string, out: string[]): void {
  for (const s of list) step(s, indent, out)
}

function step(s: StepScript, indent: string, out: string[]): void {
  const type = s.type === 'custom' ? 'pass' : s.type
  out.push(`${indent}- type: ${type}`)
  const at = `${indent}  `
  out.push(`${at}name: ${quote(s.name || 'custom')}`)
  switch (s.type) {
    case 'task':
      out.push(
        `${at}resourceArn: ${quote(s.resourceArn ?? `acs:fc:::services/emulator/functions/${s.name}`)}`
      )
      if (s.timeoutMs !== undefined)
        out.push(`${at}timeoutSeconds: ${Math.ceil(s.timeoutMs / 1000)}`)
      if (s.retries) {
        out.push(`${at}retry:`, `${at}  - errors: [FnF.ALL]`, `${at}    maxAttempts: ${s.retries}`)
      }
      break
    case 'wait':
      out.push(`${at}duration: ${Math.ceil((s.durationMs ?? 1000) / 1000)}`)
      break
    case 'fail':
      out.push(`${at}error: ${quote(s.error)}`, `${at}cause: ${quote(JSON.stringify(s.cause))}`)
      break
    case 'choice':
      out.push(`${at}choices:`)
      s.branches.forEach((branch, i) => {
        out.push(`${at}  - condition: $.branch == ${i}`, `${at}    steps:`)
        steps(branch, `${at}      `, out)
      })
      break
    case 'parallel':
      out.push(`${at}branches:`)
      for (const branch of s.branches) {
        out.push(`${at}  - steps:`)
        steps(branch, `${at}      `, out)
      }
      break
    case 'foreach':
      out.push(`${at}iterationMapping:`, `${at}  collection: $.items`, `${at}  item: item`)
      if (s.concurrency !== undefined) out.push(`${at}maxConcurrency: ${s.concurrency}`)
      out.push(`${at}steps:`)
      steps(s.steps, `${at}  `, out)
      break
    default:
      break
  }
  if (s.type !== 'custom' && s.catch) {
    out.push(`${at}catch:`, `${at}  - errors: [FnF.ALL]`, `${at}    goto: next`)
  }
}

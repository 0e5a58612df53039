import type { FlowScript, StepScript } from './flow-script.js'
import { quote } from './yaml.js'

/**
 * Renders a flow script in the CloudFlow spec (`Type: StateMachine`, `SpecVersion: v1`), the only
 * one with a distributed Map (fnf-api.md §5; the distributed-mode page). Like the legacy renderer
 * it is only for display: states follow each other with `Next`, the last one has `End: true`, and
 * a choice's branches follow the choice in the same list.
 */
export function renderCloudFlow(flow: FlowScript): string {
  const lines = ['Type: StateMachine', 'SpecVersion: v1', `Name: ${quote(flow.name)}`]
  if (flow.timeoutMs !== undefined) lines.push(`Timeout: ${Math.ceil(flow.timeoutMs / 1000)}`)
  machine(flow.steps, '', lines)
  return lines.join('\n') + '\n'
}

/** `StartAt` and `States` of a state machine (the flow, a branch, a processor). */
function machine(steps: StepScript[], indent: string, out: string[]): void {
  out.push(`${indent}StartAt: ${quote(stateName(steps[0]))}`, `${indent}States:`)
  machineStates(steps, indent + '  ', out)
}

/** The states of a machine; an empty one gets a Pass state, since `StartAt` must name one. */
function machineStates(steps: StepScript[], indent: string, out: string[]): void {
  if (steps.length > 0) return states(steps, undefined, indent, out)
  out.push(`${indent}- Type: Pass`, `${indent}  Name: empty`, `${indent}  End: true`)
}

function states(steps: StepScript[], after: string | undefined, indent: string, out: string[]) {
  steps.forEach((s, i) => {
    const next = steps[i + 1] ? stateName(steps[i + 1]) : after
    state(s, next, indent, out)
  })
}

function state(s: StepScript, next: string | undefined, indent: string, out: string[]): void {
  const at = `${indent}  `
  out.push(`${indent}- Type: ${TYPES[s.type]}`, `${at}Name: ${quote(stateName(s))}`)
  switch (s.type) {
    case 'task':
      out.push(
        `${at}Action: FC:InvokeFunction`,
        `${at}TaskMode: RequestComplete`,
        `${at}Parameters:`,
        `${at}  resourceArn: ${quote(s.resourceArn ?? `acs:fc:::services/emulator/functions/${s.name}`)}`
      )
      if (s.timeoutMs !== undefined) out.push(`${at}Timeout: ${Math.ceil(s.timeoutMs / 1000)}`)
      if (s.retries) {
        out.push(`${at}Retry:`, `${at}  - Errors: [FnF.ALL]`, `${at}    MaxAttempts: ${s.retries}`)
      }
      break
    case 'wait':
      out.push(`${at}Seconds: ${Math.ceil((s.durationMs ?? 1000) / 1000)}`)
      break
    case 'fail':
      out.push(`${at}Code: ${quote(s.error)}`, `${at}Detail: ${quote(JSON.stringify(s.cause))}`)
      return
    case 'parallel':
      out.push(`${at}Branches:`)
      for (const branch of s.branches) {
        out.push(`${at}  - StartAt: ${quote(stateName(branch[0]))}`, `${at}    States:`)
        machineStates(branch, `${at}      `, out)
      }
      break
    case 'foreach':
      out.push(`${at}ItemsPath: $Input.items`)
      if (s.concurrency !== undefined) out.push(`${at}MaxConcurrency: ${s.concurrency}`)
      out.push(`${at}Processor:`)
      machine(s.steps, `${at}  `, out)
      break
    case 'map': {
      const mode = s.childMode === 'express' ? 'Express' : 'Standard'
      out.push(
        `${at}ItemsPath: $Input.items`,
        `${at}ProcessorConfig:`,
        `${at}  Mode: Distributed`,
        `${at}  ExecutionMode: ${mode}`,
        `${at}MaxConcurrency: ${s.concurrency ?? 100}`,
        `${at}MaxItems: ${s.maxItems ?? 10000}`
      )
      if (s.toleratedFailureCount !== undefined) {
        out.push(`${at}ToleratedFailureCount: ${s.toleratedFailureCount}`)
      }
      if (s.toleratedFailurePercentage !== undefined) {
        out.push(`${at}ToleratedFailurePercentage: ${s.toleratedFailurePercentage}`)
      }
      // A child script per item is rendered from item 0's.
      const child = typeof s.child === 'function' ? s.child(0) : s.child
      out.push(`${at}Processor:`)
      machine(child.steps, `${at}  `, out)
      break
    }
    case 'choice':
      out.push(`${at}Branches:`)
      s.branches.forEach((branch, i) => {
        out.push(`${at}  - Condition: $Input.branch == ${i}`)
        out.push(`${at}    Next: ${quote(branch[0] ? stateName(branch[0]) : (next ?? 'end'))}`)
      })
      out.push(next === undefined ? `${at}End: true` : `${at}Default: ${quote(next)}`)
      for (const branch of s.branches) states(branch, next, indent, out)
      return
    default:
      break
  }
  if (s.type !== 'custom' && s.catch) {
    const to = next ?? 'end'
    out.push(`${at}Catch:`, `${at}  - Errors: [FnF.ALL]`, `${at}    Next: ${quote(to)}`)
  }
  out.push(next === undefined ? `${at}End: true` : `${at}Next: ${quote(next)}`)
}

const TYPES: Record<StepScript['type'], string> = {
  task: 'Task',
  pass: 'Pass',
  wait: 'Wait',
  fail: 'Fail',
  choice: 'Choice',
  parallel: 'Parallel',
  foreach: 'Map',
  map: 'Map',
  custom: 'Pass'
}

function stateName(s: StepScript | undefined): string {
  return s === undefined ? 'empty' : s.name || 'custom'
}

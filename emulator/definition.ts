import type { FlowScript, StepScript } from './flow-script.js'

/**
 * Renders a flow script as legacy FDL YAML (`version: v1`, `type: flow`), so DescribeFlow and
 * DescribeExecution return a definition that looks like the service's. It is only for display;
 * nothing parses it back.
 */
export function renderDefinition(flow: FlowScript): string {
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

function quote(value: string): string {
  return /^[A-Za-z0-9_.:/$-]+$/.test(value) ? value : JSON.stringify(value)
}

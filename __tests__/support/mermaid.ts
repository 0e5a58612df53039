/**
 * Mermaid's own parser for the diagrams our reports write. `mermaid.parse` runs the real gantt
 * grammar (jison) plus Mermaid's preprocessing (directives, comments, entities); the diagram's db
 * then tells what Mermaid understood: every bar with its label, id, section, times and tags.
 * Gantt parsing needs no DOM (checked), so this runs in jest's node environment.
 */
import mermaid from 'mermaid'

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })

/** Mermaid's diagram size limit (`maxTextSize`). */
export const MERMAID_MAX_TEXT = 50_000

export interface GanttTask {
  task: string
  id: string
  section: string
  start: number
  end: number
  crit: boolean
  done: boolean
  active: boolean
}

export interface ParsedGantt {
  text: string
  tasks: GanttTask[]
  sections: string[]
}

/** The bodies of every ```mermaid block in `markdown`, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '')
}

interface RawTask {
  task: string
  id: string
  section: string
  startTime: Date
  endTime: Date
  crit?: boolean | null
  done?: boolean | null
  active?: boolean | null
}

/** Parses one diagram with Mermaid; throws Mermaid's error if it does not parse as a gantt. */
export async function parseGantt(text: string): Promise<ParsedGantt> {
  const type = await mermaid.parse(text)
  if (type.diagramType !== 'gantt') {
    throw new Error(`not a gantt: ${JSON.stringify(type)}`)
  }
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text)
  const db = diagram.db as unknown as { getTasks(): RawTask[]; getSections(): string[] }
  const tasks = db.getTasks().map((t) => ({
    task: t.task,
    id: t.id,
    section: t.section,
    start: t.startTime.getTime(),
    end: t.endTime.getTime(),
    crit: t.crit === true,
    done: t.done === true,
    active: t.active === true
  }))
  return { text, tasks, sections: db.getSections() }
}

/** Every diagram in `markdown`, parsed. */
export async function parseGantts(markdown: string): Promise<ParsedGantt[]> {
  const out: ParsedGantt[] = []
  for (const block of mermaidBlocks(markdown)) out.push(await parseGantt(block))
  return out
}

/** The `output-file` input: a path the step may create or overwrite, never a device, FIFO or directory. */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { InputError } from './errors.js'

/**
 * Refuses a path that exists and is not a regular file (a FIFO or /proc entry would block the
 * write, a device would swallow it), before any request is made. The writer checks again as it
 * opens the file (step/write-outputs.ts), since the path may change in between.
 */
export function checkOutputFile(path: string): void {
  // Kernel file systems: their "regular" files are interfaces (a write may block or act).
  const system = /^\/(proc|sys|dev)(\/|$)/.exec(resolve(path))?.[1]
  if (system) {
    throw new InputError(
      `Input "output-file" is "${path}", which is under /${system}, not a regular file: give the ` +
        'path of a file to create or overwrite (e.g. under $RUNNER_TEMP).'
    )
  }
  let kind: string | undefined
  try {
    kind = fileKind(statSync(path))
  } catch {
    // Absent: the step creates it. Any other trouble shows (as a warning) when it is written.
    return
  }
  if (kind !== 'file') {
    throw new InputError(
      `Input "output-file" is "${path}", which is ${kind}, not a regular file: give the path ` +
        'of a file to create or overwrite (e.g. under $RUNNER_TEMP).'
    )
  }
}

export function fileKind(stats: {
  isFile(): boolean
  isDirectory(): boolean
  isFIFO(): boolean
  isSocket(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
}): string {
  if (stats.isFile()) return 'file'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

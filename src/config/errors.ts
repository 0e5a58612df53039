/** What every input parser shares: the error a user must fix, and how inputs and the environment are read. */

/** An input the user must fix; its message names the input, the value and the rule. */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** Returns '' for an unset input. */
export type InputReader = (name: string) => string
export type Env = Record<string, string | undefined>

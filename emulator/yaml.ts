/** A YAML scalar for the rendered definitions: bare when it is plainly safe, else a JSON string. */
export function quote(value: string): string {
  return /^[A-Za-z0-9_.:/$-]+$/.test(value) ? value : JSON.stringify(value)
}

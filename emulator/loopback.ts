/** What the credential fakes share: a server on 127.0.0.1 and a close that can be repeated. */
import type http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Stops the server and drops its open connections; a second call returns the first's promise. */
  close(): Promise<void>
}

/** Listens on 127.0.0.1:`port` (0: any free port); rejects when the port cannot be had. */
export async function listenOnLoopback(server: http.Server, port = 0): Promise<Loopback> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const { port: bound } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${bound}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    }
  }
}

// The cold-start baseline: node loading one small ES module that sends one HTTP request to the
// emulator (INPUT_ENDPOINT, as the action gets it) and exits. bench/cold-start.ts times it from
// the spawn to the request's arrival, exactly as it times dist/index.js.
import { request } from 'node:http'

// agent: false, because Node 20's global agent keeps the socket alive and so the process too.
const req = request(`${process.env.INPUT_ENDPOINT}/?Action=DescribeExecution`, { agent: false })
req.on('response', (res) => res.resume())
req.on('error', (error) => {
  console.error(error)
  process.exitCode = 1
})
req.end()

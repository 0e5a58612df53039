// What the bundle loads in place of `undici`'s index (scripts/package.mjs maps every `undici`
// import to this file: ours, and @actions/http-client's). The index loads all of undici, fetch,
// cache, mock and WebSocket included, and fetch's cookies read `globalThis.Headers`, which makes
// Node load its own copy of undici as well: most of the time from spawn to first request. The
// step needs only the dispatchers (every request, GitHub's included, is one `request()` on them:
// src/http/attempt.ts). Same modules, one copy: these are undici's own files, as its index wires
// them.
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js'
import api from 'undici/lib/api/index.js'
import Agent from 'undici/lib/dispatcher/agent.js'
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'

// As undici's index does: `dispatcher.request()` and friends live on the prototype.
Object.assign(Dispatcher.prototype, api)

export { Dispatcher, Agent, ProxyAgent, EnvHttpProxyAgent }

// The types of undici-lean.mjs: the parts of undici it hands out, as undici declares them.
export { Agent, Dispatcher, EnvHttpProxyAgent, ProxyAgent } from 'undici'

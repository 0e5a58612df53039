// Types of node24.mjs (plain JavaScript: jest.config.js and the jest setups load it with node alone).
export declare const RUNTIME_MAJOR: number
export declare const PACKAGED_NODE: string
export declare interface Host {
  env: Record<string, string | undefined>
  platform: string
  arch: string
}
export declare function node24Path(host?: Host): string
export declare function checkNode24(path: string): string
export declare function runsOnPackagedNode(execPath?: string): boolean

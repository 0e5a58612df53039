// Types of bundle-sources.mjs (plain JavaScript: scripts/package.mjs runs it with node alone).
export declare const STAMP: string
export declare function sourcesHash(root: string): string
export declare function bundledSources(dir: string): string | undefined
export declare function freshDist(root: string): string | undefined

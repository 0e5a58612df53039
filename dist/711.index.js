export const id = 711;
export const ids = [711];
export const modules = {

/***/ 3711:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFINITION_ENDINGS: () => (/* reexport */ DEFINITION_ENDINGS),
  DEFINITION_LIMITS: () => (/* reexport */ DEFINITION_LIMITS),
  FIND_LIMITS: () => (/* reexport */ FIND_LIMITS),
  blobUrl: () => (/* reexport */ blobUrl),
  commitOf: () => (/* reexport */ commitOf),
  compareDefinition: () => (/* reexport */ compareDefinition),
  executedData: () => (/* reexport */ executedData),
  findDefinition: () => (/* reexport */ findDefinition),
  locateStep: () => (/* reexport */ locateStep),
  locationOf: () => (/* reexport */ locationOf),
  parseDefinition: () => (/* reexport */ parseDefinition)
});

;// CONCATENATED MODULE: ./src/definition/blob-url.ts
/**
 * The link to a definition's lines on GitHub: `{server}/{repo}/blob/{sha}/{path}#L{start}-L{end}`.
 * Pure: the runner's values in (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_SHA`, the event
 * payload of `GITHUB_EVENT_PATH`), a URL or the reason there is none out. Anything odd is refused
 * rather than linked: a server URL with credentials, a path, a query or a fragment; a repository
 * or SHA not of GitHub's form; a file path with an empty, `.` or `..` segment or a control
 * character. Path segments are percent-encoded.
 */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function blobUrl(input) {
    const server = origin(input.serverUrl);
    if (server === undefined)
        return refused('GITHUB_SERVER_URL is not a plain http(s) origin');
    const repository = input.repository ?? '';
    if (!REPOSITORY.test(repository) || /\/\.\.?$/.test(repository)) {
        return refused('GITHUB_REPOSITORY is not of the form owner/name');
    }
    const commit = commitOf(input.sha, input.event);
    if (commit.kind === 'refused')
        return commit;
    const path = encodePath(input.file);
    if (path === undefined)
        return refused('the file path is not a plain workspace-relative path');
    const { startLine, endLine } = input;
    if (!Number.isInteger(startLine) ||
        !Number.isInteger(endLine) ||
        startLine < 1 ||
        endLine < startLine) {
        return refused('the line range is not 1 ≤ start ≤ end');
    }
    return {
        kind: 'url',
        url: `${server}/${repository}/blob/${commit.sha}/${path}#L${startLine}-L${endLine}`
    };
}
/** The pull request's head SHA when the event is a pull request's, else `GITHUB_SHA`. */
function commitOf(sha, event) {
    const pull = field(event, 'pull_request');
    if (pull !== undefined) {
        const head = field(field(pull, 'head'), 'sha');
        return typeof head === 'string' && SHA.test(head)
            ? { kind: 'sha', sha: head }
            : refused("the pull request event's head SHA is not a commit SHA");
    }
    return sha !== undefined && SHA.test(sha)
        ? { kind: 'sha', sha }
        : refused('GITHUB_SHA is not a commit SHA');
}
function origin(serverUrl) {
    if (serverUrl === undefined)
        return undefined;
    let url;
    try {
        url = new URL(serverUrl);
    }
    catch {
        return undefined;
    }
    const plain = (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === '' &&
        url.pathname === '/' &&
        url.search === '' &&
        url.hash === '' &&
        !serverUrl.includes('?') &&
        !serverUrl.includes('#');
    return plain ? url.origin : undefined;
}
function encodePath(file) {
    const segments = file.split('/');
    const odd = (s) => 
    // eslint-disable-next-line no-control-regex
    s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f]/.test(s);
    return segments.some(odd) ? undefined : segments.map(encodeURIComponent).join('/');
}
function field(value, key) {
    return typeof value === 'object' && value !== null
        ? value[key]
        : undefined;
}
function refused(reason) {
    return { kind: 'refused', reason };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/definition/format.ts
/**
 * The two shapes a flow definition has, and where each keeps its steps. Pure.
 *
 * Legacy FDL (`version: v1`, `type: flow`, alibabacloud.com/help/doc-detail/193803.htm): `steps:`
 * of `name:`/`type:`; `parallel` has `branches:` each with `steps:`; `foreach` has `steps:`;
 * `choice` has `choices:` each with `steps:` (or `goto`) and `default:` with `steps:` (or `goto`)
 * (alibabacloud.com/help/en/serverless-workflow/latest/choice-steps).
 *
 * CloudFlow (`Type: StateMachine`, `SpecVersion: v1`, alibabacloud.com/help/en/serverless-workflow/
 * latest/process-definition-introduction): `States:` of `Name:`/`Type:`; `Parallel` has
 * `Branches:` each with `StartAt`/`States:` (…/latest/parallel); `Map` has `Processor:` with
 * `StartAt`/`States:` in inline and in distributed mode alike, the mode being `ProcessorConfig`
 * (`ExecutionMode: Express` in the 2024 page, "the mode specified by ProcessorConfig" in the 2026
 * one; …/latest/inline-mode, …/latest/distributed-mode), and a distributed Map's sub-workflow runs
 * "the state transition definitions of the Map processor"; `Choice` has `Branches:` of
 * `Condition`/`Next` and a `Default` state name (…/latest/select-choice): it only jumps to states of
 * its own list, so it holds no steps.
 */

const FDL = {
    format: 'fdl',
    title: 'legacy FDL',
    stepsKey: 'steps',
    nameKey: 'name',
    typeKey: 'type',
    branchesKey: 'branches',
    shapes: { parallel: 'parallel', foreach: 'foreach', choice: 'choice', task: 'task' },
    branches: (step, doc) => listsOf(member(step, 'branches', doc), 'steps', doc),
    body: (step, doc) => seq(member(step, 'steps', doc), doc),
    choices: (step, doc) => [
        ...listsOf(member(step, 'choices', doc), 'steps', doc),
        seq(member(mapping(member(step, 'default', doc), doc), 'steps', doc), doc)
    ]
};
const CLOUDFLOW = {
    format: 'cloudflow',
    title: 'CloudFlow',
    stepsKey: 'States',
    nameKey: 'Name',
    typeKey: 'Type',
    branchesKey: 'Branches',
    shapes: { Parallel: 'parallel', Map: 'foreach', Choice: 'choice', Task: 'task' },
    branches: (step, doc) => listsOf(member(step, 'Branches', doc), 'States', doc),
    body: (step, doc) => seq(member(mapping(member(step, 'Processor', doc), doc), 'States', doc), doc),
    choices: () => []
};
/**
 * The rules for a document's top level: CloudFlow when it says `Type: StateMachine` or has
 * `States`, legacy FDL when it says `type: flow` or has `steps`.
 */
function formatOf(doc) {
    const root = mapping(doc.contents, doc);
    if (root === undefined)
        return undefined;
    if (format_text(member(root, 'Type', doc)) === 'StateMachine' || root.has('States'))
        return CLOUDFLOW;
    if (format_text(member(root, 'type', doc)) === 'flow' || root.has('steps'))
        return FDL;
    return undefined;
}
/** A mapping's value under `key`, aliases resolved. */
function member(map, key, doc) {
    if (map === undefined)
        return undefined;
    return resolved(map.get(key, true), doc);
}
function resolved(node, doc) {
    if (node === null || node === undefined)
        return undefined;
    return (0,dist/* isAlias */.Vj)(node) ? node.resolve(doc) : node;
}
function mapping(node, doc) {
    const value = resolved(node, doc);
    return (0,dist/* isMap */.jh)(value) ? value : undefined;
}
function seq(node, doc) {
    const value = resolved(node, doc);
    return (0,dist/* isSeq */.oP)(value) ? value : undefined;
}
/** A scalar as the service reads a name: the string, or a number or boolean as it was written. */
function format_text(node) {
    if (!(0,dist/* isScalar */.jn)(node))
        return undefined;
    if (typeof node.value === 'string')
        return node.value;
    return node.source ?? String(node.value);
}
function listsOf(list, key, doc) {
    const items = (0,dist/* isSeq */.oP)(list) ? list.items : [];
    return items.map((item) => seq(member(mapping(item, doc), key, doc), doc));
}

;// CONCATENATED MODULE: ./src/definition/glob.ts
/**
 * The `definition` input's wildcards, matched against `/`-separated workspace-relative paths. Pure.
 * Kept small on purpose (Node 20's `path.matchesGlob` is experimental and warns on stderr):
 * - `*` any run of characters within one directory or file name, `?` exactly one;
 * - `**` as a whole segment: any number of directories, none included;
 * - anything else, `[`, `{` and `\` included, stands for itself; names starting with `.` match too.
 * Both levels match without backtracking regexes, in time proportional to the lengths multiplied.
 */
function hasWildcard(pattern) {
    return pattern.includes('*') || pattern.includes('?');
}
function globMatcher(pattern) {
    const segments = pattern.split('/');
    return (path) => matchSegments(segments, path.split('/'));
}
/** reach[j]: the pattern segments read so far can end just before path segment j. */
function matchSegments(pattern, parts) {
    let reach = new Array(parts.length + 1).fill(false);
    reach[0] = true;
    for (const segment of pattern) {
        const next = new Array(parts.length + 1).fill(false);
        const first = reach.indexOf(true);
        if (first < 0)
            return false;
        if (segment === '**') {
            for (let k = first; k <= parts.length; k++)
                next[k] = true;
        }
        else {
            for (let j = first; j < parts.length; j++) {
                if (reach[j] && matchName(segment, parts[j]))
                    next[j + 1] = true;
            }
        }
        reach = next;
    }
    return reach[parts.length] === true;
}
/** `*` and `?` within one name: the classic two-pointer match, retrying from the last `*`. */
function matchName(pattern, name) {
    let p = 0;
    let n = 0;
    let star = -1;
    let resume = 0;
    while (n < name.length) {
        if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
            p += 1;
            n += 1;
        }
        else if (p < pattern.length && pattern[p] === '*') {
            star = p;
            resume = n;
            p += 1;
        }
        else if (star >= 0) {
            p = star + 1;
            resume += 1;
            n = resume;
        }
        else {
            return false;
        }
    }
    while (p < pattern.length && pattern[p] === '*')
        p += 1;
    return p === pattern.length;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/definition/list-files.ts
/**
 * The files of a workspace, as `/`-separated workspace-relative paths: the ones git tracks when the
 * workspace is a git checkout (`git ls-files`), else a walk that skips `.git` and `node_modules`
 * and follows no symlink. Both stop at a cap and say so.
 */



const SKIPPED = new Set(['.git', 'node_modules']);
const MAX_DEPTH = 32;
/** Directory entries a walk reads at most, files and directories alike. */
const MAX_ENTRIES = 200_000;
async function listWorkspaceFiles(root, options) {
    const tracked = (await isGitCheckout(root)) ? await gitFiles(root, options) : undefined;
    return tracked ?? (await walkFiles(root, options));
}
async function isGitCheckout(root) {
    try {
        await (0,promises_.lstat)((0,external_node_path_.join)(root, '.git')); // a directory, or a file in a worktree or submodule
        return true;
    }
    catch {
        return false;
    }
}
/** Undefined when git is missing or refuses (a "dubious ownership" checkout, say): walk instead. */
function gitFiles(root, options) {
    const specs = (options.endings ?? []).map((e) => `:(icase)*${e}`);
    return new Promise((resolve) => {
        const files = [];
        let complete = true;
        let rest = '';
        const child = (0,external_node_child_process_.spawn)('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--', ...specs], {
            cwd: root,
            stdio: ['ignore', 'pipe', 'ignore'],
            env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }
        });
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
            if (!complete)
                return;
            const parts = (rest + chunk).split('\0');
            rest = parts.pop() ?? '';
            for (const path of parts) {
                if (!wanted(path, options))
                    continue;
                if (files.length === options.maxFiles) {
                    complete = false;
                    child.kill();
                    return;
                }
                files.push(path);
            }
        });
        child.on('error', () => resolve(undefined));
        child.on('close', (code) => {
            if (!complete)
                resolve({ files, complete, source: 'git' });
            else
                resolve(code === 0 ? { files, complete, source: 'git' } : undefined);
        });
    });
}
/** Breadth first, names sorted, so the same tree always lists the same way. */
async function walkFiles(root, options) {
    const files = [];
    const queue = [{ dir: '', depth: 0 }];
    let entries = 0;
    let complete = true;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        let names;
        try {
            names = await (0,promises_.readdir)((0,external_node_path_.join)(root, next.dir), { withFileTypes: true });
        }
        catch {
            continue; // unreadable: nothing of it can be the definition
        }
        names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of names) {
            entries += 1;
            const path = next.dir === '' ? entry.name : `${next.dir}/${entry.name}`;
            if (entries > MAX_ENTRIES || files.length > options.maxFiles) {
                return { files: files.slice(0, options.maxFiles), complete: false, source: 'walk' };
            }
            if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
                if (next.depth + 1 > MAX_DEPTH)
                    complete = false;
                else
                    queue.push({ dir: path, depth: next.depth + 1 });
            }
            else if (entry.isFile() && wanted(path, options)) {
                files.push(path);
            }
        }
    }
    if (files.length > options.maxFiles)
        return { files: files.slice(0, options.maxFiles), complete: false, source: 'walk' };
    return { files, complete, source: 'walk' };
}
function wanted(path, options) {
    if (options.endings === undefined)
        return true;
    const lower = path.toLowerCase();
    return options.endings.some((e) => lower.endsWith(e));
}

;// CONCATENATED MODULE: ./src/definition/parse.ts
/**
 * Parses a flow definition (YAML, or JSON, which is YAML) with the position of every node, inside
 * fixed bounds. Pure: the text in, a parsed definition or the reason it is not one out.
 */

/**
 * A StartExecution or CreateFlow request is at most 1,024 KiB (fnf-api.md §10, "limits"), so no
 * definition the service ran is larger. A real definition nests a few collections per step level
 * (steps, step, branches, branch, …): 64 levels is about fifteen levels of steps. A definition of
 * a few hundred steps has a few thousand nodes.
 */
const DEFINITION_LIMITS = Object.freeze({
    maxBytes: 1024 * 1024,
    maxNesting: 64,
    maxNodes: 100_000,
    maxAliases: 100
});
/**
 * The yaml composer recurses once per nesting level and runs out of stack near 800 levels (past a
 * few thousand, Node can abort outright), so the lexer's tokens (read without recursion) must
 * promise far fewer before composing. The promise is an upper bound, see `prescan`.
 */
const PRESCAN_NESTING = 384;
/** YAML 1.2 core schema (JSON is a subset), duplicate keys refused, no custom tags: nothing runs. */
function parseDefinition(source, limits = DEFINITION_LIMITS) {
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > limits.maxBytes) {
        return invalid(`it is ${bytes.toLocaleString('en-US')} bytes, over the limit of ${sizeText(limits.maxBytes)}`);
    }
    const early = prescan(source, limits.maxNodes);
    if (early !== undefined)
        return invalid(early);
    const lines = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(source, {
        lineCounter: lines,
        prettyErrors: false,
        uniqueKeys: true,
        merge: true,
        strict: true,
        schema: 'core',
        // 'silent' would also drop the error for a second document in the text.
        logLevel: 'error'
    });
    const error = document.errors[0];
    if (error !== undefined)
        return invalid(yamlError(error, lines));
    const bounded = measure(document, limits);
    if (bounded !== undefined)
        return invalid(bounded);
    return { kind: 'parsed', definition: { source, document, lines } };
}
/** 1-based line of a character offset (yaml's LineCounter is 1-based already). */
function lineOf(definition, offset) {
    return definition.lines.linePos(offset).line;
}
/**
 * Bounds the nesting and node count from the token stream, without recursion. A flow collection
 * (`[`/`{`) nests once per opening bracket. In block style a nested collection starts to the right
 * of its parent, except a sequence written at its key's indentation, whose items then start two
 * columns in: so a block indicator (`-`, `?`, `:`) at column c opens at most 2(c + 1) + 1 levels.
 */
function prescan(source, maxNodes) {
    let flow = 0;
    let column = 0;
    let lineStart = true;
    let block = 0;
    let nodes = 0;
    for (const token of new dist/* Lexer */.JG().lex(source)) {
        const type = dist/* CST */.DB.tokenType(token);
        switch (type) {
            case 'flow-map-start':
            case 'flow-seq-start':
                flow += 1;
                nodes += 1;
                break;
            case 'flow-map-end':
            case 'flow-seq-end':
                flow = Math.max(0, flow - 1);
                break;
            case 'seq-item-ind':
            case 'explicit-key-ind':
            case 'map-value-ind':
                if (flow === 0)
                    block = Math.max(block, 2 * (column + 1) + 1);
                nodes += 1;
                break;
            case 'space':
                if (lineStart && flow === 0)
                    block = 2 * (token.length + 1) + 1;
                break;
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
            case 'alias':
                nodes += 1;
                break;
            default:
                break;
        }
        if (block + flow > PRESCAN_NESTING) {
            return `it nests deeper than the limit of ${PRESCAN_NESTING} levels the parser can take`;
        }
        if (nodes > maxNodes)
            return `it has more than ${maxNodes.toLocaleString('en-US')} nodes`;
        lineStart = type === 'newline';
        if (lineStart && flow === 0)
            block = 0;
        const newline = token.lastIndexOf('\n');
        column = newline >= 0 ? token.length - newline - 1 : column + token.length;
    }
    return undefined;
}
/** The exact nesting and node count of the parsed tree, walked without recursion. */
function measure(document, limits) {
    const stack = [{ node: document.contents, depth: 0 }];
    let nodes = 0;
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
        const { node, depth } = next;
        if (node === null || node === undefined)
            continue;
        if ((0,dist/* isPair */.tO)(node)) {
            stack.push({ node: node.key, depth }, { node: node.value, depth });
            continue;
        }
        nodes += 1;
        if (nodes > limits.maxNodes)
            return `it has more than ${limits.maxNodes.toLocaleString('en-US')} nodes`;
        if (!(0,dist/* isCollection */.P3)(node))
            continue;
        if (depth + 1 > limits.maxNesting) {
            return `it nests collections deeper than the limit of ${limits.maxNesting} levels`;
        }
        for (const item of node.items)
            stack.push({ node: item, depth: depth + 1 });
    }
    return undefined;
}
/** The error's code and place only: its message may quote the text, which is not ours to print. */
function yamlError(error, lines) {
    const at = lines.linePos(error.pos[0]);
    return `it is not valid YAML (${error.code} at line ${at.line}, column ${at.col})`;
}
function invalid(reason) {
    return { kind: 'invalid', reason };
}
function sizeText(bytes) {
    return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
        ? `${bytes / (1024 * 1024)} MiB`
        : `${bytes.toLocaleString('en-US')} bytes`;
}

// EXTERNAL MODULE: ./src/base/wire-text.ts
var wire_text = __webpack_require__(3494);
;// CONCATENATED MODULE: ./src/definition/text.ts
/** Names from a definition or a file listing, quoted for a reason the step may log. Pure. */

const NAME_MAX = 200;
/** JSON-quoted (control characters escaped), workflow commands broken, bounded. */
function quote(name) {
    return (0,wire_text/* wireText */.BJ)(JSON.stringify(name), NAME_MAX);
}
/** The first few names quoted and joined, with how many more there are. */
function quoteSome(names, shown = 3) {
    const listed = names.slice(0, shown).map(quote).join(', ');
    return names.length > shown ? `${listed} and ${names.length - shown} more` : listed;
}

;// CONCATENATED MODULE: ./src/definition/same.ts
/**
 * Whether a file holds the definition an execution ran: the same data once parsed, whatever the
 * key order, quoting, comments, anchors or the choice of YAML or JSON. Pure.
 */


function plainData(definition, maxAliases = DEFINITION_LIMITS.maxAliases) {
    try {
        return { kind: 'data', value: definition.document.toJS({ maxAliasCount: maxAliases }) };
    }
    catch {
        // yaml throws a ReferenceError when aliases expand past maxAliasCount.
        return { kind: 'invalid', reason: `its aliases expand past the limit of ${maxAliases}` };
    }
}
/** The executed `FlowDefinition` read once, to compare many files against. */
function executedData(flowDefinition) {
    const parsed = parseDefinition(flowDefinition);
    if (parsed.kind === 'invalid') {
        return { kind: 'invalid', reason: `the executed definition cannot be read: ${parsed.reason}` };
    }
    const data = plainData(parsed.definition);
    return data.kind === 'data'
        ? data
        : { kind: 'invalid', reason: `the executed definition cannot be read: ${data.reason}` };
}
function compareDefinition(file, executed) {
    if (executed.kind === 'invalid')
        return { kind: 'different', reason: executed.reason };
    const data = plainData(file);
    if (data.kind === 'invalid')
        return { kind: 'different', reason: `the file cannot be read: ${data.reason}` };
    const at = firstDifference(data.value, executed.value, '');
    return at === undefined
        ? { kind: 'same' }
        : { kind: 'different', reason: `the file differs from the executed definition at ${at}` };
}
/**
 * Where two JSON-like values first differ (`steps[2].name`), or undefined when they are equal.
 * Depth is bounded by the parse limits, so recursion is safe.
 */
function firstDifference(a, b, at) {
    const here = at === '' ? 'the top level' : at;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b)))
        return undefined;
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
            return here;
        for (let i = 0; i < a.length; i++) {
            const inner = firstDifference(a[i], b[i], `${at}[${i}]`);
            if (inner !== undefined)
                return inner;
        }
        return undefined;
    }
    if (!isRecord(a) || !isRecord(b))
        return here;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length)
        return here;
    for (const key of keys) {
        if (!Object.prototype.hasOwnProperty.call(b, key))
            return here;
        const inner = firstDifference(a[key], b[key], at === '' ? quote(key) : `${at}.${quote(key)}`);
        if (inner !== undefined)
            return inner;
    }
    return undefined;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null;
}

// EXTERNAL MODULE: ./src/base/workspace-path.ts
var workspace_path = __webpack_require__(8862);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/definition/workspace-file.ts
/**
 * Reads a file of the workspace by its workspace-relative path, refusing what is not a regular
 * file inside the workspace: an absolute path, `..`, a symlink leading out, a directory, a FIFO, a
 * device. The open never blocks (O_NONBLOCK, then fstat, as step/write-outputs.ts does) and reads
 * at most the size cap.
 */





/** The workspace's real path (symlinks resolved), which every file's real path must be inside. */
async function workspaceRoot(workspace) {
    try {
        return await (0,promises_.realpath)(workspace);
    }
    catch {
        return undefined;
    }
}
/** `root` is a `workspaceRoot`; `path` passed `pathProblem`. */
async function readWorkspaceFile(root, path, maxBytes) {
    let real;
    try {
        real = await (0,promises_.realpath)((0,external_node_path_.join)(root, path));
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return workspace_file_refused('does not exist in the workspace');
        if (code === 'ELOOP')
            return workspace_file_refused('is a symlink loop');
        return workspace_file_refused(`cannot be resolved (${code ?? 'error'})`);
    }
    const place = (0,workspace_path/* placeIn */.VV)(root, real);
    if (place !== 'inside') {
        return workspace_file_refused(place === 'root'
            ? 'is the workspace directory itself'
            : 'leads outside the workspace (through a symlink)');
    }
    // A socket cannot even be opened: tell what it is first. fstat checks again once it is open.
    try {
        const kind = notRegular(await (0,promises_.stat)(real));
        if (kind !== undefined)
            return workspace_file_refused(`is ${kind}, not a regular file`);
    }
    catch (error) {
        return workspace_file_refused(`cannot be read (${error.code ?? 'error'})`);
    }
    // The real path has no symlink left; O_NOFOLLOW refuses one swapped in since.
    const flags = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | (external_node_fs_.constants.O_NOFOLLOW ?? 0);
    let handle;
    try {
        handle = await (0,promises_.open)(real, flags);
    }
    catch (error) {
        return workspace_file_refused(`cannot be opened (${error.code ?? 'error'})`);
    }
    try {
        const stats = await handle.stat();
        const kind = notRegular(stats);
        if (kind !== undefined)
            return workspace_file_refused(`is ${kind}, not a regular file`);
        if (stats.size > maxBytes) {
            return workspace_file_refused(`is ${stats.size.toLocaleString('en-US')} bytes, over the limit of ${sizeText(maxBytes)}`);
        }
        // One byte more than the cap tells a file that grew since fstat.
        const buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 1));
        let filled = 0;
        while (filled < buffer.length) {
            const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
            if (bytesRead === 0)
                break;
            filled += bytesRead;
        }
        if (filled > maxBytes)
            return workspace_file_refused(`is over the limit of ${sizeText(maxBytes)}`);
        try {
            return {
                kind: 'file',
                text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, filled))
            };
        }
        catch {
            return workspace_file_refused('is not UTF-8 text');
        }
    }
    finally {
        await handle.close();
    }
}
const KINDS = [
    ['isDirectory', 'a directory'],
    ['isFIFO', 'a named pipe (FIFO)'],
    ['isSocket', 'a socket'],
    ['isCharacterDevice', 'a device'],
    ['isBlockDevice', 'a device']
];
function notRegular(stats) {
    if (stats.isFile())
        return undefined;
    const kind = KINDS.find(([test]) => stats[test].call(stats));
    return kind?.[1] ?? 'not a regular file';
}
function workspace_file_refused(reason) {
    return { kind: 'refused', reason };
}

;// CONCATENATED MODULE: ./src/definition/find.ts
/**
 * Finds the workspace file that holds the definition an execution ran. The `definition` input
 * names it (a workspace-relative path, or a pattern of `glob.ts`); when the input is empty, the
 * one tracked `.yaml`/`.yml`/`.json` file whose data equals the executed definition is taken.
 * Outcomes are values: `error` is the input's fault (a message naming it, for a warning); `none`
 * is a search that could not decide (a reason for a debug line).
 */









/**
 * A repository keeps a handful of flow definitions among its YAML and JSON, and a monorepo's
 * checkout can have a few thousand such files (a package.json and a tsconfig per package, CI and
 * tool configs, fixtures): 2,000 read is well under a second on a runner, and most are rejected
 * by a substring check before any parsing. Past that, or past 32 MiB read, the search stops and
 * says to set the input.
 */
const FIND_LIMITS = Object.freeze({
    maxCandidates: 2000,
    maxFileBytes: DEFINITION_LIMITS.maxBytes,
    maxTotalBytes: 32 * 1024 * 1024,
    maxListed: 100_000
});
const DEFINITION_ENDINGS = ['.yaml', '.yml', '.json'];
async function findDefinition(request) {
    const limits = { ...FIND_LIMITS, ...request.limits };
    const input = request.input.trim();
    const root = await workspaceRoot(request.workspace);
    if (root === undefined) {
        const reason = `the workspace ${quote(request.workspace)} cannot be read`;
        return input === '' ? none(reason) : inputError(input, `cannot be looked for: ${reason}`);
    }
    const executed = executedData(request.executed);
    if (input === '')
        return discover(root, executed, limits);
    const problem = (0,workspace_path/* pathProblem */.z9)(input);
    if (problem !== undefined)
        return inputError(input, problem);
    // `./flows//a.yaml` is `flows/a.yaml`: the file is reported (and linked) as git names it.
    const path = external_node_path_.posix.normalize(input);
    return hasWildcard(path)
        ? fromPattern(root, input, path, executed, limits)
        : fromPath(root, input, path, executed, limits);
}
async function fromPath(root, input, file, executed, limits) {
    const read = await readWorkspaceFile(root, file, limits.maxFileBytes);
    // A pattern matching one file: the reason is about that file.
    const subject = hasWildcard(input) ? `matches only ${quote(file)}, which ` : '';
    if (read.kind === 'refused')
        return inputError(input, subject + read.reason);
    const parsed = parseDefinition(read.text, { ...DEFINITION_LIMITS, maxBytes: limits.maxFileBytes });
    if (parsed.kind === 'invalid')
        return inputError(input, `${subject}cannot be read: ${parsed.reason}`);
    if (formatOf(parsed.definition.document) === undefined) {
        return inputError(input, `${subject}is not a flow definition (it has neither \`steps:\` nor \`States:\`)`);
    }
    const comparison = compareDefinition(parsed.definition, executed);
    return {
        kind: 'found',
        file,
        definition: parsed.definition,
        sameDefinition: comparison.kind === 'same',
        ...(comparison.kind === 'different' ? { difference: comparison.reason } : {})
    };
}
async function fromPattern(root, input, pattern, executed, limits) {
    const listing = await listWorkspaceFiles(root, { maxFiles: limits.maxListed });
    if (!listing.complete) {
        return inputError(input, `is a pattern, and the workspace has more files than the ${count(limits.maxListed)} it can be matched against`);
    }
    const matches = listing.files.filter(globMatcher(pattern));
    if (matches.length === 0)
        return inputError(input, 'matches no file in the workspace');
    if (matches.length === 1)
        return fromPath(root, input, matches[0], executed, limits);
    if (matches.length > limits.maxCandidates) {
        return inputError(input, `matches ${count(matches.length)} files, more than the ${count(limits.maxCandidates)} that are compared`);
    }
    if (executed.kind === 'invalid')
        return inputError(input, `matches ${matches.length} files, and ${executed.reason}`);
    const search = await holders(root, matches, executed, limits);
    if (search.holders.length === 1 && search.stopped === undefined)
        return search.holders[0];
    const holding = search.holders.map((h) => h.file);
    const which = search.stopped ??
        (holding.length === 0
            ? 'none holds the definition the execution ran'
            : `${holding.length} of them hold the definition the execution ran (${quoteSome(holding)})`);
    return inputError(input, `matches ${matches.length} files, and ${which}`);
}
async function discover(root, executed, limits) {
    if (executed.kind === 'invalid')
        return none(executed.reason);
    const listing = await listWorkspaceFiles(root, {
        maxFiles: limits.maxCandidates,
        endings: DEFINITION_ENDINGS
    });
    const kinds = `${where(listing)} ${DEFINITION_ENDINGS.join('/')} files`;
    if (!listing.complete) {
        return none(`there are more than ${count(limits.maxCandidates)} ${kinds}: set the definition input`);
    }
    const search = await holders(root, listing.files, executed, limits);
    if (search.stopped !== undefined)
        return none(`${search.stopped}: set the definition input`);
    if (search.holders.length === 1)
        return search.holders[0];
    if (search.holders.length === 0) {
        return none(`none of the ${count(listing.files.length)} ${kinds} holds the definition the execution ran`);
    }
    return none(`${search.holders.length} ${kinds} hold the definition the execution ran (` +
        `${quoteSome(search.holders.map((h) => h.file))}): set the definition input to one of them`);
}
async function holders(root, files, executed, limits) {
    const found = [];
    const marker = firstStepName(executed);
    let total = 0;
    for (const file of files) {
        if ((0,workspace_path/* pathProblem */.z9)(file) !== undefined)
            continue;
        const read = await readWorkspaceFile(root, file, limits.maxFileBytes);
        if (read.kind === 'refused')
            continue;
        total += Buffer.byteLength(read.text, 'utf8');
        if (total > limits.maxTotalBytes) {
            return {
                holders: found,
                stopped: `the files compared passed ${sizeText(limits.maxTotalBytes)} before the last one`
            };
        }
        // Cheap and safe: a file holding the definition writes its first step's plain name as is.
        if (marker !== undefined && !read.text.includes(marker))
            continue;
        const parsed = parseDefinition(read.text, {
            ...DEFINITION_LIMITS,
            maxBytes: limits.maxFileBytes
        });
        if (parsed.kind === 'invalid')
            continue;
        if (compareDefinition(parsed.definition, executed).kind !== 'same')
            continue;
        found.push({ kind: 'found', file, definition: parsed.definition, sameDefinition: true });
    }
    return { holders: found };
}
/** The executed definition's first top-level step name, when nothing could write it escaped. */
function firstStepName(executed) {
    if (executed.kind !== 'data')
        return undefined;
    const top = record(executed.value);
    const steps = top?.States ?? top?.steps;
    const first = Array.isArray(steps) ? record(steps[0]) : undefined;
    const name = first?.Name ?? first?.name;
    return typeof name === 'string' && /^[A-Za-z0-9_-]+$/.test(name) ? name : undefined;
}
function record(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
function where(listing) {
    return listing.source === 'git' ? 'tracked' : 'workspace';
}
function count(n) {
    return n.toLocaleString('en-US');
}
function none(reason) {
    return { kind: 'none', reason };
}
function inputError(input, reason) {
    return {
        kind: 'error',
        message: `Input "definition" is ${quote(input)}, which ${reason}: give the workspace-relative path ` +
            'of the flow definition file (YAML or JSON; *, ** and ? match names), or leave it empty to ' +
            'look for it among the tracked files.'
    };
}

;// CONCATENATED MODULE: ./src/definition/locate.ts
/**
 * The lines of a step in a parsed definition, found from the step path the history model gives
 * (`src/history/types.ts`: top level down to the step, with `branch`/`iteration` nodes between a
 * parallel/foreach and its steps). Pure.
 *
 * - A branch node picks the parallel's branch by its 0-based index, then the step by name.
 * - An iteration node, or none, leads into a foreach/Map's steps: every iteration runs the same
 *   ones. "None" is also a distributed Map's child execution, whose steps are the processor's.
 * - A choice's steps run in the choice's own thread, so the history names them beside the choice:
 *   a name is looked for in the list and in every branch of every choice in it (and theirs).
 * - A name written more than once where the path leads (two choice branches both with a `notify`,
 *   or a parallel entered without a branch index) is ambiguous: the candidates are returned, and
 *   none is chosen.
 */




function locateStep(definition, path) {
    const doc = definition.document;
    const rules = formatOf(doc);
    if (rules === undefined) {
        return notFound('the file is neither a legacy FDL flow (`steps:`) nor a CloudFlow state machine (`States:`)');
    }
    if (path.length === 0)
        return notFound('the step path is empty');
    const walk = { definition, doc, rules };
    const top = seq(member(mapping(doc.contents, doc), rules.stepsKey, doc), doc);
    let lists = top === undefined ? [] : [top];
    let step;
    let entered = true;
    let branchItem;
    for (const segment of path) {
        if (segment.kind === 'branch' || segment.kind === 'iteration') {
            const scope = enter(walk, step, segment);
            if ('reason' in scope)
                return notFound(scope.reason);
            lists = scope.lists;
            entered = true;
            branchItem = segment.kind === 'branch' ? branchNode(walk, step, segment.index) : undefined;
            continue;
        }
        if (!entered && step !== undefined) {
            const scope = enterDirectly(walk, step, segment);
            if ('reason' in scope)
                return notFound(scope.reason);
            lists = scope.lists;
        }
        const matches = named(walk, lists, segment.name);
        const where = step === undefined ? 'at the top level' : `inside ${quote(step.name)}`;
        if (matches.length === 0) {
            return notFound(`the definition has no step named ${quote(segment.name)} ${where}`);
        }
        if (matches.length > 1) {
            return {
                kind: 'ambiguous',
                reason: `the definition has ${matches.length} steps named ${quote(segment.name)} ${where}`,
                candidates: matches.map((m) => linesOf(definition, m.item))
            };
        }
        const match = matches[0];
        const clash = kindClash(segment, match, rules);
        if (clash !== undefined)
            return notFound(clash);
        step = match;
        entered = false;
        branchItem = undefined;
    }
    // A path ending in a branch points at the branch; one ending in an iteration, at the foreach.
    const at = branchItem ?? step?.item;
    if (at === undefined)
        return notFound('the step path names no step');
    return { kind: 'found', ...linesOf(definition, at) };
}
function enter(walk, step, segment) {
    const { doc, rules } = walk;
    if (step === undefined) {
        return { reason: `the step path starts with a ${segment.kind} of ${quote(segment.name)}` };
    }
    if (segment.name !== step.name) {
        return {
            reason: `the step path goes from ${quote(step.name)} into a ${segment.kind} of ${quote(segment.name)}`
        };
    }
    if (segment.kind === 'iteration') {
        if (step.shape !== 'foreach')
            return { reason: notA(step, 'foreach/Map', 'iterations') };
        const body = rules.body(step.map, doc);
        return body === undefined ? { reason: `${quote(step.name)} has no steps` } : { lists: [body] };
    }
    if (step.shape !== 'parallel')
        return { reason: notA(step, 'parallel', 'branches') };
    const branches = rules.branches(step.map, doc);
    const index = segment.index;
    if (index === undefined)
        return { lists: present(branches) };
    if (!Number.isInteger(index) || index < 0 || index >= branches.length) {
        return {
            reason: `${quote(step.name)} has ${branches.length} branch${branches.length === 1 ? '' : 'es'} in ` +
                `the definition; the history ran branch ${index} (counted from 0)`
        };
    }
    const list = branches[index];
    return list === undefined
        ? { reason: `branch ${index} of ${quote(step.name)} has no steps` }
        : { lists: [list] };
}
/** A path that goes on from a step straight to a step inside it (no branch or iteration node). */
function enterDirectly(walk, step, next) {
    const { doc, rules } = walk;
    switch (step.shape) {
        case 'parallel':
            return { lists: present(rules.branches(step.map, doc)) };
        case 'foreach': {
            const body = rules.body(step.map, doc);
            return { lists: body === undefined ? [] : [body] };
        }
        case 'choice':
            return { lists: present(rules.choices(step.map, doc)) };
        default:
            return {
                reason: `${quote(step.name)} is a ${quote(step.type)} step, which holds no steps, yet the path goes on to ${quote(next.name)}`
            };
    }
}
/** Steps named `name` in the lists and, through choices, in the lists those hold. */
function named(walk, lists, name) {
    const found = [];
    const seen = new Set();
    const pending = [...lists];
    for (let list = pending.pop(); list !== undefined; list = pending.pop()) {
        if (seen.has(list))
            continue; // an alias can list a list twice, or inside itself
        seen.add(list);
        for (const item of list.items) {
            const step = readStep(walk, item);
            if (step === undefined)
                continue;
            if (step.name === name)
                found.push(step);
            if (step.shape === 'choice')
                pending.push(...present(walk.rules.choices(step.map, walk.doc)));
        }
    }
    // Pending is a stack: report candidates in the order they are written.
    return found.sort((a, b) => start(a.item) - start(b.item));
}
function readStep(walk, item) {
    const { doc, rules } = walk;
    const map = mapping(item, doc);
    if (map === undefined)
        return undefined;
    const name = format_text(member(map, rules.nameKey, doc));
    if (name === undefined)
        return undefined;
    const type = format_text(member(map, rules.typeKey, doc)) ?? '';
    return { item, map, name, type, shape: rules.shapes[type] ?? 'other' };
}
/** The history's kind of a step, when it says more than "step", must be the definition's. */
function kindClash(segment, step, rules) {
    const wanted = {
        task: 'task',
        parallel: 'parallel',
        foreach: 'foreach',
        // A distributed Map's items run the Map's processor, as a foreach's iterations run its steps.
        map: 'foreach'
    };
    const shape = wanted[segment.kind];
    if (shape === undefined || shape === step.shape)
        return undefined;
    const types = Object.keys(rules.shapes).filter((t) => rules.shapes[t] === shape);
    return (`the history ran ${quote(step.name)} as a ${types.join('/')} step; the definition's ` +
        `${quote(step.name)} is of type ${quote(step.type)}`);
}
function notA(step, what, has) {
    return `the history ran ${has} of ${quote(step.name)}, which is a ${quote(step.type)} step in the definition, not a ${what}`;
}
function branchNode(walk, step, index) {
    if (step === undefined || index === undefined)
        return undefined;
    const list = seq(member(step.map, walk.rules.branchesKey, walk.doc), walk.doc);
    return list?.items[index];
}
function present(lists) {
    return lists.filter((l) => l !== undefined);
}
function start(node) {
    return node.range?.[0] ?? 0;
}
/** From the node's first character to the end of its last value: comments after it left out. */
function linesOf(definition, node) {
    const from = node.range?.[0] ?? 0;
    let last = contentEnd(node);
    while (last > from && /\s/.test(definition.source[last - 1]))
        last -= 1;
    return {
        startLine: lineOf(definition, from),
        endLine: lineOf(definition, Math.max(from, last - 1))
    };
}
/**
 * Where a node's content ends. A block collection's range runs on over the comments after its last
 * item, so the end is its last item's (down to a scalar, an alias or a bracketed collection).
 */
function contentEnd(node) {
    let at = node;
    for (;;) {
        const items = (0,dist/* isCollection */.P3)(at) && !at.flow ? at.items : [];
        const lastItem = items[items.length - 1];
        const next = (0,dist/* isPair */.tO)(lastItem) ? (lastItem.value ?? lastItem.key) : lastItem;
        if (!(0,dist/* isNode */.Ll)(next))
            return at.range?.[1] ?? 0;
        at = next;
    }
}
function notFound(reason) {
    return { kind: 'not-found', reason };
}

;// CONCATENATED MODULE: ./src/definition/location.ts


function locationOf(found, path) {
    const at = locateStep(found.definition, path);
    const file = quote(found.file);
    switch (at.kind) {
        case 'found':
            return {
                kind: 'located',
                location: {
                    file: found.file,
                    startLine: at.startLine,
                    endLine: at.endLine,
                    sameDefinition: found.sameDefinition
                }
            };
        case 'ambiguous': {
            const lines = at.candidates.map((c) => `${c.startLine}-${c.endLine}`).join(', ');
            return { kind: 'not-located', reason: `${at.reason} of ${file} (lines ${lines})` };
        }
        case 'not-found':
            return { kind: 'not-located', reason: `${at.reason} of ${file}` };
    }
}

;// CONCATENATED MODULE: ./src/definition/index.ts
/**
 * Where a failed step is written: the workspace file holding the flow definition an execution ran
 * (find), the step's lines in it (locate), and the link to them on GitHub (blob-url).
 * step/locate-failures.ts uses `findDefinition` once per execution, `locationOf` per failed step,
 * `blobUrl` per place.
 */








/***/ })

};

//# sourceMappingURL=711.index.js.map
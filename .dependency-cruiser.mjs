/**
 * The layering of src/, enforced by __tests__/repo/layout.test.ts. From the top down:
 * index/main/post → step/ → report/ → history/ → auth/ → fnf/ → http/ → base/, with config/ and
 * definition/ (flow definition files, on base/ only) beside them, and github/ (GitHub's REST API, on
 * http/ like fnf/) called only by the report's publisher.
 * Beside src/, the emulator is a unit of its own: src/ never imports it, it imports only types from
 * src/, and the rest of the repository imports only the entries its package.json exports.
 */
import { readFileSync } from 'node:fs'

const emulatorPackage = JSON.parse(
  readFileSync(new URL('./emulator/package.json', import.meta.url), 'utf8')
)
/** `^emulator/(index|raw-rpc|…)[.]ts$`, from the `exports` of emulator/package.json. */
const EMULATOR_ENTRIES = `^emulator/(${Object.values(emulatorPackage.exports)
  .filter((target) => target.endsWith('.ts'))
  .map((target) => target.replace(/^[.][/]/, '').replace(/[.]ts$/, ''))
  .join('|')})[.]ts$`

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'A cycle means two modules are one job split in two; merge them or move the shared part down.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'base-stands-alone',
      comment:
        'base/ is what every layer shares (error text, wire-text safety, secrets, timers): it imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/base/' },
      to: { path: '^src/', pathNot: '^src/base/' }
    },
    {
      name: 'http-stands-alone',
      comment: 'http/ is what the FnF, STS and GitHub clients share; it knows none of them.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/', pathNot: '^src/(http|base)/' }
    },
    {
      name: 'fnf-only-http',
      comment: 'fnf/ is the API client: it imports only fnf/ and http/.',
      severity: 'error',
      from: { path: '^src/fnf/' },
      to: { path: '^src/', pathNot: '^src/(fnf|http|base)/' }
    },
    {
      name: 'github-only-http',
      comment:
        "github/ is GitHub's REST client: it imports only github/ and http/, and renders nothing.",
      severity: 'error',
      from: { path: '^src/github/' },
      to: { path: '^src/', pathNot: '^src/(github|http|base)/' }
    },
    {
      name: 'only-the-publisher-calls-github',
      comment:
        'GitHub is written to in one place, report/publish.ts (summary, annotations, PR comment).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/github/', '^src/report/publish[.]ts$'] },
      to: { path: '^src/github/' }
    },
    {
      name: 'config-is-pure',
      comment: 'config/ validates inputs before any request: it may read fnf/ types only.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/(config|base)/', '^src/fnf/types[.]ts$'] }
    },
    {
      name: 'auth-below-step',
      comment:
        'auth/ makes credentials: fnf/, http/ and its own config, nothing that follows or reports.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: '^src/(auth|fnf|http|config|base)/' }
    },
    {
      name: 'history-understands-only',
      comment:
        'history/ understands a history: fnf/ (types and the page call), http/, nothing that renders or follows.',
      severity: 'error',
      from: { path: '^src/history/' },
      to: { path: '^src/', pathNot: '^src/(history|fnf|http|base)/' }
    },
    {
      name: 'definition-reads-only',
      comment:
        'definition/ reads flow definition files (parse, locate, find, link): definition/ and base/ (wire-text, workspace paths) only.',
      severity: 'error',
      from: { path: '^src/definition/' },
      to: { path: '^src/', pathNot: '^src/(definition|base)/' }
    },
    {
      name: 'report-renders-only',
      comment: 'report/ renders and publishes; it never follows executions.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/', pathNot: '^src/(report|history|fnf|http|config|github|base)/' }
    },
    {
      name: 'nothing-imports-the-entry',
      comment:
        'index, main and post are the top: nothing imports them, and only they import step/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|main|post)[.]ts$' },
      to: { path: '^src/(index|main|post)[.]ts$' }
    },
    {
      name: 'step-is-above-the-rest',
      comment: 'Nothing below step/ imports step/.',
      severity: 'error',
      from: { path: '^src/(config|http|fnf|github|auth|history|report|definition)/' },
      to: { path: '^src/step/' }
    },
    {
      name: 'src-never-imports-emulator',
      comment: 'The action never depends on its test double: the bundle holds src/ only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^emulator/' }
    },
    {
      name: 'emulator-imports-only-types-from-src',
      comment:
        'The emulator models the service, not the action: it may share its wire types, never its code.',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'emulator-only-through-its-entries',
      comment:
        "Outside emulator/, import only the entries emulator/package.json exports; the rest is the emulator's own.",
      severity: 'error',
      from: { pathNot: '^emulator/' },
      to: { path: '^emulator/', pathNot: EMULATOR_ENTRIES }
    },
    {
      name: 'no-loose-modules',
      comment:
        'Only the entries live at the top of src/; the rest goes in a folder named for its job.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+[.]ts$', pathNot: '^src/(index|main|post)[.]ts$' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' }
  }
}

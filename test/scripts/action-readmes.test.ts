import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from '@argocd-actions/sandbox'

const script = path.join(repoRoot, 'scripts/action-readmes.js')
const check = (cwd: string) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [script, '--check'], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stderr }))
  })

test('every action README matches its action.yml', async () => {
  const r = await check(repoRoot)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
})

test('a README left behind a changed action.yml fails the check', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'readmes-'))
  try {
    await mkdir(path.join(dir, 'actions/set-commit-status'), { recursive: true })
    for (const f of ['action.yml', 'README.md']) {
      await cp(
        path.join(repoRoot, 'actions/set-commit-status', f),
        path.join(dir, 'actions/set-commit-status', f),
      )
    }
    const yml = path.join(dir, 'actions/set-commit-status/action.yml')
    await writeFile(
      yml,
      (await readFile(yml, 'utf8')).replace(
        'inputs:\n',
        'inputs:\n  new-input:\n    description: Added later.\n    required: false\n',
      ),
    )
    const r = await check(dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('actions/set-commit-status/README.md is stale')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

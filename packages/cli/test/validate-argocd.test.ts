import { spawn } from 'node:child_process'
import path from 'node:path'
import { repoRoot, startArgoCdSandbox, type ArgoCdSandbox } from '@argocd-actions/sandbox'

// `argocd-actions validate` with an Argo CD token: the same audit as the action, from a terminal.
const bin = path.join(repoRoot, 'packages/cli/bin/argocd-actions.js')
let argocd: ArgoCdSandbox
let expiring: string
let forever: string

beforeAll(async () => {
  argocd = await startArgoCdSandbox()
  argocd.addProject('my-proj', {
    roles: [
      {
        name: 'ci',
        policies: ['get', 'sync'].map(
          (a) => `p, proj:my-proj:ci, applications, ${a}, my-proj/nonprod.web, allow`,
        ),
      },
    ],
  })
  expiring = argocd.projectToken('my-proj', 'ci', { expiresInSeconds: 60 * 86_400 })
  forever = argocd.projectToken('my-proj', 'ci')
})
afterAll(() => argocd.stop())

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end('')
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const args = () => [
  'validate',
  '--profile',
  'argocd-ci-sync',
  '--api-url',
  argocd.url,
  '--argocd-project',
  'my-proj',
  '--argocd-applications',
  'nonprod.web',
]

test('a fitting project token from ARGOCD_AUTH_TOKEN: the table and exit 0', async () => {
  const r = await cli(args(), { ARGOCD_AUTH_TOKEN: expiring })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(/^VALID: token fits profile 'argocd-ci-sync'/)
  expect(r.stdout).toContain('argocd argocd-project (subject proj:my-proj:ci)')
  expect(r.stdout).toMatch(/ARGO CD OBJECT\s+PERMISSION\s+REQUIRED\s+FOUND/)
  expect(r.stdout).toMatch(/my-proj\/nonprod\.web\s+applications, sync\s+allowed\s+allowed/)
  for (const part of expiring.split('.')) expect(r.stdout + r.stderr).not.toContain(part)
}, 60_000)

test('--require-expiry: a token without exp fails (exit 1); a bad project name is exit 2', async () => {
  const r = await cli([...args(), '--require-expiry'], { ARGOCD_AUTH_TOKEN: forever })
  expect(r.code).toBe(1)
  expect(r.stdout).toMatch(/^INVALID/)
  expect(r.stdout).toContain('never expires')
  const bad = await cli([...args(), '--argocd-project', 'My Proj'], { ARGOCD_AUTH_TOKEN: forever })
  expect(bad.code).toBe(2)
  expect(bad.stderr).toContain('--argocd-project must be an Argo CD project name')
}, 60_000)

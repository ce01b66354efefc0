import { spawn } from 'node:child_process'
import path from 'node:path'
import { repoRoot, startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'

const bin = path.join(repoRoot, 'packages/cli/bin/argocd-actions.js')
let gh: GitHubSandbox
let good: string
let broad: string

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo('acme/web')
  gh.addCommit('acme/web', { branch: 'main' })
  const expiresAt = new Date(Date.now() + 90 * 86_400_000)
  good = gh.addToken({ kind: 'classic', scopes: ['repo:status'], expiresAt })
  broad = gh.addToken({ kind: 'classic', scopes: ['repo'], expiresAt })
})
afterAll(() => gh.stop())

/** Runs the CLI as a person would: a separate process, the token in the environment or on stdin. */
function cli(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end(opts.stdin ?? '')
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const args = () => [
  'validate',
  '--profile',
  'argocd-notifications',
  '--api-url',
  gh.url,
  '--repositories',
  '{ app: acme/web }',
]

test('a fitting token from the environment: the table and exit 0', async () => {
  const r = await cli(args(), { env: { GITHUB_TOKEN: good } })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(/^VALID: token fits profile 'argocd-notifications'/)
  expect(r.stdout).toContain('github classic')
  expect(r.stdout).toContain('repo:status')
  expect(r.stdout).not.toContain(good)
})

test('an over-scoped token from stdin: exit 1 and the finding', async () => {
  const r = await cli(args(), { stdin: `${broad}\n` })
  expect(r.code).toBe(1)
  expect(r.stdout).toMatch(/^INVALID/)
  expect(r.stdout).toContain("Scope 'repo' is more than the role needs")
  expect(r.stdout + r.stderr).not.toContain(broad)
})

test('--token-env and --json', async () => {
  const r = await cli([...args(), '--token-env', 'NOTIFY_TOKEN', '--json'], {
    env: { NOTIFY_TOKEN: good },
  })
  expect(r.code).toBe(0)
  const report = JSON.parse(r.stdout)
  expect(report).toMatchObject({
    valid: true,
    profile: 'argocd-notifications',
    tokenType: 'classic',
    scopes: ['repo:status'],
  })
  expect(r.stdout).not.toContain(good)
})

test('a token as an argument is refused, with no request sent', async () => {
  gh.clearRequests()
  const r = await cli([...args(), '--token', good])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('shell history')
  expect(r.stderr).not.toContain(good)
  expect(gh.requests).toEqual([])
})

test('input errors name the option and exit 2', async () => {
  const r = await cli(['validate', '--profile', 'nope'], { env: { GITHUB_TOKEN: good } })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain("--profile 'nope' is not a built-in profile")
  const unknown = await cli(['validate', '--colour'], { env: { GITHUB_TOKEN: good } })
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toContain("Unknown option '--colour'")
  const noToken = await cli(['validate', '--profile', 'argocd-release', '--token-env', 'NOPE'])
  expect(noToken.code).toBe(2)
  expect(noToken.stderr).toContain('names the variable NOPE, which is empty or unset')
})

test('--help, and unknown commands', async () => {
  expect((await cli(['validate', '--help'])).stdout).toContain('usage: argocd-actions validate')
  expect((await cli(['--help'])).code).toBe(0)
  const r = await cli(['deploy'])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain("unknown command 'deploy'")
})

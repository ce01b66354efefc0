import { spawn } from 'node:child_process'
import path from 'node:path'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import {
  repoRoot,
  startAwsSandbox,
  startGitHubSandbox,
  type AwsSandbox,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

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
function cli(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: opts.cwd,
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

test.each([['validate'], ['status'], ['publish'], ['sync']])(
  '%s: a token as an argument is refused, with no request sent',
  async (command) => {
    gh.clearRequests()
    const r = await cli([command, '--token', good, '--repository', 'acme/web'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('shell history')
    expect(r.stderr).not.toContain(good)
    expect(gh.requests).toEqual([])
  },
)

test('sync: an Argo CD token as an argument is refused too, with no request sent', async () => {
  gh.clearRequests()
  for (const args of [
    ['--argocd-token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['--argocd-token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
  ]) {
    const r = await cli(['sync', ...args, '--repository', 'acme/web'], {
      env: { GITHUB_TOKEN: good },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('shell history')
    expect(r.stderr).not.toContain('eyJzdWIiOiJ4In0')
  }
  expect(gh.requests).toEqual([])
})

test('sync --wait argocd is refused, not ignored: nothing is released', async () => {
  gh.clearRequests()
  const r = await cli(['sync', '--wait', 'argocd', '--repository', 'acme/web'], {
    env: { GITHUB_TOKEN: good },
  })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain("--wait 'argocd' is not available from the CLI")
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

describe('status, publish and sync: the actions from a terminal', () => {
  let aws: AwsSandbox
  let work: string
  let sha: string
  let writer: string
  beforeAll(async () => {
    aws = await startAwsSandbox()
    aws.addAccount('111111111111')
    sha =
      gh.refs('acme/web')?.['refs/heads/main'] ?? gh.addCommit('acme/web', { branch: 'release' })
    gh.addRepo('acme/deploy', { git: true, files: { 'README.md': '# deploy\n' } })
    writer = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/deploy'],
      permissions: { contents: 'write' },
    })
    work = await mkdtemp(path.join(tmpdir(), 'cli-ws-'))
    await mkdir(path.join(work, 'rendered'))
    await writeFile(
      path.join(work, 'rendered', 'app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    )
  })
  afterAll(async () => {
    await aws.stop()
    await rm(work, { recursive: true, force: true })
  })

  test('status: set, then wait for it', async () => {
    const common = [
      '--repository',
      'acme/web',
      '--sha',
      sha,
      '--context',
      'ci/cli',
      '--github-api-url',
      gh.url,
    ]
    const set = await cli(
      ['status', ...common, '--state', 'success', '--target-url', 'https://ci.example/1'],
      { env: { GITHUB_TOKEN: good } },
    )
    expect(set.stderr).toBe('')
    expect(set.code).toBe(0)
    expect(set.stdout).toContain(`ci/cli is 'success' on acme/web@${sha}`)
    const wait = await cli(
      ['status', ...common, '--mode', 'wait', '--interval-seconds', '1', '--timeout-seconds', '5'],
      { stdin: good },
    )
    expect(wait.code).toBe(0)
    expect(wait.stdout).toContain("ci/cli reached 'success'")
    const bad = await cli(['status', ...common, '--state', 'done'], { env: { GITHUB_TOKEN: good } })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--state has an unknown value 'done'")
  })

  test('publish: to SSM with the standard AWS credential chain', async () => {
    const creds = aws.addCredentials({ accountId: '111111111111' })
    const env = {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_ENDPOINT_URL: aws.url,
    }
    const r = await cli(['publish', '--name', '/argocd/cli/token', '--region', 'us-east-2'], {
      env,
      stdin: good,
    })
    expect(r.stderr.replace(/.*NodeVersionSupportWarning[\s\S]*$/, '')).not.toContain(good)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('WRITTEN 111111111111 us-east-2 /argocd/cli/token v1')
    expect(aws.parameter('111111111111', 'us-east-2', '/argocd/cli/token')?.value).toBe(good)
    expect(r.stdout + r.stderr).not.toContain(good)
  })

  test("publish: the action's own rules (expiry notice needs a profile), nothing stored", async () => {
    const creds = aws.addCredentials({ accountId: '111111111111' })
    const r = await cli(
      ['publish', '--name', '/argocd/cli/expiring', '--region', 'us-east-2'].concat([
        '--expiration-notice-days',
        '14',
      ]),
      {
        env: {
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_ENDPOINT_URL: aws.url,
        },
        stdin: good,
      },
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--expiration-notice-days needs 'profile'")
    expect(aws.parameter('111111111111', 'us-east-2', '/argocd/cli/expiring')).toBeUndefined()
  })

  test('sync: writes the release into the deploy repository', async () => {
    const args = [
      'sync',
      '--repository',
      'acme/deploy',
      '--path',
      'plat/dev/apps',
      '--namespace',
      'web',
      '--application',
      'cli-app',
      '--manifests',
      'rendered',
      '--app-repository',
      'acme/web',
      '--app-commit',
      'a'.repeat(40),
      '--git-url',
      gh.url,
    ]
    const r = await cli(args, { env: { GITHUB_TOKEN: writer }, cwd: work })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('A plat/dev/apps/web/cli-app/config.yaml')
    expect(
      gh.tree('acme/deploy', 'main')['plat/dev/apps/web/cli-app/manifests/app.yaml'],
    ).toContain('kind: ConfigMap')
    const again = await cli(args, { env: { GITHUB_TOKEN: writer }, cwd: work })
    expect(again.stdout).toContain('unchanged at')
  })

  test.each(['status', 'publish', 'sync'])('%s --help lists the action inputs', async (command) => {
    const r = await cli([command, '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`usage: argocd-actions ${command}`)
    expect(r.stdout).not.toContain('--token VALUE')
    expect(r.stdout).toMatch(/--(context|name|namespace) VALUE/)
  })
})

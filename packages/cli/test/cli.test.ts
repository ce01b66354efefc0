import { spawn } from 'node:child_process'
import path from 'node:path'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import {
  repoRoot,
  secretForms,
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
    expect(r.stdout).toContain('WRITTEN 111111111111 us-east-2 /argocd/cli/token v1 (created)')
    expect(aws.parameter('111111111111', 'us-east-2', '/argocd/cli/token')?.value).toBe(good)
    expect(r.stdout + r.stderr).not.toContain(good)
    // What changed, as the action's 'changes' output says it: the same token, new tags.
    const again = await cli(
      ['publish', '--name', '/argocd/cli/token', '--region', 'us-east-2', '--tags', '{ team: x }'],
      { env, stdin: good },
    )
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('WRITTEN 111111111111 us-east-2 /argocd/cli/token v1 (tags)')
    expect(again.stdout + again.stderr).not.toContain(good)
  })

  test('publish --no-overwrite: a yes/no input turned off; the existing parameter is kept', async () => {
    const creds = aws.addCredentials({ accountId: '111111111111' })
    const r = await cli(
      ['publish', '--name', '/argocd/cli/token', '--region', 'us-east-2', '--no-overwrite'],
      {
        env: {
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_ENDPOINT_URL: aws.url,
        },
        stdin: broad,
      },
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('already exists and overwrite is false')
    expect(aws.parameter('111111111111', 'us-east-2', '/argocd/cli/token')?.value).toBe(good)
    expect(r.stdout + r.stderr).not.toContain(broad)
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

describe('audit-ssm: the tokens stored in SSM, from a terminal', () => {
  const NAME = '/argocd/cli/notifications'
  const ACCOUNTS = ['111111111111', '222222222222', '333333333333']
  let aws: AwsSandbox
  let env: Record<string, string>
  let canary: string
  let other: string

  beforeAll(async () => {
    aws = await startAwsSandbox()
    for (const a of ACCOUNTS) aws.addAccount(a)
    for (const a of ACCOUNTS.slice(1))
      aws.addRole(`arn:aws:iam::${a}:role/token-audit`, { trust: [ACCOUNTS[0]] })
    const creds = aws.addCredentials({ accountId: ACCOUNTS[0] })
    env = {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: 'us-east-2',
    }
    canary = gh.addToken({
      kind: 'classic',
      scopes: ['repo:status'],
      expiresAt: new Date(Date.now() + 40 * 86_400_000),
    })
    other = gh.addToken({
      kind: 'classic',
      scopes: ['repo:status'],
      expiresAt: new Date(Date.now() + 20 * 86_400_000),
    })
    // Stored the way users store them: with the CLI's publish, per account.
    const put = async (account: string, token: string) => {
      const role =
        account === ACCOUNTS[0] ? '' : `, role-arn: "arn:aws:iam::${account}:role/token-audit"`
      const r = await cli(
        ['publish', '--name', NAME, '--targets', `[{ account-id: "${account}"${role} }]`],
        { env, stdin: token },
      )
      expect(r.code).toBe(0)
    }
    await put(ACCOUNTS[0], canary)
    await put(ACCOUNTS[1], canary)
  })
  afterAll(() => aws.stop())

  const targets = (accounts: string[]) =>
    `[${accounts
      .map((a) =>
        a === ACCOUNTS[0]
          ? `{ account-id: "${a}" }`
          : `{ account-id: "${a}", role-arn: "arn:aws:iam::${a}:role/token-audit" }`,
      )
      .join(', ')}]`
  const audit = (extra: string[], accounts = ACCOUNTS.slice(0, 2)) =>
    cli(
      [
        'audit-ssm',
        '--profile',
        'argocd-notifications',
        '--repositories',
        '{ app: acme/web }',
        '--api-url',
        gh.url,
        '--name',
        NAME,
        '--targets',
        targets(accounts),
        ...extra,
      ],
      { env },
    )
  /** Every form of the stored tokens, in everything the CLI printed. */
  const leaked = (r: { stdout: string; stderr: string }) =>
    [canary, other].flatMap(secretForms).filter((f) => (r.stdout + r.stderr).includes(f))

  test('every account holds the same fitting token: the table, exit 0, no token printed', async () => {
    const r = await audit([])
    expect(r.code).toBe(0)
    expect(leaked(r)).toEqual([])
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+NAME\s+STORED\s+VERSION/)
    for (const a of ACCOUNTS.slice(0, 2))
      expect(lines.find((l) => l.startsWith(a))).toMatch(
        new RegExp(
          `^${a}\\s+us-east-2\\s+${NAME}\\s+SecureString alias/aws/ssm\\s+v1\\s+\\S+\\s+classic\\s+\\S+\\s+(39|40)\\s+A\\s+valid$`,
        ),
      )
    expect(r.stdout).toMatch(/Soonest expiry: (39|40) days, 111111111111 \S+, 222222222222 \S+\./)
    expect(r.stdout).toContain('VALID: 2 target(s) hold a token that fits.')
    // It wrote nothing: still one version each.
    for (const a of ACCOUNTS.slice(0, 2))
      expect(aws.parameter(a, 'us-east-2', NAME)?.version).toBe(1)
  })

  test('an account missed the rotation and another has none: exit 1, each named', async () => {
    const r0 = await cli(['publish', '--name', NAME, '--targets', targets([ACCOUNTS[1]])], {
      env,
      stdin: other,
    })
    expect(r0.code).toBe(0)
    const r = await audit([], ACCOUNTS)
    expect(r.code).toBe(1)
    expect(leaked(r)).toEqual([])
    const row = (a: string) => r.stdout.split('\n').find((l) => l.startsWith(a)) ?? ''
    expect(row(ACCOUNTS[0])).toMatch(/\sA\s+valid$/)
    expect(row(ACCOUNTS[1])).toMatch(/\s(19|20)\s+B\s+valid$/)
    expect(row(ACCOUNTS[2])).toMatch(/absent\s.*\smissing$/)
    expect(r.stdout).toMatch(/Soonest expiry: (19|20) days, 222222222222 \S+\./)
    expect(r.stdout).toContain('INVALID:')
    expect(r.stdout).toContain('333333333333 us-east-2 /argocd/cli/notifications: missing')
    expect(r.stdout).toMatch(/2 different tokens/)

    // --require-same false: the difference is a note, not a failure.
    const lenient = await audit(['--require-same', 'false'], ACCOUNTS.slice(0, 2))
    expect(lenient.code).toBe(0)
    expect(lenient.stdout).toMatch(/note: .*2 different tokens/)
    expect(leaked(lenient)).toEqual([])
    // --min-days-left above the sooner token's days left: it fails for that account.
    const strict = await audit(['--require-same', 'false', '--min-days-left', '30'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/222222222222 us-east-2 \/argocd\/cli\/notifications: invalid/)
  })

  test('bad flags: exit 2, the flag named, no AWS request sent', async () => {
    aws.clearRequests()
    const cases: Array<[string[], RegExp]> = [
      [['--min-days-left', 'soon'], /--min-days-left/],
      [['--targets', '[{ account-id: 42 }]'], /--targets .*12 digits/],
      [['--kms-key-id', 'alias/x'], /Unknown option '--kms-key-id'/],
      [['--mode', 'publish'], /Unknown option '--mode'/],
      [['--token-env', 'GITHUB_TOKEN'], /Unknown option '--token-env'/],
    ]
    for (const [extra, message] of cases) {
      const r = await audit(extra)
      expect(`${extra.join(' ')} → ${r.code}`).toBe(`${extra.join(' ')} → 2`)
      expect(r.stderr).toMatch(message)
    }
    const noProfile = await cli(['audit-ssm', '--name', NAME], { env })
    expect(noProfile.code).toBe(2)
    expect(noProfile.stderr).toContain('--profile is required')
    const token = await cli(['audit-ssm', '--token', canary, '--name', NAME], { env })
    expect(token.code).toBe(2)
    expect(token.stderr).not.toContain(canary)
    expect(aws.requests).toEqual([])
  })

  test('AWS refuses one account: that account is an error naming the permission, the other is audited', async () => {
    aws.deny(ACCOUNTS[1], ['ssm:GetParameter'])
    const r = await audit([])
    expect(r.code).toBe(1)
    expect(leaked(r)).toEqual([])
    const row = (a: string) => r.stdout.split('\n').find((l) => l.startsWith(a)) ?? ''
    expect(row(ACCOUNTS[0])).toMatch(/\sA\s+valid$/)
    expect(row(ACCOUNTS[1])).toMatch(/\serror$/)
    expect(r.stdout).toMatch(
      /222222222222 us-east-2 \/argocd\/cli\/notifications: error: .*ssm:GetParameter/,
    )
  })

  test('--help: the audit inputs, not the ones that write, and no token', async () => {
    const r = await cli(['audit-ssm', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('usage: argocd-actions audit-ssm')
    for (const flag of [
      '--name VALUE',
      '--targets VALUE',
      '--profile VALUE',
      '--min-days-left VALUE',
      '--require-same',
    ])
      expect(r.stdout).toContain(flag)
    for (const flag of ['--token-env', '--kms-key-id', '--dry-run', '--mode', '--tags'])
      expect(r.stdout).not.toContain(flag)
    // A long option name still leaves a space before its description.
    expect(r.stdout).toMatch(/--expected-account-id VALUE +Guard/)
    expect((await cli(['--help'])).stdout).toMatch(/audit-ssm\s+audit the tokens stored in AWS SSM/)
    // And publish does not take the audit's inputs.
    expect((await cli(['publish', '--help'])).stdout).not.toContain('--require-same')
  })
})

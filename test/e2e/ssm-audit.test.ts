import { createHash } from 'node:crypto'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  leaks,
  runBundle,
  startAwsSandbox,
  startGitHubSandbox,
  type AwsCredentials,
  type AwsSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

/**
 * publish-ssm-token `mode: audit` (issue 14): the bundle reads the tokens stored in four sandbox
 * accounts through an assumed role per account, validates them against the GitHub sandbox, and
 * writes nothing. Each test stores its tokens under a name of its own.
 */

const ACTION = 'publish-ssm-token'
const REGION = 'us-east-2'
const CORE_AUTO = '111111111111'
const PLAT_DEV = '222222222222'
const PLAT_STAGING = '333333333333'
const PLAT_PROD = '444444444444'
const PLATFORM = [PLAT_DEV, PLAT_STAGING, PLAT_PROD]
const ROLE = (account: string) => `arn:aws:iam::${account}:role/audit-tokens`
const DEPLOY = 'acme/argocd-deploy-non-prod'
const DAY = 86_400_000
const WEBHOOKS = { profile: 'argocd-webhooks', repositories: `{ deploy: ${DEPLOY} }` }

let aws: AwsSandbox
let gh: GitHubSandbox
let creds: AwsCredentials
const admins: Record<string, AwsCredentials> = {}

beforeAll(async () => {
  aws = await startAwsSandbox()
  aws.addAccount(CORE_AUTO)
  for (const account of PLATFORM) {
    aws.addAccount(account, { kmsKeys: ['alias/argocd-tokens'] })
    aws.addRole(ROLE(account), { trust: [CORE_AUTO] })
  }
  for (const account of [CORE_AUTO, ...PLATFORM])
    admins[account] = aws.addCredentials({ accountId: account, principal: 'role/admin' })
  creds = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  for (const repo of [DEPLOY, 'acme/argocd-deploy-prod']) {
    gh.addRepo(repo)
    gh.addCommit(repo, { branch: 'main' })
  }
})
afterAll(async () => {
  await aws.stop()
  await gh.stop()
})
beforeEach(() => {
  aws.clearRequests()
  aws.clearFaults()
  gh.clearRequests()
})

/** A webhooks token as the role wants it (or with other permissions / expiry). */
function webhooksToken(
  opts: { permissions?: Record<string, 'read' | 'write'>; expiresInDays?: number } = {},
): string {
  return gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: opts.permissions ?? { repository_hooks: 'write' },
    expiresAt: new Date(Date.now() + (opts.expiresInDays ?? 90) * DAY + 3600_000),
  })
}

/** Stores a parameter as someone else would (an admin of that account). */
async function store(
  account: string,
  name: string,
  value: string,
  extra: { type?: 'String' | 'SecureString'; keyId?: string } = {},
): Promise<void> {
  const client = new SSMClient({ endpoint: aws.url, region: REGION, credentials: admins[account] })
  try {
    await client.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: extra.type ?? 'SecureString',
        Overwrite: true,
        ...(extra.keyId && { KeyId: extra.keyId }),
      }),
    )
  } finally {
    client.destroy()
  }
  aws.clearRequests() // the audit's own requests are the ones checked
}

const targets = (name: string, accounts = PLATFORM) =>
  accounts
    .map(
      (a) => `- { account-id: "${a}", role-arn: "${ROLE(a)}", region: ${REGION}, name: ${name} }`,
    )
    .join('\n')

function audit(inputs: Record<string, string>): Promise<BundleRun> {
  return runBundle(
    ACTION,
    { mode: 'audit', 'api-url': gh.url, ...WEBHOOKS, ...inputs },
    {
      env: {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: aws.url,
        GITHUB_API_URL: gh.url,
      },
      timeoutMs: 120_000,
    },
  )
}

interface Row {
  account: string
  name: string
  present: boolean
  type: string | null
  kmsKeyId: string | null
  version: number | null
  lastModified: string | null
  tokenKind: string | null
  daysLeft: number | null
  verdict: string
  missing: string[]
  excess: string[]
  sameAs: string | null
  findings: string[]
  error?: string
}
const results = (r: BundleRun): Row[] => JSON.parse(r.outputs.results)
const row = (r: BundleRun, account: string) => results(r).find((x) => x.account === account)!

/** The audit writes nothing: no request but reads, identity and AssumeRole. */
const writes = () =>
  aws.requests
    .filter((q) => !/^(Get|Describe)|AssumeRole/.test(q.operation))
    .map((q) => q.operation)

/**
 * Nothing a reader could match against the token across runs: its raw and encoded forms (leaks),
 * its SHA-256 / SHA-1 in hex and base64, its first and last 8 characters.
 */
function derivedLeaks(r: BundleRun, token: string): string[] {
  const texts = { stdout: r.printed, stderr: r.stderr, outputs: r.outputFile, summary: r.summary }
  const forms = [
    ...['sha256', 'sha1'].flatMap((h) => [
      createHash(h).update(token).digest('hex'),
      createHash(h).update(token).digest('base64'),
    ]),
    token.slice(0, 8 + 'github_pat_'.length).slice(-8),
    token.slice(-8),
  ]
  const found = leaks(r, token)
  for (const [where, text] of Object.entries({ ...texts, ...r.tempFiles }))
    for (const f of forms) if (text.includes(f)) found.push(`${where}: a derived form`)
  return found
}

function expectClean(r: BundleRun, ...tokens: string[]): void {
  for (const t of tokens) expect(derivedLeaks(r, t)).toEqual([])
  expect(writes()).toEqual([])
  expect(r.errors.join('\n')).not.toMatch(/a bug in argocd-actions/)
}

const expectFailed = (r: BundleRun) => {
  expect(r.code).toBe(1)
  expect(r.outputs.valid).toBe('false')
}

test('all good: the same token in three accounts, each through its role', async () => {
  const name = '/argocd/audit/all-good'
  const token = webhooksToken({ expiresInDays: 60 })
  for (const a of PLATFORM) await store(a, name, token, { keyId: 'alias/argocd-tokens' })
  const r = await audit({ targets: targets(name) })
  if (r.code !== 0) throw new Error(r.errors.join('\n') + r.stderr)
  expect(r.outputs).toMatchObject({
    valid: 'true',
    'min-days-left': '60',
    changed: 'false',
    changes: '',
    version: '',
    arn: '',
  })
  const rows = results(r)
  expect(rows.map((x) => x.account)).toEqual(PLATFORM)
  for (const x of rows)
    expect(x).toMatchObject({
      present: true,
      type: 'SecureString',
      kmsKeyId: 'alias/argocd-tokens',
      version: 1,
      tokenKind: 'fine-grained',
      daysLeft: 60,
      verdict: 'valid',
      missing: [],
      excess: [],
      sameAs: 'A',
    })
  expect(rows[0].lastModified).toMatch(/^\d{4}-\d\d-\d\dT/)
  // Each account was read with its own role, and only read.
  expect(
    aws.requests.filter((q) => q.operation === 'GetParameter').map((q) => q.accountId),
  ).toEqual(expect.arrayContaining(PLATFORM))
  expect(r.summary).toContain('Stored tokens audited: all valid')
  expect(r.summary).toContain('| Account | Region | Name | Type | KMS key |')
  expect(r.summary).toContain(
    `| ${PLAT_DEV} | ${REGION} | ${name} | SecureString | alias/argocd-tokens | 1 |`,
  )
  // One distinct token: validated once (one GET /user), not once per account.
  expect(gh.requests.filter((q) => q.path.startsWith('/user?') || q.path === '/user')).toHaveLength(
    1,
  )
  expectClean(r, token)
})

test('a single name: version and arn outputs; the account guard as when publishing', async () => {
  const name = '/argocd/audit/single'
  const token = webhooksToken()
  await store(CORE_AUTO, name, token)
  const r = await audit({ name, 'expected-account-id': CORE_AUTO })
  expect(r.code).toBe(0)
  expect(r.outputs).toMatchObject({
    valid: 'true',
    version: '1',
    arn: `arn:aws:ssm:${REGION}:${CORE_AUTO}:parameter${name}`,
  })
  expect(row(r, CORE_AUTO).kmsKeyId).toBe('alias/aws/ssm')

  aws.clearRequests()
  const wrong = await audit({ name, 'expected-account-id': PLAT_PROD })
  expectFailed(wrong)
  expect(results(wrong)[0]).toMatchObject({ verdict: 'error', present: false })
  expect(wrong.errors.join('\n')).toContain(`belong to account ${CORE_AUTO}`)
  expect(aws.requests.filter((q) => q.operation === 'GetParameter')).toHaveLength(0)
  expectClean(wrong, token)
})

test('a missing parameter is "missing" (ParameterNotFound proves it); the others are audited', async () => {
  const name = '/argocd/audit/missing'
  const token = webhooksToken()
  await store(PLAT_DEV, name, token)
  await store(PLAT_PROD, name, token)
  const r = await audit({ targets: targets(name) })
  expectFailed(r)
  expect(row(r, PLAT_STAGING)).toMatchObject({ present: false, verdict: 'missing', sameAs: null })
  expect(row(r, PLAT_DEV)).toMatchObject({ verdict: 'valid', sameAs: 'A' })
  expect(row(r, PLAT_PROD)).toMatchObject({ verdict: 'valid', sameAs: 'A' })
  expect(r.errors.join('\n')).toContain(`${PLAT_STAGING} ${REGION} ${name}: missing`)
  expect(r.summary).toContain('❌ missing')
  expectClean(r, token)
})

test('a String instead of a SecureString is a finding (a plaintext token)', async () => {
  const name = '/argocd/audit/plaintext'
  const token = webhooksToken()
  await store(PLAT_DEV, name, token, { type: 'String' })
  await store(PLAT_STAGING, name, token)
  const r = await audit({ targets: targets(name, [PLAT_DEV, PLAT_STAGING]) })
  expectFailed(r)
  expect(row(r, PLAT_DEV)).toMatchObject({
    type: 'String',
    kmsKeyId: null,
    verdict: 'invalid',
    sameAs: 'A',
    tokenKind: 'fine-grained',
  })
  expect(row(r, PLAT_DEV).findings.join(' ')).toContain('plaintext String')
  expect(row(r, PLAT_STAGING)).toMatchObject({ verdict: 'valid', sameAs: 'A' })
  expect(r.errors.join('\n')).toContain(
    `${PLAT_DEV} ${REGION} ${name}: invalid: stored as a plaintext String`,
  )
  expectClean(r, token)
})

test('drift: one account still holds the previous token; the step names it and the newest', async () => {
  const name = '/argocd/audit/drift'
  const previous = webhooksToken()
  const current = webhooksToken()
  for (const a of PLATFORM) await store(a, name, previous)
  await new Promise((r) => setTimeout(r, 1100)) // SSM dates have one-second resolution
  for (const a of [PLAT_DEV, PLAT_PROD]) await store(a, name, current)
  const r = await audit({ targets: targets(name) })
  expectFailed(r)
  expect(results(r).map((x) => [x.account, x.sameAs, x.version, x.verdict])).toEqual([
    [PLAT_DEV, 'A', 2, 'valid'],
    [PLAT_STAGING, 'B', 1, 'valid'],
    [PLAT_PROD, 'A', 2, 'valid'],
  ])
  const text = r.errors.join('\n')
  expect(text).toContain('the targets hold 2 different tokens: A (the newest')
  expect(text).toMatch(
    new RegExp(`B \\(older, written [^)]+\\) in ${PLAT_STAGING} ${REGION} ${name}`),
  )
  expect(text).toContain('likely missed the last rotation')
  expect(r.summary).toContain('Why the step fails')
  expectClean(r, previous, current)

  // require-same: false: the drift is a warning, and every token is valid.
  const relaxed = await audit({ targets: targets(name), 'require-same': 'false' })
  expect(relaxed.code).toBe(0)
  expect(relaxed.outputs.valid).toBe('true')
  expect(relaxed.warnings.join('\n')).toContain('require-same is false')
  expectClean(relaxed, previous, current)
})

test('an expired token is invalid; one expiring within min-days-left fails, a lower threshold passes', async () => {
  const name = '/argocd/audit/expiry'
  const expired = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { repository_hooks: 'write' },
    expiresAt: new Date(Date.now() - DAY),
  })
  await store(PLAT_DEV, name, expired)
  const soon = webhooksToken({ expiresInDays: 5 })
  await store(PLAT_STAGING, name, soon)
  const r = await audit({
    targets: targets(name, [PLAT_DEV, PLAT_STAGING]),
    'require-same': 'false',
  })
  expectFailed(r)
  expect(row(r, PLAT_DEV).verdict).toBe('invalid')
  expect(row(r, PLAT_DEV).findings.join(' ')).toMatch(/401|Bad credentials|expired|revoked/i)
  expect(row(r, PLAT_STAGING)).toMatchObject({ verdict: 'invalid', daysLeft: 5 })
  expect(row(r, PLAT_STAGING).findings.join(' ')).toContain('fewer than min-days-left (14)')
  expect(r.outputs['min-days-left']).toBe('5')
  expectClean(r, expired, soon)

  const lower = await audit({ name, 'min-days-left': '3', targets: targets(name, [PLAT_STAGING]) })
  expect(lower.code).toBe(0)
  expect(lower.outputs).toMatchObject({ valid: 'true', 'min-days-left': '5' })
  expectClean(lower, soon)
})

test('a token that lost a permission (missing) and one with more than its role (excess)', async () => {
  const name = '/argocd/audit/permissions'
  const lost = webhooksToken({ permissions: {} })
  const broad = webhooksToken({ permissions: { repository_hooks: 'write', contents: 'write' } })
  await store(PLAT_DEV, name, lost)
  await store(PLAT_STAGING, name, broad)
  const r = await audit({
    targets: targets(name, [PLAT_DEV, PLAT_STAGING]),
    'require-same': 'false',
  })
  expectFailed(r)
  expect(row(r, PLAT_DEV)).toMatchObject({ verdict: 'invalid', excess: [] })
  expect(row(r, PLAT_DEV).missing.join(' ')).toMatch(/Webhooks/)
  expect(row(r, PLAT_STAGING)).toMatchObject({ verdict: 'invalid', missing: [] })
  expect(row(r, PLAT_STAGING).excess.join(' ')).toMatch(/Contents/)
  expect(r.summary).toMatch(/Webhooks/)
  expectClean(r, lost, broad)
})

test('AccessDenied on one account (kms:Decrypt, AssumeRole on others) is reported for it; the others are audited', async () => {
  const name = '/argocd/audit/denied'
  const token = webhooksToken()
  for (const a of PLATFORM) await store(a, name, token)
  // The double cannot lift a deny: the tests after this one read only plat-dev and core-auto.
  aws.deny(ROLE(PLAT_STAGING), ['ssm:GetParameter'])
  aws.deny(ROLE(PLAT_PROD), ['kms:Decrypt'])
  // The KMS key is shown, not judged: without ssm:DescribeParameters it is unknown, no failure.
  aws.deny(ROLE(PLAT_DEV), ['ssm:DescribeParameters'])
  const untrusted = `arn:aws:iam::${CORE_AUTO}:role/not-trusting-us`
  const r = await audit({
    targets: `${targets(name)}\n- { account-id: "${CORE_AUTO}", role-arn: "${untrusted}", region: ${REGION}, name: ${name} }`,
  })
  expectFailed(r)
  const rows = results(r)
  expect(rows[0]).toMatchObject({
    account: PLAT_DEV,
    verdict: 'valid',
    sameAs: 'A',
    kmsKeyId: null,
  })
  expect(r.stdout).toContain('is not shown: AccessDeniedException (add ssm:DescribeParameters')
  expect(rows[1]).toMatchObject({
    account: PLAT_STAGING,
    verdict: 'error',
    present: false,
    sameAs: null,
  })
  expect(rows[1].error).toMatch(/AccessDenied[\s\S]*grant ssm:GetParameter/)
  expect(rows[2]).toMatchObject({ account: PLAT_PROD, verdict: 'error', present: false })
  expect(rows[2].error).toContain("grant kms:Decrypt on the parameter's KMS key")
  expect(rows[3]).toMatchObject({ account: CORE_AUTO, verdict: 'error', present: false })
  expect(rows[3].error).toContain(`STS AssumeRole ${untrusted}`)
  expect(rows[3].error).toContain('grant sts:AssumeRole on that role')
  expect(r.errors.join('\n')).toContain(`${PLAT_STAGING} ${REGION} ${name}: error:`)
  expectClean(r, token)
})

test('throttling is retried; when it persists the target cannot be verified (never "missing")', async () => {
  const name = '/argocd/audit/throttled'
  const token = webhooksToken()
  for (const a of [PLAT_DEV, CORE_AUTO]) await store(a, name, token)
  const both = `- { account-id: "${PLAT_DEV}", role-arn: "${ROLE(PLAT_DEV)}", region: ${REGION}, name: ${name} }\n- { account-id: "${CORE_AUTO}", region: ${REGION}, name: ${name} }`

  aws.injectFault({ type: 'throttling', operation: 'GetParameter', accountId: PLAT_DEV, times: 2 })
  const retried = await audit({ targets: both })
  expect(retried.code).toBe(0)
  expect(row(retried, PLAT_DEV).verdict).toBe('valid')

  aws.clearFaults()
  aws.injectFault({
    type: 'throttling',
    operation: 'GetParameter',
    accountId: PLAT_DEV,
    times: 1000,
  })
  const r = await audit({ targets: both })
  expectFailed(r)
  expect(row(r, PLAT_DEV)).toMatchObject({ verdict: 'cannot-verify', present: false })
  expect(row(r, PLAT_DEV).error).toMatch(/throttl/i)
  expect(row(r, CORE_AUTO).verdict).toBe('valid')
  expect(
    aws.requests.filter((q) => q.operation === 'GetParameter' && q.accountId === PLAT_DEV).length,
  ).toBeGreaterThan(1)
  expectClean(r, token)
})

test('an unreadable GetParameter answer (a proxy page) is "cannot verify", not "missing"', async () => {
  const name = '/argocd/audit/proxy'
  const token = webhooksToken()
  await store(CORE_AUTO, name, token)
  aws.injectFault({
    type: 'body',
    operation: 'GetParameter',
    status: 200,
    contentType: 'text/html',
    body: '<html><body>proxy</body></html>',
    times: 1000,
  })
  const r = await audit({ name })
  expectFailed(r)
  expect(results(r)[0]).toMatchObject({ verdict: 'cannot-verify', present: false })
  expect(r.errors.join('\n')).toMatch(/HTML|unreadable/)
  expectClean(r, token)
})

describe('inputs in audit mode', () => {
  test.each([
    [
      { token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      "Input 'token' must not be given with 'mode: audit'",
    ],
    [{ 'kms-key-id': 'alias/argocd-tokens' }, "Input 'kms-key-id' is only used when publishing"],
    [{ tier: 'Advanced' }, "Input 'tier' is only used when publishing"],
    [{ tags: '{ team: platform }' }, "Input 'tags' is only used when publishing"],
    [{ description: 'x' }, "Input 'description' is only used when publishing"],
    [{ overwrite: 'false' }, "Input 'overwrite' is only used when publishing"],
    [{ 'expiration-notice-days': '14' }, "Input 'expiration-notice-days' is only used"],
    [{ 'dry-run': 'true' }, "Input 'dry-run' is only used when publishing"],
    [{ profile: '' }, "Input 'profile' is required with 'mode: audit'"],
    [{ profile: 'nope' }, "Input 'profile' 'nope' is not a built-in profile"],
    [{ 'min-days-left': '-1' }, "Input 'min-days-left' must be a whole number"],
    [{ 'min-days-left': 'soon' }, "Input 'min-days-left' must be a whole number"],
    [{ 'min-days-left': '99999' }, "Input 'min-days-left'"],
    [{ 'require-same': 'maybe' }, "Input 'require-same' must be true or false"],
    [{ mode: 'check' }, "Input 'mode'"],
  ])('%j is refused before any request', async (extra, message) => {
    const r = await audit({ name: '/argocd/audit/inputs', ...extra })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain(message)
    expect(aws.requests).toEqual([])
    expect(gh.requests.filter((q) => q.path !== '/').length).toBe(0)
  })

  test('the runner defaults of the publish-only inputs are accepted', async () => {
    const name = '/argocd/audit/defaults'
    const token = webhooksToken()
    await store(CORE_AUTO, name, token)
    const r = await audit({ name, tier: 'Standard', overwrite: 'true', 'dry-run': 'false' })
    expect(r.code).toBe(0)
    expectClean(r, token)
  })

  test.each([
    [{ 'min-days-left': '7' }, "Input 'min-days-left' is only read with 'mode: audit'"],
    [{ 'require-same': 'true' }, "Input 'require-same' is only read with 'mode: audit'"],
  ])('publish mode refuses the audit inputs: %j', async (extra, message) => {
    const r = await audit({
      mode: 'publish',
      token: webhooksToken(),
      name: '/argocd/audit/p',
      ...extra,
    })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain(message)
    expect(aws.requests).toEqual([])
  })
})

describe('auditStoredTokens (the public function the CLI runs)', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  test('in-process outside a runner: the same verdicts, and no ::add-mask:: of a token on stdout', async () => {
    const { auditStoredTokens, parseInputs } = await import('@argocd-actions/publish-ssm-token')
    const name = '/argocd/audit/public'
    const previous = webhooksToken()
    const current = webhooksToken()
    await store(PLAT_DEV, name, previous)
    await new Promise((r) => setTimeout(r, 1100))
    await store(CORE_AUTO, name, current)
    delete process.env.GITHUB_ACTIONS
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_ENDPOINT_URL: aws.url,
    })
    if (creds.sessionToken) process.env.AWS_SESSION_TOKEN = creds.sessionToken
    const values: Record<string, string> = {
      mode: 'audit',
      ...WEBHOOKS,
      'api-url': gh.url,
      // Accounts the deny test above left readable: plat-dev (its role), core-auto (own keys).
      targets: [
        targets(name, [PLAT_DEV]),
        `- { account-id: "${CORE_AUTO}", region: ${REGION}, name: ${name} }`,
        `- { account-id: "${PLAT_DEV}", role-arn: "${ROLE(PLAT_DEV)}", region: ${REGION}, name: ${name}-absent }`,
      ].join('\n'),
    }
    const inputs = await parseInputs((n) => values[n] ?? '', { AWS_REGION: REGION })
    const printed: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(String(chunk))
      return write(chunk, ...rest)
    }) as typeof process.stdout.write
    const logs: string[] = []
    let report
    try {
      report = await auditStoredTokens(inputs, {
        workspace: process.cwd(),
        log: (t, m) => logs.push(`${t.label}: ${m}`),
        warn: (m) => logs.push(m),
      })
    } finally {
      process.stdout.write = write
    }
    expect(report.valid).toBe(false)
    expect(report.targets.map((t) => [t.account, t.verdict, t.sameAs])).toEqual([
      [PLAT_DEV, 'valid', 'A'],
      [CORE_AUTO, 'valid', 'B'],
      [PLAT_DEV, 'missing', null],
    ])
    expect(report.minDaysLeft).toBe(90)
    expect(report.drift?.map((g) => [g.group, g.newest])).toEqual([
      ['B', true],
      ['A', false],
    ])
    expect(report.problems).toHaveLength(2)
    const everything = [...printed, ...logs, JSON.stringify(report)].join('\n')
    for (const t of [previous, current]) {
      expect(everything).not.toContain(t)
      expect(everything).not.toContain(createHash('sha256').update(t).digest('hex'))
    }
    expect(everything).not.toContain('::add-mask::')
  })
})

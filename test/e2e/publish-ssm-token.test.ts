import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  leaks,
  runBundle,
  startArgoCdSandbox,
  startAwsSandbox,
  startGitHubSandbox,
  type ArgoCdSandbox,
  type AwsFault,
  type AwsSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

const ACTION = 'publish-ssm-token'
const REGION = 'us-east-2'
const CORE_AUTO = '111111111111'
const PLAT_DEV = '222222222222'
const PLAT_STAGING = '333333333333'
const PLAT_PROD = '444444444444'
const DAY = 86_400_000

let aws: AwsSandbox
let gh: GitHubSandbox
let creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
let n = 0
const fresh = () => `ghp_${String(++n).padStart(4, '0')}${'t0k3n'.repeat(7)}x`

beforeAll(async () => {
  aws = await startAwsSandbox()
  aws.addAccount(CORE_AUTO, { kmsKeys: ['alias/argocd-tokens'] })
  for (const account of [PLAT_DEV, PLAT_STAGING, PLAT_PROD]) {
    aws.addAccount(account)
    aws.addRole(`arn:aws:iam::${account}:role/publish-tokens`, { trust: [CORE_AUTO] })
  }
  creds = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  for (const repo of ['acme/argocd-deploy-non-prod', 'acme/infra-repo']) {
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
})

function publish(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runBundle(ACTION, inputs, {
    env: {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: aws.url,
      GITHUB_API_URL: gh.url,
      ...env,
    },
  })
}
const stored = (name: string, account = CORE_AUTO) => aws.parameter(account, REGION, name)
const writes = () => aws.requests.filter((r) => r.operation === 'PutParameter')

/** A parameter written by someone else, e.g. a plaintext String holding the token. */
async function seed(
  input: ConstructorParameters<typeof PutParameterCommand>[0],
  sandbox: AwsSandbox = aws,
): Promise<void> {
  const client = new SSMClient({ endpoint: sandbox.url, region: REGION, credentials: creds })
  try {
    await client.send(new PutParameterCommand(input))
  } finally {
    client.destroy()
  }
}

function expectOk(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected success, got: ${r.errors.join('\n')}\n${r.stderr}`)
}
function expectFailure(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  const text = r.errors.join('\n')
  for (const part of parts) expect(text).toContain(part)
}

describe('one account', () => {
  test('create: a missing leading slash is added with a notice', async () => {
    const token = fresh()
    const r = await publish({ token, name: 'argocd/github/api_key_create' })
    expectOk(r)
    expect(r.stdout).toContain(
      "::notice::Parameter name has no leading '/': using /argocd/github/api_key_create",
    )
    expect(stored('/argocd/github/api_key_create')).toMatchObject({
      value: token,
      type: 'SecureString',
      version: 1,
    })
    expect(r.outputs).toMatchObject({
      version: '1',
      changed: 'true',
      arn: `arn:aws:ssm:${REGION}:${CORE_AUTO}:parameter/argocd/github/api_key_create`,
    })
    expect(JSON.parse(r.outputs.results)).toEqual([
      expect.objectContaining({
        account: CORE_AUTO,
        region: REGION,
        name: '/argocd/github/api_key_create',
        version: 1,
        changed: true,
        error: null,
      }),
    ])
    expect(r.summary).toContain('Token published to SSM')
  })

  test('update makes a new version; the same token again makes none', async () => {
    const name = '/argocd/github/api_key_update'
    expectOk(await publish({ token: fresh(), name }))
    const second = fresh()
    const updated = await publish({ token: second, name })
    expectOk(updated)
    expect(updated.outputs).toMatchObject({ version: '2', changed: 'true' })
    expect(stored(name)).toMatchObject({ value: second, version: 2 })

    const again = await publish({ token: second, name })
    expectOk(again)
    expect(again.outputs).toMatchObject({ version: '2', changed: 'false' })
    expect(stored(name)!.version).toBe(2)
  })

  test('tags on create, and added on update (SSM refuses tags with overwrite)', async () => {
    const name = '/argocd/github/api_key_tags'
    expectOk(await publish({ token: fresh(), name, tags: '{ team: platform }' }))
    expect(stored(name)!.tags).toEqual({ team: 'platform' })
    expectOk(await publish({ token: fresh(), name, tags: '{ rotation: quarterly }' }))
    expect(stored(name)!.tags).toEqual({ team: 'platform', rotation: 'quarterly' })
    const puts = writes()
    expect(puts.some((p) => JSON.parse(p.body).Overwrite === true && JSON.parse(p.body).Tags)).toBe(
      false,
    )
  })

  test('a customer-managed KMS key; an unknown one fails naming it', async () => {
    const name = '/argocd/github/api_key_kms'
    expectOk(await publish({ token: fresh(), name, 'kms-key-id': 'alias/argocd-tokens' }))
    expect(stored(name)!.keyId).toBe('alias/argocd-tokens')
    const r = await publish({
      token: fresh(),
      name: '/argocd/github/api_key_kms2',
      'kms-key-id': 'alias/missing',
    })
    expectFailure(r, 'KMS key alias/missing is not usable')
    expect(stored('/argocd/github/api_key_kms2')).toBeUndefined()
  })

  test('overwrite: false fails on an existing parameter and changes nothing', async () => {
    const name = '/argocd/github/api_key_keep'
    const first = fresh()
    expectOk(await publish({ token: first, name }))
    const r = await publish({ token: fresh(), name, overwrite: 'false' })
    expectFailure(r, 'already exists and overwrite is false')
    expect(stored(name)).toMatchObject({ value: first, version: 1 })
  })

  test('without kms:Decrypt it cannot compare: it overwrites and says so', async () => {
    const name = '/argocd/github/api_key_nodecrypt'
    expectOk(await publish({ token: fresh(), name }))
    const blind = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/no-decrypt' })
    aws.deny('role/no-decrypt', ['kms:Decrypt'])
    const token = fresh()
    const r = await publish(
      { token, name },
      { AWS_ACCESS_KEY_ID: blind.accessKeyId, AWS_SECRET_ACCESS_KEY: blind.secretAccessKey },
    )
    expectOk(r)
    expect(r.stdout).toContain('cannot read')
    expect(r.stdout).toContain('overwriting')
    expect(stored(name)).toMatchObject({ value: token, version: 2 })
  })

  test('the account guard refuses a wrong account, writing nothing', async () => {
    const r = await publish({
      token: fresh(),
      name: '/argocd/github/api_key_guard',
      'expected-account-id': PLAT_PROD,
    })
    expectFailure(r, `belong to account ${CORE_AUTO}`, `not ${PLAT_PROD}`, 'nothing was written')
    expect(writes()).toEqual([])
  })

  test('throttling and TooManyUpdates are survived', async () => {
    aws.injectFault({ type: 'throttling', operation: 'PutParameter', times: 2 })
    aws.injectFault({ type: 'too-many-updates', operation: 'PutParameter', times: 2 })
    const token = fresh()
    const r = await publish({ token, name: '/argocd/github/api_key_busy' })
    expectOk(r)
    expect(stored('/argocd/github/api_key_busy')).toMatchObject({ value: token, version: 1 })
    expect(writes().length).toBeGreaterThanOrEqual(5)
  })

  test('dry-run writes nothing', async () => {
    const r = await publish({
      token: fresh(),
      name: '/argocd/github/api_key_dry',
      'dry-run': 'true',
    })
    expectOk(r)
    expect(r.summary).toContain('dry run')
    expect(writes()).toEqual([])
    expect(stored('/argocd/github/api_key_dry')).toBeUndefined()
    expect(r.stdout).toContain('dry run: would create')
    expect(r.summary).toContain('would: created')
  })

  test('dry-run reads and says what a real run would write', async () => {
    const name = '/argocd/github/api_key_dry_existing'
    const token = fresh()
    await seed({ Name: name, Value: token, Type: 'String' })
    aws.clearRequests()
    const r = await publish({ token, name, description: 'rotated', 'dry-run': 'true' })
    expectOk(r)
    expect(r.stdout).toContain(`dry run: would write type, description of arn:aws:ssm:${REGION}`)
    expect(r.summary).toContain('would: type, description')
    expect(r.outputs).toMatchObject({ changed: 'false', changes: '' })
    expect(writes()).toEqual([])
    expect(stored(name)).toMatchObject({ type: 'String', version: 1 })
    expect(leaks(r, token)).toEqual([])
  })
})

describe('"unchanged" means the whole stored parameter', () => {
  test('the same token in a plaintext String: SSM refuses the type change, the step says how to fix it', async () => {
    const name = '/argocd/github/api_key_plain'
    const token = fresh()
    await seed({ Name: name, Value: token, Type: 'String' })
    const r = await publish({ token, name })
    expectFailure(
      r,
      'is a plaintext String parameter',
      'HierarchyTypeMismatchException',
      'Nothing was written',
      `aws ssm delete-parameter --region ${REGION} --name ${name}`,
    )
    expect(r.outputs.changed).toBe('false')
    expect(stored(name)).toMatchObject({ type: 'String', version: 1 })
    expect(r.errors.join('\n')).not.toContain('a bug')
    expect(leaks(r, token)).toEqual([])
  })

  test('the same token in a plaintext String is upgraded to SecureString where SSM allows it', async () => {
    const sandbox = await startAwsSandbox({ typeChange: 'allow' })
    try {
      sandbox.addAccount(CORE_AUTO, { kmsKeys: ['alias/argocd-tokens'] })
      const own = sandbox.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
      const name = '/argocd/github/api_key_upgrade'
      const token = fresh()
      const client = new SSMClient({ endpoint: sandbox.url, region: REGION, credentials: own })
      await client.send(new PutParameterCommand({ Name: name, Value: token, Type: 'String' }))
      client.destroy()
      const r = await publish(
        { token, name, 'kms-key-id': 'alias/argocd-tokens' },
        {
          AWS_ACCESS_KEY_ID: own.accessKeyId,
          AWS_SECRET_ACCESS_KEY: own.secretAccessKey,
          AWS_ENDPOINT_URL: sandbox.url,
        },
      )
      expectOk(r)
      expect(r.outputs).toMatchObject({ changed: 'true', version: '2', changes: 'type' })
      expect(JSON.parse(r.outputs.results)[0]).toMatchObject({ changed: true, changes: ['type'] })
      expect(r.summary).toContain('yes: type')
      expect(sandbox.parameter(CORE_AUTO, REGION, name)).toMatchObject({
        type: 'SecureString',
        keyId: 'alias/argocd-tokens',
        value: token,
        version: 2,
      })
      expect(leaks(r, token)).toEqual([])
    } finally {
      await sandbox.stop()
    }
  })

  test.each<[string, Record<string, string>, Record<string, string>, string, object]>([
    [
      'another KMS key',
      {},
      { 'kms-key-id': 'alias/argocd-tokens' },
      'kms-key',
      { keyId: 'alias/argocd-tokens' },
    ],
    [
      'another description',
      { description: 'old' },
      { description: 'new' },
      'description',
      { description: 'new' },
    ],
    ['another tier', {}, { tier: 'Advanced' }, 'tier', { tier: 'Advanced' }],
  ])(
    'the same token under %s makes a new version',
    async (label, first, second, attribute, after) => {
      const name = `/argocd/github/api_key_${attribute}`
      const token = fresh()
      expectOk(await publish({ token, name, ...first }))
      const r = await publish({ token, name, ...second })
      expectOk(r)
      expect(r.outputs).toMatchObject({ changed: 'true', version: '2', changes: attribute })
      expect(r.summary).toContain(`yes: ${attribute}`)
      expect(stored(name)).toMatchObject({ value: token, version: 2, ...after })
      // And then it is unchanged: nothing more is written.
      aws.clearRequests()
      const again = await publish({ token, name, ...second })
      expectOk(again)
      expect(again.outputs).toMatchObject({ changed: 'false', version: '2', changes: '' })
      expect(writes().filter((w) => JSON.parse(w.body).Overwrite === true)).toEqual([])
      expect(label).toBeTruthy()
    },
  )

  test('tags that differ are set, without a new version; tags set by others are left alone', async () => {
    const name = '/argocd/github/api_key_retag'
    const token = fresh()
    expectOk(await publish({ token, name, tags: '{ team: platform, cost: argocd }' }))
    const r = await publish({ token, name, tags: '{ team: infra, cost: argocd }' })
    expectOk(r)
    expect(r.outputs).toMatchObject({ changed: 'true', version: '1', changes: 'tags' })
    expect(stored(name)).toMatchObject({ version: 1, tags: { team: 'infra', cost: 'argocd' } })
    const tagged = aws.requests.filter((q) => q.operation === 'AddTagsToResource')
    expect(tagged.map((q) => JSON.parse(q.body).Tags)).toEqual([[{ Key: 'team', Value: 'infra' }]])
    const again = await publish({ token, name, tags: '{ team: infra }' })
    expectOk(again)
    expect(again.outputs.changed).toBe('false')
  })

  test('without ssm:DescribeParameters and ssm:ListTagsForResource it writes everything and says so', async () => {
    const name = '/argocd/github/api_key_nodescribe'
    const token = fresh()
    expectOk(await publish({ token, name, tags: '{ team: platform }' }))
    const blind = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/no-describe' })
    aws.deny('role/no-describe', ['ssm:DescribeParameters', 'ssm:ListTagsForResource'])
    const r = await publish(
      { token, name, tags: '{ team: platform }' },
      { AWS_ACCESS_KEY_ID: blind.accessKeyId, AWS_SECRET_ACCESS_KEY: blind.secretAccessKey },
    )
    expectOk(r)
    expect(r.stdout).toContain('add ssm:DescribeParameters to skip unchanged writes')
    expect(r.stdout).toContain('add ssm:ListTagsForResource to skip unchanged writes')
    expect(r.outputs).toMatchObject({ changed: 'true', version: '2' })
    expect(r.summary).toContain('written without comparing: metadata, tags')
    expect(stored(name)).toMatchObject({ value: token, version: 2, type: 'SecureString' })
  })

  const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'
  test.each<[string, string, AwsFault, string]>([
    [
      'DescribeParameters',
      '500 every time',
      { type: 'internal' },
      'server error (InternalServerError, HTTP 500',
    ],
    [
      'DescribeParameters',
      'a 502 HTML page',
      { type: 'body', status: 502, contentType: 'text/html', body: HTML_502 },
      'HTTP 502 with an HTML page instead of an AWS answer after 3 attempts: likely a proxy',
    ],
    [
      'DescribeParameters',
      'throttling past the retries',
      { type: 'throttling' },
      'ThrottlingException',
    ],
    ['DescribeParameters', 'a null body', { type: 'body', body: 'null' }, 'a JSON null'],
    [
      'DescribeParameters',
      'a body of the wrong shape',
      { type: 'body', body: '{"Parameters":"none"}' },
      'wrong shape',
    ],
    [
      'DescribeParameters',
      'an empty list for a parameter that exists',
      { type: 'body', body: '{"Parameters":[]}' },
      'DescribeParameters does not list',
    ],
    [
      'ListTagsForResource',
      '500 every time',
      { type: 'internal' },
      'server error (InternalServerError, HTTP 500',
    ],
    [
      'ListTagsForResource',
      'a body of the wrong shape',
      { type: 'body', body: '{"TagList":[{"Key":1}]}' },
      'wrong shape',
    ],
    [
      'GetParameter',
      '500 every time',
      { type: 'internal' },
      'server error (InternalServerError, HTTP 500',
    ],
    ['GetParameter', 'a connection reset every time', { type: 'reset' }, 'connection was reset'],
  ])(
    '%s answering %s: nothing is written and nothing is called unchanged',
    async (operation, _label, fault, cause) => {
      const name = `/argocd/github/api_key_unreadable_${operation}`
      const token = fresh()
      expectOk(await publish({ token, name, tags: '{ team: platform }' }))
      const before = stored(name)!.version
      aws.clearRequests()
      aws.injectFault({ ...fault, operation, times: 1000 })
      const r = await publish({ token, name, tags: '{ team: platform }' })
      expectFailure(
        r,
        `cannot compare`,
        `${operation} gave no usable answer`,
        cause,
        'Nothing was written',
      )
      expect(r.errors.join('\n')).not.toContain('<html')
      expect(r.errors.join('\n')).not.toContain('a bug')
      expect(r.outputs.changed).toBe('false')
      expect(aws.requests.filter((q) => q.operation === 'AddTagsToResource')).toEqual([])
      expect(writes().filter((w) => JSON.parse(w.body).Overwrite === true)).toEqual([])
      expect(stored(name)!.version).toBe(before)
      expect(leaks(r, token)).toEqual([])
    },
    120_000,
  )
})

describe('validation first', () => {
  const release = {
    profile: 'argocd-release',
    repositories: '{ deploy: acme/argocd-deploy-non-prod, infra: acme/infra-repo }',
  }

  test('a token that does not fit its role is not stored', async () => {
    const wrong = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/argocd-deploy-non-prod'],
      permissions: { contents: 'write' },
      expiresAt: new Date(Date.now() + 60 * DAY),
    })
    const r = await publish({ token: wrong, name: '/argocd/github/release', ...release })
    expectFailure(
      r,
      'Refusing to store the token',
      'cannot reach acme/infra-repo',
      'Nothing was written',
    )
    expect(aws.requests).toEqual([])
    expect(stored('/argocd/github/release')).toBeUndefined()
  })

  test('a fitting token is stored, with an expiration notification when asked', async () => {
    const expiresAt = new Date(Date.now() + 60 * DAY)
    const good = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/argocd-deploy-non-prod', 'acme/infra-repo'],
      permissions: { contents: 'write' },
      expiresAt,
    })
    const r = await publish({
      token: good,
      name: '/argocd/github/release',
      ...release,
      'expiration-notice-days': '14',
    })
    expectOk(r)
    const p = stored('/argocd/github/release')!
    expect(p.tier).toBe('Advanced')
    const policies = (p.policies as Array<{ PolicyText: string }>).map((x) =>
      JSON.parse(x.PolicyText),
    )
    expect(policies).toEqual([
      {
        Type: 'Expiration',
        Version: '1.0',
        Attributes: { Timestamp: expiresAt.toISOString().replace(/\.\d+Z$/, '.000Z') },
      },
      {
        Type: 'ExpirationNotification',
        Version: '1.0',
        Attributes: { Before: '14', Unit: 'Days' },
      },
    ])

    // The same policies again: unchanged. Another notice period: a new version, 'policies'.
    const inputs = { token: good, name: '/argocd/github/release', ...release }
    const again = await publish({ ...inputs, 'expiration-notice-days': '14' })
    expectOk(again)
    expect(again.outputs).toMatchObject({ changed: 'false', version: '1' })
    const shorter = await publish({ ...inputs, 'expiration-notice-days': '7' })
    expectOk(shorter)
    expect(shorter.outputs).toMatchObject({ changed: 'true', version: '2', changes: 'policies' })
    // Without the option, policies are not the action's to set, and Advanced cannot go back.
    const plain = await publish(inputs)
    expectOk(plain)
    expect(plain.outputs).toMatchObject({ changed: 'false', version: '2' })
    expect(plain.stdout).toContain('stays Advanced: SSM cannot move a parameter back to Standard')
    expect(stored('/argocd/github/release')).toMatchObject({ tier: 'Advanced', version: 2 })
    // A new token without the option keeps the earlier token's Expiration: a warning says so.
    const next = await publish({ token: fresh(), name: '/argocd/github/release' })
    expectOk(next)
    expect(next.stdout).toMatch(/::warning::.*has an Expiration policy .* set for an earlier token/)
    expect(next.summary).toContain('set for an earlier token')
  })
})

describe('an Argo CD token, validated on its Argo CD server', () => {
  let argocd: ArgoCdSandbox
  let token: string
  const ciSync = {
    profile: 'argocd-ci-sync',
    'argocd-project': 'web',
    'argocd-applications': 'web.api, web.worker',
  }
  beforeAll(async () => {
    argocd = await startArgoCdSandbox()
    const grant = (action: string) =>
      ['web.api', 'web.worker'].map(
        (a) => `p, proj:web:ci, applications, ${action}, web/${a}, allow`,
      )
    argocd.addProject('web', {
      roles: [
        { name: 'ci', policies: [...grant('get'), ...grant('sync')] },
        { name: 'reader', policies: ['p, proj:web:reader, applications, get, web/web.api, allow'] },
      ],
    })
    token = argocd.projectToken('web', 'ci', { expiresInSeconds: 30 * 86_400 })
  })
  afterAll(() => argocd.stop())
  beforeEach(() => {
    argocd.clearRequests()
    gh.clearRequests()
  })

  test('a project token that fits argocd-ci-sync is stored; nothing goes to GitHub', async () => {
    const name = '/argocd/argocd/ci_sync'
    const r = await publish({ token, name, 'api-url': argocd.url, ...ciSync })
    expectOk(r)
    expect(stored(name)).toMatchObject({ value: token, type: 'SecureString' })
    expect(argocd.requests.length).toBeGreaterThan(0)
    expect(gh.requests).toEqual([])
    expect(leaks(r, token)).toEqual([])
  })

  test('one that cannot sync them is not stored', async () => {
    const reader = argocd.projectToken('web', 'reader', { expiresInSeconds: 30 * 86_400 })
    const name = '/argocd/argocd/ci_sync_reader'
    const r = await publish({ token: reader, name, 'api-url': argocd.url, ...ciSync })
    expectFailure(r, 'Refusing to store the token', 'Nothing was written')
    expect(aws.requests).toEqual([])
    expect(stored(name)).toBeUndefined()
  })

  test("without api-url it is sent nowhere: the runner's GitHub API is not its server", async () => {
    const name = '/argocd/argocd/ci_sync_no_server'
    const r = await publish({ token, name, ...ciSync })
    expectFailure(
      r,
      "Input 'api-url' is required for an Argo CD token",
      'https://argocd.example.com',
    )
    expect([gh.requests, argocd.requests, aws.requests]).toEqual([[], [], []])
    expect(leaks(r, token)).toEqual([])
  })

  test('audit mode checks the stored Argo CD token on its server', async () => {
    const name = '/argocd/argocd/ci_sync'
    expectOk(await publish({ token, name, 'api-url': argocd.url, ...ciSync }))
    argocd.clearRequests()
    const r = await publish({ mode: 'audit', name, 'api-url': argocd.url, ...ciSync })
    expectOk(r)
    expect(JSON.parse(r.outputs.results)).toEqual([
      expect.objectContaining({ verdict: 'valid', tokenKind: 'argocd-project' }),
    ])
    expect(argocd.requests.length).toBeGreaterThan(0)
    expect(gh.requests).toEqual([])
    expect(leaks(r, token)).toEqual([])
  })
})

describe('several accounts from one job', () => {
  test('concurrently, one denied target does not stop the others; the step names it', async () => {
    aws.deny(`arn:aws:iam::${PLAT_PROD}:role/publish-tokens`, ['ssm:PutParameter'])
    const token = fresh()
    const name = '/argocd/notifications/notifiers/common/github-token'
    const targets = [PLAT_DEV, PLAT_STAGING, PLAT_PROD]
      .map(
        (a) =>
          `- { account-id: "${a}", role-arn: "arn:aws:iam::${a}:role/publish-tokens", region: ${REGION}, name: ${name} }`,
      )
      .join('\n')
    const r = await publish({ token, targets })
    expectFailure(r, '1 of 3 targets failed', `${PLAT_PROD}/${REGION}${name}`)
    expect(stored(name, PLAT_DEV)!.value).toBe(token)
    expect(stored(name, PLAT_STAGING)!.value).toBe(token)
    expect(stored(name, PLAT_PROD)).toBeUndefined()
    const results = JSON.parse(r.outputs.results)
    expect(results).toHaveLength(3)
    expect(results.find((x: { account: string }) => x.account === PLAT_PROD).error).toContain(
      'grant ssm:PutParameter',
    )
    expect(r.summary).toContain('| 444444444444 |')
  })
})

describe('a top-level name with targets', () => {
  test('is the default for entries that give none', async () => {
    const token = fresh()
    const name = '/argocd/github/api_key_shared'
    const targets = [
      `- { account-id: "${PLAT_DEV}", role-arn: "arn:aws:iam::${PLAT_DEV}:role/publish-tokens" }`,
      `- { account-id: "${PLAT_STAGING}", role-arn: "arn:aws:iam::${PLAT_STAGING}:role/publish-tokens", name: /argocd/github/own_name }`,
    ].join('\n')
    const r = await publish({ token, name: 'argocd/github/api_key_shared', targets })
    expectOk(r)
    expect(stored(name, PLAT_DEV)!.value).toBe(token)
    expect(stored('/argocd/github/own_name', PLAT_STAGING)!.value).toBe(token)
    expect(stored(name, PLAT_STAGING)).toBeUndefined()
    expect(r.stdout).toContain(`::notice::Parameter name has no leading '/': using ${name}`)
  })
})

describe('every AWS failure names the call and the cause; an answer that says nothing fails closed', () => {
  const role = `arn:aws:iam::${PLAT_PROD}:role/publish-tokens`
  const viaRole = (name: string) => ({
    name: '',
    targets: `- { account-id: "${PLAT_PROD}", role-arn: "${role}", name: ${name} }`,
  })
  const wrote = (name: string, account: string) =>
    aws.requests.filter(
      (q) => q.accountId === account && q.operation === 'PutParameter' && q.body.includes(name),
    )

  test.each<[string, string, AwsFault, string[]]>([
    [
      'STS AssumeRole',
      '500 every time',
      { type: 'internal' },
      [`STS AssumeRole ${role}: server error (InternalFailure, HTTP 500`, 'after 3 attempts'],
    ],
    [
      'STS AssumeRole',
      'a body of the wrong shape',
      { type: 'body', body: '<Response><Unexpected/></Response>' },
      [`STS AssumeRole ${role}: unreadable answer: HTTP 200 with XML rooted at <Response>`],
    ],
    [
      'STS GetCallerIdentity',
      'an empty body',
      { type: 'body', body: '' },
      ['STS GetCallerIdentity: unreadable answer: HTTP 200 with an empty body'],
    ],
    [
      'STS GetCallerIdentity',
      'a 302 to another origin',
      { type: 'body', status: 302, body: '', headers: { location: 'http://elsewhere.example/x' } },
      [
        'STS GetCallerIdentity: answered HTTP 302, a redirect to elsewhere.example, which was not followed',
      ],
    ],
  ])(
    '%s answering %s: nothing is written',
    async (call, _label, fault, parts) => {
      const name = `/argocd/github/api_key_sts_${fault.type}`
      aws.injectFault({ ...fault, operation: call.split(' ')[1], times: 1000 })
      const token = fresh()
      const r = await publish({ token, ...viaRole(name) })
      expectFailure(r, ...parts, 'Nothing was written')
      expect(leaks(r, token)).toEqual([])
      expect(r.errors.join('\n')).not.toMatch(
        /a bug|belong to account {2}|returned no credentials|Unknown/,
      )
      expect(wrote(name, PLAT_PROD)).toEqual([])
      expect(stored(name, PLAT_PROD)).toBeUndefined()
    },
    60_000,
  )

  test('GetParameter answering null: not read as "differs", nothing is written', async () => {
    const name = '/argocd/github/api_key_get_null'
    const old = fresh()
    expectOk(await publish({ token: old, name }))
    aws.clearRequests()
    aws.injectFault({ type: 'body', body: 'null', operation: 'GetParameter', times: 1000 })
    const token = fresh()
    const r = await publish({ token, name })
    expectFailure(
      r,
      'SSM GetParameter gave no usable answer (unreadable answer: HTTP 200 with a JSON null',
      'Nothing was written',
    )
    expect(r.outputs.changed).toBe('false')
    expect(writes().filter((w) => JSON.parse(w.body).Overwrite === true)).toEqual([])
    expect(stored(name)).toMatchObject({ value: old, version: 1 })
    expect(leaks(r, token)).toEqual([])
    expect(leaks(r, old)).toEqual([])
  })

  test('GetParameter answering the stored token in a wrong-shaped body: neither value is printed', async () => {
    const name = '/argocd/github/api_key_get_shape'
    const old = fresh()
    expectOk(await publish({ token: old, name }))
    aws.injectFault({
      type: 'body',
      body: JSON.stringify({ Parameter: { Name: name, Value: old } }),
      operation: 'GetParameter',
      times: 1000,
    })
    const token = fresh()
    const r = await publish({ token, name })
    expectFailure(
      r,
      'SSM GetParameter gave no usable answer',
      'no Parameter.Version',
      'Nothing was written',
    )
    expect(stored(name)).toMatchObject({ value: old, version: 1 })
    expect(leaks(r, token)).toEqual([])
    expect(leaks(r, old)).toEqual([])
  })

  test.each([
    ['null', 'null', 'a JSON null'],
    ['a body without Version', '{"Tier":"Standard"}', 'a body of the wrong shape (no Version)'],
  ])(
    'PutParameter answering %s: the outcome is unknown, never "published"',
    async (_l, body, what) => {
      const name = `/argocd/github/api_key_put_${what.length}`
      const token = fresh()
      aws.injectFault({ type: 'body', body, operation: 'PutParameter', times: 1000 })
      const r = await publish({ token, name })
      expectFailure(
        r,
        `SSM PutParameter: unreadable answer: HTTP 200 with ${what}`,
        "The write's outcome is unknown",
        `check arn:aws:ssm:${REGION}:${CORE_AUTO}:parameter${name}`,
      )
      expect(r.outputs.changed).toBe('false')
      expect(r.summary).toContain('Token publication failed')
      expect(r.summary).not.toContain('Token published')
      expect(leaks(r, token)).toEqual([])
    },
  )

  test('AddTagsToResource answering null: the tags are not confirmed', async () => {
    const name = '/argocd/github/api_key_tags_null'
    const token = fresh()
    expectOk(await publish({ token, name, tags: '{ team: one }' }))
    aws.injectFault({ type: 'body', body: 'null', operation: 'AddTagsToResource', times: 1000 })
    const r = await publish({ token, name, tags: '{ team: two }' })
    expectFailure(
      r,
      'SSM AddTagsToResource: unreadable answer: HTTP 200 with a JSON null',
      'Cannot confirm the tags were set',
    )
    expect(leaks(r, token)).toEqual([])
  })

  test('PutParameter redirected to another origin: names the host, follows nothing', async () => {
    const name = '/argocd/github/api_key_put_302'
    aws.injectFault({
      type: 'body',
      status: 302,
      body: '',
      headers: { location: 'http://elsewhere.example:8443/moved' },
      operation: 'PutParameter',
      times: 1000,
    })
    const r = await publish({ token: fresh(), name })
    expectFailure(
      r,
      'SSM PutParameter: answered HTTP 302, a redirect to elsewhere.example:8443, which was not followed',
    )
    expect(r.errors.join('\n')).not.toContain('UnknownError')
    expect(stored(name)).toBeUndefined()
  })
})

describe('invalid inputs fail clearly, before any request', () => {
  test.each<[Record<string, string>, ...string[]]>([
    [
      { name: '/aws/reserved' },
      "Input 'name' may not begin with 'aws' or 'ssm'",
      'Example: name: /argocd/github/api_key',
    ],
    [{ name: 'ssm-things/x' }, "may not begin with 'aws' or 'ssm'"],
    [{ name: '/argocd/github/api key' }, "Input 'name' may only hold letters, digits"],
    [{ name: '/argocd//api_key' }, "Input 'name' has an empty level"],
    [
      { name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}` },
      'has 16 levels; SSM allows at most 15',
    ],
    [{ name: `/${'a'.repeat(1000)}` }, 'makes an ARN of', 'SSM allows 1011'],
    [{ name: '' }, "Input 'name' is required"],
    [{ tier: 'Gold' }, "Input 'tier' has an unknown value 'Gold'"],
    [{ tags: '{ team: [a' }, "Input 'tags' is not valid YAML"],
    [{ tags: '{ "aws:owner": me }' }, "Input 'tags' has an invalid key"],
    [{ description: 'x'.repeat(1025) }, "Input 'description' is 1025 characters"],
    [{ region: 'mars-1' }, "Input 'region' is not an AWS region"],
    [{ 'expected-account-id': '12345' }, "Input 'expected-account-id' must be 12 digits"],
    [{ 'kms-key-id': 'my key' }, "Input 'kms-key-id' is not a KMS key id"],
    [{ overwrite: 'maybe' }, "Input 'overwrite' must be true or false"],
    [{ 'dry-run': 'sure' }, "Input 'dry-run' must be true or false"],
    [{ 'expiration-notice-days': '0' }, "Input 'expiration-notice-days' must be between 1 and 365"],
    [{ 'expiration-notice-days': '14' }, "Input 'expiration-notice-days' needs 'profile'"],
    [
      { name: '', targets: '- { account-id: 12, region: us-east-2, name: /x }' },
      "Input 'targets' entry 1: account-id must be 12 digits",
    ],
    [{ name: '', targets: 'not: a list' }, "Input 'targets' must be a non-empty YAML list"],
    [
      { name: '', targets: `- { account-id: "${PLAT_DEV}" }` },
      "Input 'targets' entry 1: name is required (in the entry, or as the input 'name'",
    ],
    [
      {
        name: '',
        targets: `- { account-id: "${PLAT_DEV}", role-arn: "arn:aws:iam::${PLAT_PROD}:role/x", name: /x }`,
      },
      'role-arn is in account 444444444444, not 222222222222',
    ],
    [{ repositories: '{ deploy: acme/x }' }, "Input 'repositories' needs 'profile'"],
    [{ 'argocd-project': 'web' }, "Input 'argocd-project' needs 'profile'", 'argocd-ci-sync'],
    [{ 'argocd-applications': 'web.api' }, "Input 'argocd-applications' needs 'profile'"],
    [
      { profile: 'argocd-webhooks', 'argocd-project': 'web' },
      "Input 'argocd-project' is for Argo CD tokens; this is a github token",
    ],
    [
      { profile: 'argocd-ci-sync', 'argocd-project': 'web', 'argocd-applications': 'web/' },
      "Input 'argocd-applications'",
    ],
    [{ profile: 'nope' }, "Input 'profile' 'nope' is not a built-in profile"],
  ])('%j', async (bad, ...parts) => {
    const r = await publish({ token: fresh(), name: '/argocd/github/api_key_bad', ...bad })
    expectFailure(r, ...parts)
    expect(aws.requests).toEqual([])
  })

  test('a description holding the token is refused', async () => {
    const token = fresh()
    const r = await publish({ token, name: '/argocd/x', description: `token is ${token}` })
    expectFailure(r, "Input 'description' contains the token")
    expect(r.printed).not.toContain(token)
  })
})

describe('a canary token appears nowhere but in the stored value', () => {
  const canary = `ghp_CANARY${'c4n4ry'.repeat(5)}Zz`
  test.each([
    ['create', { name: '/argocd/canary' }],
    ['unchanged', { name: '/argocd/canary' }],
    [
      'several targets',
      {
        targets: `- { account-id: "${PLAT_DEV}", role-arn: "arn:aws:iam::${PLAT_DEV}:role/publish-tokens", name: /argocd/canary }`,
      },
    ],
    ['failure', { name: '/argocd/canary-fail', 'kms-key-id': 'alias/missing' }],
    [
      'attributes differ',
      { name: '/argocd/canary', description: 'rotated', tier: 'Advanced', tags: '{ team: x }' },
    ],
    ['bad input', { name: '/aws/canary' }],
  ])('%s', async (_label, inputs) => {
    const r = await publish({ token: canary, ...inputs })
    expect(leaks(r, canary)).toEqual([])
    for (const req of aws.requests) {
      expect(JSON.stringify(req.headers)).not.toContain('CANARY')
      const body: Record<string, unknown> = req.body.startsWith('{')
        ? JSON.parse(req.body)
        : { raw: req.body }
      delete body.Value
      expect(JSON.stringify(body)).not.toContain('CANARY')
    }
  })
})

import {
  leaks,
  runBundle,
  startBitbucketSandbox,
  startGitHubSandbox,
  startGitLabSandbox,
  type BundleRun,
  type GitHubSandbox,
  type TokenSpec,
} from '@argocd-actions/sandbox'

const ACTION = 'validate-pat-scopes'
const ORG = 'acme'
const NONPROD = `${ORG}/argocd-deploy-non-prod`
const PROD = `${ORG}/argocd-deploy-prod`
const INFRA = `${ORG}/infra-repo`
const APP = `${ORG}/web-app`
const DAY = 86_400_000

let gh: GitHubSandbox
beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg(ORG, { members: ['bot', 'alice'] })
  for (const repo of [NONPROD, PROD, INFRA, APP, `${ORG}/other`]) {
    gh.addRepo(repo)
    gh.addCommit(repo, { branch: 'main' })
  }
})
afterAll(() => gh.stop())
beforeEach(() => {
  gh.clearRequests()
  gh.clearFaults()
})

const inDays = (n: number) => new Date(Date.now() + n * DAY)
const fineGrained = (
  repositories: string[],
  permissions: Record<string, 'read' | 'write'>,
  extra: Partial<TokenSpec> = {},
) =>
  gh.addToken({
    kind: 'fine-grained',
    owner: ORG,
    repositories,
    permissions,
    expiresAt: inDays(90),
    ...extra,
  } as TokenSpec)
const classic = (scopes: string[], extra: Partial<TokenSpec> = {}) =>
  gh.addToken({ kind: 'classic', scopes, expiresAt: inDays(90), ...extra } as TokenSpec)

function validate(token: string, inputs: Record<string, string>) {
  return runBundle(ACTION, { token, 'api-url': gh.url, ...inputs })
}
const report = (r: BundleRun) =>
  JSON.parse(r.outputs.report) as {
    valid: boolean
    findings: Array<{
      kind: string
      severity: string
      message: string
      permission?: string
      repository?: string
    }>
    requests: number
  }
const findings = (r: BundleRun, kind: string) => report(r).findings.filter((f) => f.kind === kind)

function expectValid(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected a valid token, got: ${r.errors.join('\n')}`)
  expect(r.outputs.valid).toBe('true')
  expect(r.summary).toContain('✅ Token fits profile')
}
function expectInvalid(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  expect(r.outputs.valid).toBe('false')
  expect(r.errors).toHaveLength(1)
  for (const part of parts) expect(r.errors[0]).toContain(part)
  expect(r.summary).toContain('❌ Token does not fit profile')
}
/** Nothing proven wrong, but something could not be verified: a failure too, worded apart. */
function expectUnverifiable(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  expect(r.outputs.valid).toBe('false')
  expect(r.errors).toHaveLength(1)
  for (const part of parts) expect(r.errors[0]).toContain(part)
  expect(r.summary).toContain('⛔ Token cannot be verified against profile')
}

/** For each built-in profile: a right token passes, one missing fails, one excess fails or warns. */
interface Case {
  profile: string
  repositories: Record<string, string>
  good: () => string
  missing: () => string
  missingText: string
  excess: () => string
  excessText: string
  organization?: string
}

const cases: Case[] = [
  {
    profile: 'argocd-deploy-repo-admin',
    repositories: { deploy: NONPROD, 'deploy-prod': PROD },
    organization: ORG,
    good: () =>
      fineGrained(
        [NONPROD, PROD],
        { administration: 'write', contents: 'write' },
        { orgPermissions: { members: 'read' } },
      ),
    missing: () =>
      fineGrained([NONPROD, PROD], { contents: 'write' }, { orgPermissions: { members: 'read' } }),
    missingText: "'Administration: write' is missing on acme/argocd-deploy-non-prod",
    excess: () =>
      fineGrained(
        [NONPROD, PROD],
        { administration: 'write', contents: 'write', repository_hooks: 'write' },
        { orgPermissions: { members: 'read' } },
      ),
    excessText: "'Webhooks: read' on acme/argocd-deploy-non-prod is more than the role needs",
  },
  {
    profile: 'argocd-webhooks',
    repositories: { deploy: NONPROD },
    good: () => fineGrained([NONPROD], { repository_hooks: 'write' }),
    missing: () => fineGrained([NONPROD], { contents: 'read' }),
    missingText: "'Webhooks: write' is missing on acme/argocd-deploy-non-prod",
    excess: () => fineGrained([NONPROD], { repository_hooks: 'write', contents: 'read' }),
    excessText: "'Contents: read' on acme/argocd-deploy-non-prod is more than the role needs",
  },
  {
    profile: 'argocd-notifications',
    repositories: { app: APP },
    good: () => classic(['repo:status']),
    missing: () => classic(['read:org']),
    missingText: "Scope 'repo:status' is missing",
    excess: () => classic(['repo']),
    excessText: "Scope 'repo' is more than the role needs",
  },
  {
    profile: 'argocd-release',
    repositories: { deploy: NONPROD, infra: INFRA },
    good: () => fineGrained([NONPROD, INFRA], { contents: 'write' }),
    missing: () => fineGrained([NONPROD, INFRA], { statuses: 'read' }),
    missingText: "'Contents: write' is missing on acme/argocd-deploy-non-prod",
    excess: () => fineGrained([NONPROD, INFRA, `${ORG}/other`], { contents: 'write' }),
    excessText: 'The token also reaches acme/other',
  },
  {
    profile: 'codefresh-runtime',
    repositories: { deploy: NONPROD },
    good: () => classic(['repo', 'admin:repo_hook']),
    missing: () => classic(['repo']),
    missingText: "Scope 'admin:repo_hook' is missing",
    excess: () => classic(['repo', 'admin:repo_hook', 'delete_repo']),
    excessText: "Scope 'delete_repo' is more than the role needs",
  },
  {
    profile: 'codefresh-user',
    repositories: { deploy: NONPROD },
    good: () => fineGrained([NONPROD], { contents: 'write' }),
    missing: () => fineGrained([NONPROD], { pull_requests: 'write' }),
    missingText: "'Contents: write' is missing on acme/argocd-deploy-non-prod",
    excess: () => fineGrained([NONPROD], { contents: 'write', administration: 'read' }),
    excessText: "'Administration: read' on acme/argocd-deploy-non-prod is more than the role needs",
  },
]

describe.each(cases)('profile $profile (GitHub)', (c) => {
  const inputs = () => ({
    profile: c.profile,
    repositories: JSON.stringify(c.repositories),
    ...(c.organization && { organization: c.organization }),
  })
  test('the right token passes', async () => {
    const r = await validate(c.good(), inputs())
    expectValid(r)
    expect(JSON.parse(r.outputs.missing)).toEqual([])
    expect(JSON.parse(r.outputs.excess)).toEqual([])
  })
  test('one missing permission fails, naming it', async () => {
    const r = await validate(c.missing(), inputs())
    expectInvalid(r, c.missingText)
    expect(
      JSON.parse(r.outputs.missing)
        .map((f: { message: string }) => f.message)
        .join('\n'),
    ).toContain(c.missingText)
  })
  test('one excess permission fails', async () => {
    const r = await validate(c.excess(), inputs())
    expectInvalid(r, c.excessText)
    expect(
      JSON.parse(r.outputs.excess)
        .map((f: { message: string }) => f.message)
        .join('\n'),
    ).toContain(c.excessText)
  })
  test('with on-excess: warn it only warns', async () => {
    const r = await validate(c.excess(), { ...inputs(), 'on-excess': 'warn' })
    expectValid(r)
    expect(r.warnings.join('\n')).toContain(c.excessText)
  })
})

describe('what a GitHub token is and may do', () => {
  const release = {
    profile: 'argocd-release',
    repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
  }

  test('outputs type, expiry and days left', async () => {
    const r = await validate(
      fineGrained(
        [NONPROD, INFRA],
        { contents: 'write' },
        { expiresAt: new Date(Date.now() + 45.5 * DAY) },
      ),
      release,
    )
    expectValid(r)
    expect(r.outputs['token-type']).toBe('fine-grained')
    expect(r.outputs['days-left']).toBe('45')
    expect(Date.parse(r.outputs['expires-at'])).toBeGreaterThan(Date.now() + 45 * DAY)
  })

  test('an expired token fails', async () => {
    const r = await validate(
      fineGrained([NONPROD, INFRA], { contents: 'write' }, { expiresAt: inDays(-1) }),
      release,
    )
    expectInvalid(r, 'GitHub rejects the token (401 Bad credentials)')
    // The other requests' 401s only repeat it: no "cannot verify" noise beside it.
    expect(report(r).findings.map((f) => f.kind)).toEqual(['credentials'])
  })

  test('expiring within min-days-left fails; within warn-days-left warns', async () => {
    const soon = await validate(
      fineGrained(
        [NONPROD, INFRA],
        { contents: 'write' },
        { expiresAt: new Date(Date.now() + 3.5 * DAY) },
      ),
      release,
    )
    expectInvalid(soon, 'expires in 3 days', 'fewer than min-days-left (7)')
    const later = await validate(
      fineGrained(
        [NONPROD, INFRA],
        { contents: 'write' },
        { expiresAt: new Date(Date.now() + 20.5 * DAY) },
      ),
      release,
    )
    expectValid(later)
    expect(later.warnings.join('\n')).toContain('expires in 20 days')
  })

  test('a never-expiring token is reported and warned about', async () => {
    const r = await validate(
      fineGrained([NONPROD, INFRA], { contents: 'write' }, { expiresAt: null }),
      release,
    )
    expectValid(r)
    expect(r.outputs['expires-at']).toBe('')
    expect(r.outputs['days-left']).toBe('')
    expect(r.warnings.join('\n')).toContain('never expires')
  })

  test('the nonprod release token checked against prod fails', async () => {
    const nonprod = fineGrained([NONPROD, INFRA], { contents: 'write' })
    const r = await validate(nonprod, {
      profile: 'argocd-release',
      repositories: `{ deploy: ${PROD}, infra: ${INFRA} }`,
    })
    expectInvalid(r, `cannot reach ${PROD}`)
  })

  test('an unselected repository is unreachable', async () => {
    const r = await validate(fineGrained([NONPROD], { contents: 'write' }), release)
    expectInvalid(r, `cannot reach ${INFRA} (slot 'infra')`)
  })

  test('a classic token for a fine-grained role is the wrong kind', async () => {
    const r = await validate(classic(['repo']), release)
    expectInvalid(r, 'A classic token is not accepted')
  })

  test('SSO required: the finding gives the authorisation URL', async () => {
    gh.addOrg('sso-org', { ssoRequired: true })
    gh.addRepo('sso-org/app')
    gh.addCommit('sso-org/app', { branch: 'main' })
    const r = await validate(classic(['repo:status']), {
      profile: 'argocd-notifications',
      repositories: '{ app: sso-org/app }',
    })
    expect(r.code).toBe(1)
    expect(findings(r, 'policy')[0].message).toContain('https://github.com/orgs/sso-org/sso')
  })

  test('classic tokens banned by the org: the fix from the guide', async () => {
    gh.addOrg('strict-org', { forbidsClassicPats: true })
    gh.addRepo('strict-org/app')
    gh.addCommit('strict-org/app', { branch: 'main' })
    const r = await validate(classic(['repo:status']), {
      profile: 'argocd-notifications',
      repositories: '{ app: strict-org/app }',
    })
    expect(r.code).toBe(1)
    expect(findings(r, 'policy')[0].message).toContain(
      'Allow access via personal access tokens (classic)',
    )
  })

  test('an organization lifetime policy is a finding with its fix', async () => {
    gh.addOrg('short-org', { maxFineGrainedLifetimeDays: 30 })
    for (const repo of ['short-org/deploy', 'short-org/infra']) {
      gh.addRepo(repo)
      gh.addCommit(repo, { branch: 'main' })
    }
    const longLived = gh.addToken({
      kind: 'fine-grained',
      owner: 'short-org',
      repositories: ['short-org/deploy', 'short-org/infra'],
      permissions: { contents: 'write' },
      expiresAt: inDays(300),
    })
    const r = await validate(longLived, {
      profile: 'argocd-release',
      repositories: '{ deploy: short-org/deploy, infra: short-org/infra }',
    })
    expect(r.code).toBe(1)
    expect(findings(r, 'policy')[0].message).toContain('at most 30 days')
  })

  test('an installation token: repositories from /installation/repositories', async () => {
    const app = gh.addToken({
      kind: 'installation',
      repositories: [NONPROD, INFRA, `${ORG}/other`],
      permissions: { contents: 'write' },
    })
    const r = await validate(app, release)
    expectInvalid(r, 'The token also reaches acme/other')
    expect(r.outputs['token-type']).toBe('installation')
    expect(gh.requests.some((q) => q.path.startsWith('/installation/repositories'))).toBe(true)
    const exact = gh.addToken({
      kind: 'installation',
      repositories: [NONPROD, INFRA],
      permissions: { contents: 'write' },
    })
    expectValid(await validate(exact, release))
  })

  test('probe-writes off: no write request at all; on: writes are told apart', async () => {
    const readOnly = fineGrained([NONPROD, INFRA], { contents: 'read' })
    const off = await validate(readOnly, release)
    expectValid(off)
    expect(off.stdout).toContain('write is not probed')
    expect(gh.requests.filter((q) => q.method !== 'GET')).toEqual([])

    gh.clearRequests()
    const on = await validate(readOnly, { ...release, 'probe-writes': 'true' })
    expectInvalid(
      on,
      "'Contents: write' is missing on acme/argocd-deploy-non-prod (it can only read)",
    )
    expect(gh.requests.filter((q) => q.method !== 'GET').length).toBeGreaterThan(0)
    // The probes are rejected: nothing was created.
    expect(
      gh.requests
        .filter((q) => q.method !== 'GET')
        .every((q) => q.status === 403 || q.status === 422),
    ).toBe(true)

    const writer = fineGrained([NONPROD, INFRA], { contents: 'write' })
    const ok = await validate(writer, { ...release, 'probe-writes': 'true' })
    // infra needs read only, but a fine-grained token has one permission set for all its
    // repositories: write there is unavoidable, reported as information, not excess.
    expectValid(ok)
    expect(ok.stdout).toContain('unavoidable')
    // Where no slot needs write, write on a read slot is excess.
    const custom = 'github: { kinds: [fine-grained], repositories: { deploy: { contents: read } } }'
    const over = await validate(fineGrained([NONPROD], { contents: 'write' }), {
      requirements: custom,
      repositories: `{ deploy: ${NONPROD} }`,
      'probe-writes': 'true',
    })
    expectInvalid(
      over,
      "'Contents: write' on acme/argocd-deploy-non-prod is more than the role needs (read)",
    )
  })

  test('request count stays within 1 + slots × permissions (+ repository listing)', async () => {
    const r = await validate(fineGrained([NONPROD, INFRA], { contents: 'write' }), release)
    // /user, /user/repos, and per slot: the repository + 4 permission probes.
    expect(report(r).requests).toBe(2 + 2 * 5)
    const c = await validate(classic(['repo:status']), {
      profile: 'argocd-notifications',
      repositories: `{ app: ${APP} }`,
    })
    expect(report(c).requests).toBe(1 + 1)
  })

  test('organization Members: missing, and told apart only through concealed members', async () => {
    const admin = {
      profile: 'argocd-deploy-repo-admin',
      repositories: `{ deploy: ${NONPROD}, deploy-prod: ${PROD} }`,
    }
    const noMembers = fineGrained([NONPROD, PROD], { administration: 'write', contents: 'write' })
    // The organization defaults to the repositories' owner when the profile needs it.
    const r = await validate(noMembers, admin)
    expectInvalid(r, "Organization permission 'Members: read' on acme is missing")

    gh.addOrg('open-org', { members: ['bot'], publicMembers: ['bot'] })
    for (const repo of ['open-org/deploy', 'open-org/deploy-prod']) {
      gh.addRepo(repo)
      gh.addCommit(repo, { branch: 'main' })
    }
    const open = gh.addToken({
      kind: 'fine-grained',
      login: 'bot',
      owner: 'open-org',
      repositories: ['open-org/deploy', 'open-org/deploy-prod'],
      permissions: { administration: 'write', contents: 'write' },
      orgPermissions: { members: 'read' },
      expiresAt: inDays(90),
    })
    const unsure = await validate(open, {
      profile: 'argocd-deploy-repo-admin',
      repositories: '{ deploy: open-org/deploy, deploy-prod: open-org/deploy-prod }',
    })
    expectValid(unsure)
    expect(unsure.warnings.join('\n')).toContain('every member is public')
  })

  test('a status-only classic token: its reach is verified through the statuses it may read', async () => {
    const r = await validate(classic(['repo:status']), {
      profile: 'argocd-notifications',
      repositories: `{ app: ${APP} }`,
    })
    expectValid(r)
    expect(r.warnings).toEqual([])
    expect(JSON.parse(r.outputs.report).repositories).toEqual([
      {
        slot: 'app',
        repository: APP,
        reachable: true,
        permissions: [{ permission: 'statuses', required: 'write', found: 'write' }],
      },
    ])
    expect(gh.requests.map((q) => q.path.split('?')[0])).toEqual(
      expect.arrayContaining([`/repos/${APP}/commits/HEAD/statuses`]),
    )
  })

  test('a name off the convention warns', async () => {
    const r = await validate(fineGrained([NONPROD, INFRA], { contents: 'write' }), {
      ...release,
      name: 'My Release Token',
    })
    expectValid(r)
    expect(r.warnings.join('\n')).toContain(
      'does not follow the convention <app>/<actor>/<use-case>',
    )
  })
})

describe('GitLab and Bitbucket', () => {
  test('GitLab: scopes, expiry and reach', async () => {
    const gl = await startGitLabSandbox()
    try {
      const good = gl.addToken({
        scopes: ['read_api', 'read_repository'],
        expiresAt: new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10),
        projects: ['acme/argocd-deploy-non-prod'],
      })
      const ok = await runBundle(ACTION, {
        token: good,
        profile: 'codefresh-runtime',
        'api-url': gl.url,
        repositories: '{ deploy: acme/argocd-deploy-non-prod }',
      })
      expectValid(ok)
      expect(ok.outputs['token-type']).toBe('gitlab')
      expect(Number(ok.outputs['days-left'])).toBeGreaterThanOrEqual(58)

      const broad = gl.addToken({
        scopes: ['api', 'read_repository'],
        expiresAt: new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10),
      })
      const bad = await runBundle(ACTION, {
        token: broad,
        profile: 'codefresh-runtime',
        'api-url': gl.url,
      })
      expectInvalid(bad, "Scope 'api' is more than the role needs")

      const warned = await runBundle(ACTION, {
        token: broad,
        profile: 'codefresh-runtime',
        'api-url': gl.url,
        'on-excess': 'warn',
      })
      expectValid(warned)
      expect(warned.warnings.join('\n')).toContain("Scope 'api' is more than the role needs")

      const user = gl.addToken({ scopes: ['read_api'], expiresAt: null })
      const missing = await runBundle(ACTION, {
        token: user,
        profile: 'codefresh-user',
        'api-url': gl.url,
      })
      expectInvalid(missing, "Scope 'write_repository' is missing")
    } finally {
      await gl.stop()
    }
  })

  test('Bitbucket Cloud: scopes from x-oauth-scopes; Data Center: cannot verify', async () => {
    const bb = await startBitbucketSandbox()
    try {
      const token = bb.addToken({
        type: 'workspace',
        workspace: 'acme',
        scopes: ['account', 'team', 'webhook', 'repository:write', 'repository:admin'],
        repositories: ['acme/gitops'],
      })
      const ok = await runBundle(ACTION, {
        token,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
        repositories: '{ deploy: acme/gitops }',
      })
      expectValid(ok)
      const narrow = bb.addToken({
        type: 'workspace',
        workspace: 'acme',
        scopes: ['account', 'team', 'repository:write', 'repository:admin'],
        repositories: ['acme/gitops'],
      })
      const bad = await runBundle(ACTION, {
        token: narrow,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
        repositories: '{ deploy: acme/gitops }',
      })
      expectInvalid(bad, "Scope 'webhook' is missing")
      const extra = bb.addToken({
        type: 'workspace',
        workspace: 'acme',
        scopes: [
          'account',
          'team',
          'webhook',
          'repository:write',
          'repository:admin',
          'pipeline:write',
        ],
        repositories: ['acme/gitops'],
      })
      const over = await runBundle(ACTION, {
        token: extra,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
        repositories: '{ deploy: acme/gitops }',
      })
      expectInvalid(over, "Scope 'pipeline:write' is more than the role needs")
      const warned = await runBundle(ACTION, {
        token: extra,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
        repositories: '{ deploy: acme/gitops }',
        'on-excess': 'warn',
      })
      expectValid(warned)
      expect(warned.warnings.join('\n')).toContain(
        "Scope 'pipeline:write' is more than the role needs",
      )
      bb.clearRequests()
      const apiToken = bb.addToken({
        type: 'api-token',
        scopes: ['read:repository:bitbucket'],
        email: 'bot@acme.test',
      })
      const unverifiable = await runBundle(ACTION, {
        token: apiToken,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
      })
      expectUnverifiable(unverifiable, 'Atlassian API tokens (ATATT)', 'cannot be verified')
      expect(bb.requests).toEqual([])
      const dc = await runBundle(ACTION, {
        token,
        provider: 'bitbucket',
        profile: 'codefresh-runtime',
        'api-url': `${bb.url}/rest`,
      })
      expectUnverifiable(dc, 'Bitbucket Data Center', 'cannot be verified')
    } finally {
      await bb.stop()
    }
  })
})

describe('invalid inputs fail clearly, before any request', () => {
  const good = () => classic(['repo:status'])
  test.each<[Record<string, string>, ...string[]]>([
    [
      { profile: 'argocd-nope' },
      "Input 'profile' 'argocd-nope' is not a built-in profile",
      'argocd-deploy-repo-admin, argocd-webhooks',
    ],
    [
      { profile: 'argocd-notifications', repositories: '{ app: [x' },
      "Input 'repositories' is not valid YAML",
      'Example',
    ],
    [
      { profile: 'argocd-notifications', repositories: '{ deploy: acme/x }' },
      "Input 'repositories' has a slot 'deploy' that profile 'argocd-notifications' does not use",
      'app',
    ],
    [
      { profile: 'argocd-notifications', repositories: '{ app: not a repo }' },
      "Input 'repositories' slot 'app' must be a repository path",
    ],
    [
      { profile: 'argocd-notifications', 'api-url': 'ftp://github.example.com' },
      "Input 'api-url' must be an http or https URL",
      'Example',
    ],
    [
      { profile: 'argocd-notifications', 'on-excess': 'maybe' },
      "Input 'on-excess' has an unknown value 'maybe'",
      'fail, warn, ignore',
    ],
    [
      { profile: 'argocd-notifications', 'min-days-left': 'soon' },
      "Input 'min-days-left' must be a whole number",
    ],
    [
      { profile: 'argocd-notifications', 'min-days-left': '40' },
      "Input 'warn-days-left' (30) must not be less than min-days-left (40)",
    ],
    [
      { profile: 'argocd-notifications', 'probe-writes': 'perhaps' },
      "Input 'probe-writes' must be true or false",
    ],
    [
      { profile: 'argocd-notifications', provider: 'svn' },
      "Input 'provider' has an unknown value 'svn'",
    ],
    [
      { requirements: 'github: { kinds: [classic] }' },
      "Input 'requirements' is not a valid token profile",
      "github.classic-scopes: required when kinds include 'classic'",
    ],
  ])('%j', async (bad, ...parts) => {
    const r = await validate(good(), bad)
    expect(r.code).toBe(1)
    for (const part of parts) expect(r.errors[0]).toContain(part)
    expect(gh.requests).toEqual([])
  })

  test('a malformed token is refused without echoing it', async () => {
    const r = await validate('ghp_CANARY-not!valid', { profile: 'argocd-notifications' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain(
      "Input 'token' starts like a classic GitHub token (ghp_) but is malformed",
    )
    expect(r.printed).not.toContain('CANARY')
    expect(gh.requests).toEqual([])
  })
})

describe('a canary token never leaks', () => {
  const canary = `github_pat_CANARY0000_${'c4n4ry'.repeat(10)}`
  beforeAll(() =>
    gh.addToken({
      kind: 'fine-grained',
      value: canary,
      owner: ORG,
      repositories: [NONPROD, INFRA],
      permissions: { contents: 'write' },
      expiresAt: inDays(90),
    }),
  )

  test.each([
    [
      'valid',
      { profile: 'argocd-release', repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }` },
    ],
    [
      'invalid',
      {
        profile: 'argocd-release',
        repositories: `{ deploy: ${PROD}, infra: ${INFRA} }`,
        'probe-writes': 'true',
      },
    ],
    ['bad input', { profile: 'nope' }],
  ])('%s', async (_name, inputs) => {
    const r = await validate(canary, inputs)
    expect(leaks(r, canary)).toEqual([])
    expect(r.outputs.report ?? '').not.toContain('CANARY')
    expect(r.stdout).toContain(`::add-mask::${canary}`)
  })

  test('a hostile server that echoes the token in an answer the audit cannot read', async () => {
    gh.clearFaults()
    gh.injectFault({
      type: 'status',
      status: 403,
      body: { message: `Forbidden for ${canary}` },
      path: /\/contents\/?$/,
      times: 2,
    })
    const r = await validate(canary, {
      profile: 'argocd-release',
      repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('answered 403 with a JSON error ("Forbidden for [a token]")')
    expect(leaks(r, canary)).toEqual([])
    expect(r.printed + r.summary + (r.outputs.report ?? '')).not.toContain('CANARY')
  })
})

/**
 * Fail closed: an answer the audit cannot read is "cannot verify", never "absent" (issue 11,
 * classes 1 and 3). The demo's over-scoped prod webhook token is the reference: its excess is
 * seen only through the contents probe, so losing that answer must not make it pass.
 */
describe('an answer that cannot be read is never a pass', () => {
  const CONTENTS = /^\/repos\/acme\/argocd-deploy-prod\/contents\/?$/
  const CONTENTS_REQUEST = 'GET /repos/acme/argocd-deploy-prod/contents/'
  const overScoped = (extra: Partial<TokenSpec> = {}) =>
    fineGrained([PROD], { repository_hooks: 'write', contents: 'write' }, extra)
  const webhooksProd = (token: string, inputs: Record<string, string> = {}) =>
    validate(token, { profile: 'argocd-webhooks', repositories: `{ deploy: ${PROD} }`, ...inputs })
  const unverified = (r: BundleRun) =>
    report(r).findings.filter((f) => f.kind === 'unverified' && f.severity === 'error') as Array<{
      message: string
      request?: string
    }>

  function expectCannotVerify(r: BundleRun, token: string, request: string, ...parts: string[]) {
    expect(r.code).toBe(1)
    expect(r.outputs.valid).toBe('false')
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain('cannot be verified')
    expect(r.errors[0]).not.toMatch(/a bug/i)
    expect(r.summary).toContain('Token cannot be verified against profile')
    const found = unverified(r).filter((f) => f.request === request)
    expect(found.length).toBeGreaterThan(0)
    for (const part of parts) expect(found.map((f) => f.message).join('\n')).toContain(part)
    expect((JSON.parse(r.outputs.report) as { outcome: string }).outcome).toBe('cannot-verify')
    expect(leaks(r, token)).toEqual([])
  }

  test('the reference: without a fault the over-scoped token is refused for its contents', async () => {
    const r = await webhooksProd(overScoped())
    expectInvalid(r, "'Contents: read' on acme/argocd-deploy-prod is more than the role needs")
  })

  test('a 500 on every attempt of the contents probe: cannot verify, not valid', async () => {
    const token = overScoped()
    gh.injectFault({ type: 'status', status: 500, method: 'GET', path: CONTENTS, times: 10 })
    const r = await webhooksProd(token)
    expectCannotVerify(r, token, CONTENTS_REQUEST, 'answered 500', 'server fault')
    expect(JSON.parse(r.outputs.excess)).toEqual([])
    // Retried first: the verdict is not given on one bad answer.
    expect(gh.requests.filter((q) => CONTENTS.test(q.path.split('?')[0]))).toHaveLength(4)
  })

  test.each<[string, Parameters<GitHubSandbox['injectFault']>[0], string[]]>([
    [
      'an HTML 403 page from a proxy',
      { type: 'status', status: 403, body: '<html><body>Access denied by proxy</body></html>' },
      ['answered 403 with an HTML page', 'proxy'],
    ],
    [
      'a secondary rate limit past the deadline',
      { type: 'secondary-rate-limit', retryAfter: 600, times: 10 },
      ["GitHub's secondary rate limit", 'outlasted the retries'],
    ],
    [
      'a 429 past the deadline',
      { type: 'rate-limit', retryAfter: 600, times: 10 },
      ['answered 429', "GitHub's rate limit", 'retry-after 600 s'],
    ],
    ['a JSON null', { type: 'status', status: 200, body: null }, ['answered 200 with a JSON null']],
    [
      'a body of the wrong shape',
      { type: 'status', status: 200, body: 42 },
      ['answered 200 with a JSON number'],
    ],
  ])('%s on the contents probe: cannot verify', async (_name, fault, parts) => {
    const token = overScoped()
    gh.injectFault({ ...fault, method: 'GET', path: CONTENTS } as typeof fault)
    const r = await webhooksProd(token)
    expectCannotVerify(r, token, CONTENTS_REQUEST, ...parts)
  })

  test('a failed GET /user/repos does not skip the "reaches more repositories" check', async () => {
    const token = fineGrained([NONPROD, INFRA, `${ORG}/other`], { contents: 'write' })
    gh.injectFault({
      type: 'status',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
      method: 'GET',
      path: '/user/repos',
      times: 10,
    })
    const r = await validate(token, {
      profile: 'argocd-release',
      repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
    })
    expectCannotVerify(r, token, 'GET /user/repos', 'answered 502 with an HTML page', 'proxy')
    expect(r.errors[0]).toContain("reaches no repositories beyond the role's")
  })

  test('GET /user/repos of the wrong shape: cannot verify, no crash', async () => {
    const token = fineGrained([NONPROD, INFRA, `${ORG}/other`], { contents: 'write' })
    gh.injectFault({ type: 'status', status: 200, body: { items: [] }, path: '/user/repos' })
    const r = await validate(token, {
      profile: 'argocd-release',
      repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
    })
    expectCannotVerify(r, token, 'GET /user/repos', 'answered 200 with a JSON object')
  })

  test('a JSON object that is no directory listing on the contents probe: cannot verify, not "read"', async () => {
    // Fail-open before: any JSON object counted as "Contents: read present".
    const token = fineGrained([PROD], { repository_hooks: 'write' })
    const body = { message: 'not a list', total_count: 1 }
    gh.injectFault({ type: 'status', status: 200, body, method: 'GET', path: CONTENTS, times: 10 })
    const r = await webhooksProd(token)
    expectCannotVerify(r, token, CONTENTS_REQUEST, 'unexpected shape', 'directory listing')
  })

  test('GET /user/repos redirected to another origin: a finding naming it, not a crash', async () => {
    const token = fineGrained([NONPROD, INFRA], { contents: 'write' })
    gh.injectFault({
      type: 'status',
      status: 302,
      body: '',
      headers: { location: 'http://127.0.0.1:9/user/repos' },
      method: 'GET',
      path: '/user/repos',
      times: 10,
    })
    const r = await validate(token, {
      profile: 'argocd-release',
      repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
    })
    expectCannotVerify(r, token, 'GET /user/repos', 'a redirect to 127.0.0.1:9: not followed')
  })

  test('a null body for the repository: a finding with outputs and a summary, not a TypeError', async () => {
    const token = overScoped()
    gh.injectFault({ type: 'status', status: 200, body: null, path: `/repos/${PROD}` })
    const r = await webhooksProd(token)
    expect(r.stderr + r.printed).not.toContain('TypeError')
    expectCannotVerify(r, token, `GET /repos/${PROD}`, 'a JSON null')
    expect(r.errors[0]).not.toContain('cannot reach')
  })

  // 403, not 502: the same answer without the retries' wait (the 502 is tested above).
  test('HTML pages everywhere: no "cannot reach ... 404", no "never expires"', async () => {
    const token = overScoped({ expiresAt: null })
    gh.injectFault({
      type: 'status',
      status: 403,
      body: '<html><body><h1>403 Forbidden</h1>by the corporate proxy</body></html>',
      times: 100,
    })
    const r = await webhooksProd(token)
    expectCannotVerify(r, token, `GET /repos/${PROD}`, 'an HTML page')
    expectCannotVerify(r, token, 'GET /user', 'an HTML page')
    expect(r.printed + r.summary).not.toContain('never expires')
    expect(r.printed + r.summary).not.toMatch(/cannot reach|answers 404/)
    expect(r.outputs['expires-at']).toBe('')
    expect((JSON.parse(r.outputs.report) as { expiryKnown: boolean }).expiryKnown).toBe(false)
  })

  test('a connection reset on every attempt: cannot verify', async () => {
    const token = overScoped()
    gh.injectFault({ type: 'reset', method: 'GET', path: CONTENTS, times: 10 })
    const r = await webhooksProd(token)
    expectCannotVerify(r, token, CONTENTS_REQUEST, 'got no answer')
  })
})

describe('GitLab and Bitbucket answers that cannot be read', () => {
  const inGitLab = async (
    fault: Parameters<Awaited<ReturnType<typeof startGitLabSandbox>>['injectFault']>[0],
    check: (r: BundleRun, token: string) => void,
  ) => {
    const gl = await startGitLabSandbox()
    try {
      const token = gl.addToken({
        scopes: ['read_api', 'read_repository'],
        expiresAt: null,
        projects: ['acme/argocd-deploy-non-prod'],
      })
      gl.injectFault(fault)
      const r = await runBundle(ACTION, {
        token,
        profile: 'codefresh-runtime',
        'api-url': gl.url,
        repositories: '{ deploy: acme/argocd-deploy-non-prod }',
      })
      expect(r.code).toBe(1)
      expect(r.outputs.valid).toBe('false')
      expect(r.errors[0]).toContain('cannot be verified')
      expect(r.errors[0]).not.toMatch(/a bug/i)
      expect(r.stderr + r.printed).not.toContain('TypeError')
      expect(leaks(r, token)).toEqual([])
      check(r, token)
    } finally {
      await gl.stop()
    }
  }

  test('GitLab: an HTML 403 page for the associations is not "every project reached"', () =>
    inGitLab(
      {
        type: 'status',
        status: 403,
        body: '<html><body>Forbidden by proxy</body></html>',
        path: '/api/v4/personal_access_tokens/self/associations',
      },
      (r) => {
        expect(r.errors[0]).toContain(
          'GET /api/v4/personal_access_tokens/self/associations?per_page=100&page=1 answered 403 with an HTML page',
        )
      },
    ))

  test('GitLab: an association list of something else is unreadable, not "does not reach"', () =>
    inGitLab(
      {
        type: 'status',
        status: 200,
        body: [{ unexpected: true }],
        path: '/api/v4/personal_access_tokens/self/associations',
      },
      (r) => {
        expect(r.errors[0]).toContain(
          'GET /api/v4/personal_access_tokens/self/associations?per_page=100&page=1 answered 200 with a JSON list, an answer of unexpected shape',
        )
        expect(r.errors[0]).not.toContain('does not reach')
      },
    ))

  test('GitLab: a null self-description is "cannot verify", neither a crash nor "never expires"', () =>
    inGitLab(
      { type: 'status', status: 200, body: null, path: '/api/v4/personal_access_tokens/self' },
      (r) => {
        expect(r.errors[0]).toContain(
          'GET /api/v4/personal_access_tokens/self answered 200 with a JSON null',
        )
        expect(r.printed + r.summary).not.toContain('never expires')
        expect(r.errors[0]).not.toContain('missing')
      },
    ))

  test('GitLab: 500s that outlast the retries name the request', () =>
    inGitLab(
      { type: 'status', status: 500, path: '/api/v4/personal_access_tokens/self', times: 10 },
      (r) => {
        expect(r.errors[0]).toContain('GET /api/v4/personal_access_tokens/self answered 500')
        expect(r.errors[0]).toContain('server fault')
      },
    ))

  test('GitLab: a redirect is not followed (the token stays with its origin)', () =>
    inGitLab(
      {
        type: 'status',
        status: 302,
        body: '',
        headers: { location: 'http://127.0.0.1:9/api/v4/personal_access_tokens/self' },
        path: '/api/v4/personal_access_tokens/self',
      },
      (r) => {
        expect(r.errors[0]).toContain(
          'GET /api/v4/personal_access_tokens/self answered 302, a redirect to 127.0.0.1:9: not followed',
        )
      },
    ))

  test('Bitbucket: a proxy page for one repository is not "reached"', async () => {
    const bb = await startBitbucketSandbox()
    try {
      const token = bb.addToken({
        type: 'workspace',
        workspace: 'acme',
        scopes: ['account', 'team', 'webhook', 'repository:write', 'repository:admin'],
        repositories: ['acme/gitops', 'acme/infra'],
      })
      bb.injectFault({
        type: 'status',
        status: 200,
        body: '<html><body>Please log in to the proxy</body></html>',
        path: '/2.0/repositories/acme/infra',
      })
      const r = await runBundle(ACTION, {
        token,
        profile: 'codefresh-runtime',
        'api-url': bb.url,
        repositories: '{ deploy: acme/gitops, infra: acme/infra }',
      })
      expect(r.code).toBe(1)
      expect(r.outputs.valid).toBe('false')
      expect(r.errors[0]).toContain(
        'GET /2.0/repositories/acme/infra answered 200 with an HTML page',
      )
      expect(r.errors[0]).not.toContain('cannot reach')
      expect(leaks(r, token)).toEqual([])
    } finally {
      await bb.stop()
    }
  })
})

import {
  leaks,
  runBundle,
  startArgoCdSandbox,
  startFaultProxy,
  startForeignOrigin,
  type ArgoCdSandbox,
  type BundleRun,
} from '@argocd-actions/sandbox'

/**
 * validate-pat-scopes with Argo CD tokens (issue 15 part 1): the bundle against the Argo CD double
 * (its own JWTs, RBAC by casbin), asked what the token may do with userinfo and can-i.
 */
const ACTION = 'validate-pat-scopes'
const PROJECT = 'my-proj'
const APPS = ['nonprod.web', 'nonprod.worker']
const DAY = 86_400

let argocd: ArgoCdSandbox
beforeAll(async () => {
  argocd = await startArgoCdSandbox()
  const exact = (action: string) =>
    APPS.map((a) => `p, proj:${PROJECT}:ci, applications, ${action}, ${PROJECT}/${a}, allow`)
  argocd.addProject(PROJECT, {
    roles: [
      { name: 'ci', policies: [...exact('get'), ...exact('sync')] },
      {
        name: 'reader',
        policies: APPS.map(
          (a) => `p, proj:${PROJECT}:reader, applications, get, ${PROJECT}/${a}, allow`,
        ),
      },
      {
        name: 'broad',
        policies: [
          `p, proj:${PROJECT}:broad, applications, get, ${PROJECT}/*, allow`,
          `p, proj:${PROJECT}:broad, applications, sync, ${PROJECT}/*, allow`,
          `p, proj:${PROJECT}:broad, applications, delete, ${PROJECT}/*, allow`,
        ],
      },
    ],
  })
  argocd.addProject('other-proj', {
    roles: [
      {
        name: 'ci',
        policies: [`p, proj:other-proj:ci, applications, get, other-proj/*, allow`],
      },
    ],
  })
  argocd.addAccount('ci-admin')
  argocd.addAccount('ci-reader')
  argocd.setPolicy('g, ci-admin, role:admin\ng, ci-reader, role:readonly')
})
afterAll(() => argocd.stop())
beforeEach(() => argocd.clearRequests())

const validate = (token: string, inputs: Record<string, string> = {}) =>
  runBundle(ACTION, {
    token,
    profile: 'argocd-ci-sync',
    'api-url': argocd.url,
    'argocd-project': PROJECT,
    'argocd-applications': APPS.join(', '),
    ...inputs,
  })

interface Report {
  valid: boolean
  outcome: string
  tokenType: string
  login?: string
  expiresAt: string | null
  findings: Array<{
    kind: string
    severity: string
    message: string
    permission?: string
    repository?: string
    fix?: string
  }>
  missing: Array<{ permission: string; repository: string; fix: string }>
  excess: Array<{ permission: string; repository: string }>
}
const report = (r: BundleRun) => JSON.parse(r.outputs.report) as Report

/** The canary: the token, its derived forms and each JWT segment, nowhere in what the run left. */
function expectNoLeak(r: BundleRun, token: string): void {
  expect(leaks(r, token)).toEqual([])
  const places = [r.printed, r.stderr, r.outputFile, r.summary, ...Object.values(r.tempFiles)]
  for (const segment of token.split('.'))
    for (const text of places) expect(text.includes(segment)).toBe(false)
}
const projectToken = (role: string, days: number | null = 60, project = PROJECT) =>
  argocd.projectToken(project, role, { expiresInSeconds: days === null ? null : days * DAY })

test('a project role token with get and sync on the release apps fits argocd-ci-sync', async () => {
  const token = projectToken('ci', 60)
  const r = await validate(token)
  if (r.code !== 0) throw new Error(r.errors.join('\n'))
  expect(r.outputs.valid).toBe('true')
  expect(r.outputs['token-type']).toBe('argocd-project')
  expect(Number(r.outputs['days-left'])).toBeGreaterThanOrEqual(59)
  expect(r.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(JSON.parse(r.outputs.missing)).toEqual([])
  expect(JSON.parse(r.outputs.excess)).toEqual([])
  expect(report(r).login).toBe(`proj:${PROJECT}:ci`)
  expect(r.summary).toContain('✅ Token fits profile')
  expect(r.summary).toContain('| Argo CD object | Permission | Required | Found |')
  expect(r.summary).toContain(`| ${PROJECT}/nonprod.web | applications, sync | allowed | allowed |`)
  // The token went only to Argo CD, always with a session, and each question once.
  const paths = argocd.requests.map((q) => q.path)
  expect(paths[0]).toBe('/api/v1/session/userinfo')
  expect(argocd.requests.every((q) => q.authorized)).toBe(true)
  expect(new Set(paths).size).toBe(paths.length)
  expect(paths).toContain('/api/v1/account/can-i/clusters/create/*')
  expectNoLeak(r, token)
})

test('the readonly profile: the same token has sync beyond it (excess)', async () => {
  const token = projectToken('ci', 60)
  const r = await validate(token, { profile: 'argocd-ci-readonly' })
  expect(r.code).toBe(1)
  expect(
    report(r)
      .excess.map((e) => `${e.permission} ${e.repository}`)
      .sort(),
  ).toEqual(APPS.map((a) => `applications, sync ${PROJECT}/${a}`).sort())
  expect(report(r).missing).toEqual([])
  expectNoLeak(r, token)
})

test('an account token with role:admin: excess everywhere, and flagged as broader than a role', async () => {
  const token = argocd.accountToken('ci-admin', { expiresInSeconds: 30 * DAY })
  const r = await validate(token)
  expect(r.code).toBe(1)
  expect(r.outputs.valid).toBe('false')
  expect(r.outputs['token-type']).toBe('argocd-account')
  const rep = report(r)
  expect(rep.login).toBe('ci-admin')
  expect(rep.missing).toEqual([])
  const excess = rep.excess.map((e) => `${e.permission} ${e.repository}`)
  for (const e of [
    'clusters, create *',
    'repositories, delete *',
    'accounts, update *',
    'projects, delete my-proj',
    `applications, delete ${PROJECT}/nonprod.web`,
    `applications, override ${PROJECT}/nonprod.worker`,
    'applications, get */*',
    `applications, sync ${PROJECT}/*`,
    'gpgkeys, create *',
    'certificates, create *',
  ])
    expect(excess).toContain(e)
  const broader = rep.findings.find((f) => f.kind === 'kind')!
  expect(broader.severity).toBe('warning')
  expect(broader.message).toMatch(/local account 'ci-admin'.*broader than a project role's token/)
  expect(r.errors).toHaveLength(1)
  expect(r.errors[0]).toMatch(/does not fit profile 'argocd-ci-sync'/)
  expect(r.errors[0]).not.toMatch(/a bug in argocd-actions/)
  expect(r.summary).toContain('❌ Token does not fit profile')
  expectNoLeak(r, token)
})

test('an account with role:readonly: reading clusters, repositories, accounts is excess; sync is missing', async () => {
  const token = argocd.accountToken('ci-reader', { expiresInSeconds: 30 * DAY })
  const r = await validate(token, { 'on-excess': 'warn' })
  expect(r.code).toBe(1)
  const rep = report(r)
  expect(rep.missing.map((m) => `${m.permission} ${m.repository}`).sort()).toEqual(
    APPS.map((a) => `applications, sync ${PROJECT}/${a}`).sort(),
  )
  expect(rep.missing[0].fix).toMatch(
    /argocd-rbac-cm \(policy.csv\): p, ci-reader, applications, sync, my-proj\/nonprod\.(web|worker), allow/,
  )
  const excess = rep.excess.map((e) => `${e.permission} ${e.repository}`)
  expect(excess).toEqual(
    expect.arrayContaining([
      'clusters, get *',
      'repositories, get *',
      'accounts, get *',
      'applications, get */*',
    ]),
  )
  expect(excess).not.toContain('clusters, create *')
  // on-excess: warn: the excess is a warning; the missing sync still fails.
  expect(
    rep.findings.filter((f) => f.kind === 'excess').every((f) => f.severity === 'warning'),
  ).toBe(true)
  expectNoLeak(r, token)
})

test('a role lacking sync: missing, with the policy line that would grant it', async () => {
  const token = projectToken('reader', 30)
  const r = await validate(token)
  expect(r.code).toBe(1)
  const rep = report(r)
  expect(rep.outcome).toBe('does-not-fit')
  expect(rep.excess).toEqual([])
  expect(rep.missing).toHaveLength(2)
  expect(rep.missing.map((m) => m.fix)).toContain(
    `Add to the role 'reader' of project '${PROJECT}' (spec.roles[].policies of the AppProject): p, proj:${PROJECT}:reader, applications, sync, ${PROJECT}/nonprod.web, allow`,
  )
  expect(r.errors[0]).toMatch(/2 missing/)
  expectNoLeak(r, token)
})

test("a role over the whole project: every application of it is beyond the release's", async () => {
  const token = projectToken('broad', 30)
  const r = await validate(token)
  expect(r.code).toBe(1)
  const excess = report(r).excess.map((e) => `${e.permission} ${e.repository}`)
  expect(excess).toEqual(
    expect.arrayContaining([
      `applications, get ${PROJECT}/*`,
      `applications, sync ${PROJECT}/*`,
      `applications, delete ${PROJECT}/nonprod.web`,
    ]),
  )
  expect(excess).not.toContain('clusters, create *')
  expectNoLeak(r, token)
})

test("another project's role token: said plainly, and missing", async () => {
  const token = projectToken('ci', 30, 'other-proj')
  const r = await validate(token)
  expect(r.code).toBe(1)
  const kind = report(r).findings.find((f) => f.kind === 'kind')!
  expect(kind.severity).toBe('error')
  expect(kind.message).toContain(
    "project 'other-proj', but the release's applications are in project 'my-proj'",
  )
  expect(report(r).missing.length).toBe(4)
})

test("an expired token: refused with 401, explained with Argo CD's words and the expiry", async () => {
  const issuedAt = new Date(Date.now() - 10 * DAY * 1000)
  const token = argocd.projectToken(PROJECT, 'ci', { issuedAt, expiresInSeconds: DAY })
  const r = await validate(token)
  expect(r.code).toBe(1)
  expect(r.outputs.valid).toBe('false')
  expect(r.outputs['days-left']).toMatch(/^-\d+$/)
  const credentials = report(r).findings.find((f) => f.kind === 'credentials')!
  expect(credentials.message).toMatch(
    /refused with 401 \(Unauthenticated\): the token expired on \d{4}-/,
  )
  expect(credentials.message).toMatch(/Argo CD said: "invalid session:/)
  expect(r.errors[0]).not.toMatch(/a bug in argocd-actions/)
  // Nothing more was asked once the token was known to be refused.
  expect(argocd.requests.length).toBe(2)
  expectNoLeak(r, token)
})

test('a revoked token: invalid, expired or revoked', async () => {
  const token = projectToken('ci', 30)
  argocd.revokeToken(token)
  const r = await validate(token)
  expect(r.code).toBe(1)
  const credentials = report(r).findings.find((f) => f.kind === 'credentials')!
  expect(credentials.message).toMatch(
    /401 \(Unauthenticated\): the token is invalid, expired or revoked/,
  )
  expect(report(r).outcome).toBe('does-not-fit')
  expectNoLeak(r, token)
})

test('a token that never expires: a warning, or a failure with require-expiry', async () => {
  const token = projectToken('ci', null)
  const warned = await validate(token)
  if (warned.code !== 0) throw new Error(warned.errors.join('\n'))
  expect(warned.outputs['expires-at']).toBe('')
  expect(warned.outputs['days-left']).toBe('')
  expect(warned.warnings.join('\n')).toMatch(/never expires \(it has no 'exp' claim\)/)
  expect(warned.summary).toContain('✅ Token fits profile')
  expect(warned.summary).toContain('(with warnings)')

  const failed = await validate(token, { 'require-expiry': 'true' })
  expect(failed.code).toBe(1)
  expect(failed.errors[0]).toMatch(
    /never expires \(it has no 'exp' claim\), and require-expiry is set/,
  )
  expectNoLeak(failed, token)
})

test('an expiry within min-days-left fails; within warn-days-left warns', async () => {
  const soon = await validate(projectToken('ci', 3))
  expect(soon.code).toBe(1)
  expect(soon.errors[0]).toMatch(/expires in 2 days .* fewer than min-days-left \(7\)/)
  const warn = await validate(projectToken('ci', 20))
  expect(warn.code).toBe(0)
  expect(warn.warnings.join('\n')).toMatch(/expires in 19 days/)
})

test('api-url whose answer redirects to another origin: not followed, the token goes nowhere else', async () => {
  const foreign = await startForeignOrigin()
  const proxy = await startFaultProxy({ target: argocd.url })
  try {
    proxy.injectFault({
      type: 'respond',
      status: 302,
      body: '',
      headers: { location: `${foreign.url}/api/v1/session/userinfo` },
      times: 100,
    })
    const token = projectToken('ci', 30)
    const r = await validate(token, { 'api-url': proxy.url })
    expect(r.code).toBe(1)
    expect(r.outputs.valid).toBe('false')
    expect(report(r).outcome).toBe('cannot-verify')
    expect(r.errors[0]).toContain(`redirect to ${foreign.host}: not followed`)
    expect(foreign.requests).toEqual([])
    expectNoLeak(r, token)
  } finally {
    await proxy.stop()
    await foreign.stop()
  }
})

test('api-url that is not an Argo CD (an HTML page): cannot verify, never a pass', async () => {
  const foreign = await startForeignOrigin({
    answer: () => ({
      status: 200,
      body: '<html><body>Sign in</body></html>',
      headers: { 'content-type': 'text/html' },
    }),
  })
  try {
    const token = projectToken('ci', 30)
    const r = await validate(token, { 'api-url': foreign.url })
    expect(r.code).toBe(1)
    expect(report(r).outcome).toBe('cannot-verify')
    expect(r.errors[0]).toMatch(/HTML page is not Argo CD's API/)
    expectNoLeak(r, token)
  } finally {
    await foreign.stop()
  }
})

test('can-i failing part-way: cannot verify, nothing taken as "no", the rest not asked', async () => {
  const proxy = await startFaultProxy({ target: argocd.url })
  try {
    proxy.injectFault({
      type: 'respond',
      status: 503,
      body: { error: 'unavailable', code: 14, message: 'connection refused' },
      match: (q) => q.path.includes('/can-i/clusters/'),
      times: 1000,
    })
    const token = argocd.accountToken('ci-admin', { expiresInSeconds: 30 * DAY })
    const r = await validate(token, { 'api-url': proxy.url, 'on-excess': 'ignore' })
    expect(r.code).toBe(1)
    const rep = report(r)
    expect(rep.outcome).toBe('cannot-verify')
    expect(
      rep.findings.some((f) => f.kind === 'unverified' && /can-i\/clusters/.test(f.message)),
    ).toBe(true)
    expect(r.errors[0]).toMatch(/server fault at Argo CD/)
    expectNoLeak(r, token)
  } finally {
    await proxy.stop()
  }
}, 60_000)

test('auto recognises an Argo CD token by its issuer; api-url is then required', async () => {
  const token = projectToken('ci', 30)
  const r = await runBundle(ACTION, {
    token,
    profile: 'argocd-ci-sync',
    'argocd-project': PROJECT,
    'argocd-applications': 'nonprod.web',
  })
  expect(r.code).toBe(1)
  expect(r.errors).toEqual([
    expect.stringMatching(/Input 'api-url' is required for an Argo CD token: the Argo CD server/),
  ])
  expect(argocd.requests).toEqual([])
  expectNoLeak(r, token)
})

test('a malformed JWT: refused naming the token input, without echoing it', async () => {
  const token = projectToken('ci', 30)
  const [header, , signature] = token.split('.')
  const broken = `${header}.eyJub3QganNvbg.${signature}`
  const r = await validate(broken)
  expect(r.code).toBe(1)
  expect(r.errors[0]).toMatch(
    /Input 'token' starts like an Argo CD token \(a JWT\) but is a JWT whose payload segment is not a JSON object/,
  )
  expect(argocd.requests).toEqual([])
  expectNoLeak(r, broken)
})

test('the token in another input is refused before anything is sent', async () => {
  const token = projectToken('ci', 30)
  const r = await validate(token, { name: `argocd/ci/${token}` })
  expect(r.code).toBe(1)
  expect(r.errors[0]).toMatch(/Input 'name' contains the token/)
  expect(argocd.requests).toEqual([])
  expectNoLeak(r, token)
})

test('a token another Argo CD signed: userinfo says not logged in, can-i says why', async () => {
  const real = projectToken('ci', 30)
  const [header, payload] = real.split('.')
  const forged = `${header}.${payload}.${Buffer.from('another server key').toString('base64url')}`
  const r = await validate(forged)
  expect(r.code).toBe(1)
  const credentials = report(r).findings.find((f) => f.kind === 'credentials')!
  expect(credentials.message).toMatch(/refused with 401 \(Unauthenticated\)/)
  expect(credentials.message).toMatch(/Argo CD said: "invalid session:/)
  expect(argocd.requests.map((q) => q.path)).toEqual([
    '/api/v1/session/userinfo',
    `/api/v1/account/can-i/applications/get/${PROJECT}%2Fnonprod.web`,
  ])
  expectNoLeak(r, forged)
})

test('a server that takes the token for someone else: not what it claims, nothing more asked', async () => {
  const proxy = await startFaultProxy({ target: argocd.url })
  try {
    proxy.injectFault({
      type: 'respond',
      status: 200,
      body: { loggedIn: true, username: 'admin', iss: 'argocd' },
      headers: { 'content-type': 'application/json' },
      match: (q) => q.path === '/api/v1/session/userinfo',
    })
    const token = projectToken('ci', 30)
    const r = await validate(token, { 'api-url': proxy.url })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(
      /Argo CD takes the token for 'admin', but its claims say 'proj:my-proj:ci'/,
    )
    expect(proxy.requests).toHaveLength(1)
    expectNoLeak(r, token)
  } finally {
    await proxy.stop()
  }
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { leaks, node24, runBundle, type BundleRun } from '@argocd-actions/sandbox'

const ACTION = 'set-commit-status'
let gh: GitHubSandbox
let sha: string
let classic: string
let repoToken: string
let repoId: number
const REPO = 'my-org/app'

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('my-org')
  repoId = gh.addRepo(REPO).id
  sha = gh.addCommit(REPO, { branch: 'main', message: 'release 1' })
  classic = gh.addToken({ kind: 'classic', scopes: ['repo:status', 'read:org'] })
  repoToken = gh.addToken({ kind: 'classic', scopes: ['repo'] })
})
afterAll(() => gh.stop())
beforeEach(() => {
  gh.clearRequests()
  gh.clearFaults()
})

const base = () => ({ token: classic, repository: REPO, sha, 'github-api-url': gh.url })
const run = (inputs: Record<string, string>, opts = {}) =>
  runBundle(ACTION, { ...base(), ...inputs }, opts)
const statusPosts = () =>
  gh.requests.filter((r) => r.method === 'POST' && r.path.includes('/statuses/'))

function expectFailure(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  expect(r.errors).toHaveLength(1)
  for (const part of parts) expect(r.errors[0]).toContain(part)
}

describe('mode set', () => {
  test.each(['pending', 'success', 'failure', 'error'])('sets state %s', async (state) => {
    const context = `continuous-delivery/apps.demo-${state}`
    const r = await run({
      state,
      context,
      description: 'ArgoCD',
      'target-url': 'https://argocd.example.com/applications/demo',
    })
    expect(r.code).toBe(0)
    expect(r.errors).toEqual([])
    const stored = gh.statuses(REPO, sha).find((s) => s.context === context)
    expect(stored).toMatchObject({
      state,
      description: 'ArgoCD',
      target_url: 'https://argocd.example.com/applications/demo',
    })
    expect(r.outputs).toEqual({
      sha,
      state,
      'status-id': String(stored!.id),
      'target-url': 'https://argocd.example.com/applications/demo',
      'waited-seconds': '0',
    })
    expect(r.summary).toContain(`Commit status '${state}' set`)
    expect(r.summary).toContain(`| Context | ${context} |`)
    expect(statusPosts()).toHaveLength(1)
  })

  test('resolves a branch name to its SHA', async () => {
    const r = await run({ token: repoToken, sha: 'main', state: 'success', context: 'ci/ref' })
    expect(r.code).toBe(0)
    expect(r.outputs.sha).toBe(sha)
    expect(gh.statuses(REPO, sha).some((s) => s.context === 'ci/ref')).toBe(true)
    expect(r.summary).toContain(`(from 'main')`)
  })

  test('a short SHA is resolved too', async () => {
    const r = await run({
      token: repoToken,
      sha: sha.slice(0, 7),
      state: 'success',
      context: 'ci/short',
    })
    expect(r.code).toBe(0)
    expect(r.outputs.sha).toBe(sha)
  })

  test('an unknown ref is an input error', async () => {
    const r = await run({
      token: repoToken,
      sha: 'no-such-branch',
      state: 'success',
      context: 'ci/ref',
    })
    expectFailure(r, "Input 'sha' names no commit in my-org/app: 'no-such-branch'")
    expect(statusPosts()).toHaveLength(0)
  })

  test('a status-only token cannot resolve a ref: says to pass a full SHA', async () => {
    const r = await run({ sha: 'main', state: 'success', context: 'ci/ref' })
    expectFailure(r, '404', "pass a full 40-character SHA in 'sha'")
    expect(statusPosts()).toHaveLength(0)
  })

  test('a description over 140 characters is shortened with a warning', async () => {
    const r = await run({ state: 'success', context: 'ci/long', description: 'x'.repeat(200) })
    expect(r.code).toBe(0)
    expect(r.warnings.join('\n')).toContain('shortened')
    const stored = gh.statuses(REPO, sha).find((s) => s.context === 'ci/long')!
    expect([...stored.description!]).toHaveLength(140)
  })

  test('runs on Node 24, as GitHub runs node24 actions', async () => {
    const r = await run({ state: 'success', context: 'ci/node24' }, { node: node24 })
    expect(r.code).toBe(0)
    expect(r.outputs.state).toBe('success')
  })
})

describe('mode wait', () => {
  const wait = (inputs: Record<string, string>) =>
    run({ mode: 'wait', 'interval-seconds': '1', 'timeout-seconds': '20', ...inputs })

  test('waits until the status turns success', async () => {
    const context = 'continuous-delivery/apps.wait-ok'
    gh.addStatus(REPO, sha, { state: 'pending', context, description: 'ArgoCD' })
    const later = setTimeout(
      () =>
        gh.addStatus(REPO, sha, {
          state: 'success',
          context,
          description: 'ArgoCD',
          target_url: 'https://argocd.example.com/applications/wait-ok',
        }),
      1500,
    )
    const r = await wait({ context })
    clearTimeout(later)
    expect(r.code).toBe(0)
    expect(r.outputs.state).toBe('success')
    expect(r.outputs['target-url']).toBe('https://argocd.example.com/applications/wait-ok')
    expect(Number(r.outputs['waited-seconds'])).toBeGreaterThanOrEqual(1)
    expect(r.summary).toContain("reached 'success'")
  })

  test('fails at once when the newest status is error, with its description and URL', async () => {
    const context = 'continuous-delivery/apps.wait-error'
    gh.addStatus(REPO, sha, {
      state: 'error',
      context,
      description: 'sync failed',
      target_url: 'https://argocd.example.com/applications/x',
    })
    const r = await wait({ context, 'timeout-seconds': '60' })
    expectFailure(
      r,
      "is 'error'",
      'sync failed',
      'https://argocd.example.com/applications/x',
      "not 'success'",
    )
    expect(r.durationMs).toBeLessThan(30_000)
    expect(r.summary).toContain('failed')
    expect(r.summary).toContain('sync failed')
  })

  test('waiting for failure accepts failure', async () => {
    const context = 'continuous-delivery/apps.wait-failure'
    gh.addStatus(REPO, sha, { state: 'failure', context })
    const r = await wait({ context, 'expected-state': 'failure' })
    expect(r.code).toBe(0)
    expect(r.outputs.state).toBe('failure')
  })

  test('times out on the wall clock, saying what it last saw', async () => {
    const context = 'continuous-delivery/apps.wait-timeout'
    gh.addStatus(REPO, sha, { state: 'pending', context, description: 'Progressing' })
    const r = await wait({ context, 'timeout-seconds': '2' })
    expectFailure(r, 'Timed out after 2 s', "'pending'", 'Progressing')
    expect(r.durationMs).toBeLessThan(15_000)
  })

  test('ignores a success older than created-after', async () => {
    const context = 'continuous-delivery/apps.wait-stale'
    gh.addStatus(REPO, sha, { state: 'success', context, created_at: '2026-01-01T00:00:00Z' })
    const releaseStarted = new Date(Date.now() - 1000).toISOString()
    const stale = await wait({ context, 'timeout-seconds': '2', 'created-after': releaseStarted })
    expectFailure(stale, `no '${context}' status created after`)

    const later = setTimeout(() => gh.addStatus(REPO, sha, { state: 'success', context }), 1200)
    const fresh = await wait({ context, 'created-after': releaseStarted })
    clearTimeout(later)
    expect(fresh.code).toBe(0)
    const newest = gh.statuses(REPO, sha).find((s) => s.context === context)!
    expect(fresh.outputs['status-id']).toBe(String(newest.id))
  })

  test('finds its status on page 3 of 250', async () => {
    const deep = gh.addCommit(REPO, { branch: 'deep' })
    const context = 'continuous-delivery/apps.deep'
    gh.addStatus(REPO, deep, { state: 'success', context, created_at: '2026-11-01T00:00:00Z' })
    for (let i = 0; i < 249; i++) {
      gh.addStatus(REPO, deep, {
        state: 'success',
        context: `other/${i}`,
        created_at: '2026-11-02T00:00:00Z',
      })
    }
    const r = await wait({ context, sha: deep })
    expect(r.code).toBe(0)
    expect(r.outputs.state).toBe('success')
    const pages = gh.requests.filter((q) => q.path.includes(`/commits/${deep}/statuses`))
    expect(pages.map((q) => new URL(q.path, gh.url).searchParams.get('page') ?? '1')).toEqual([
      '1',
      '2',
      '3',
    ])
  })
})

/** Another origin on loopback (a different port is a different origin): records what reaches it. */
interface Foreign {
  url: string
  host: string
  requests: Array<{ method: string; path: string; authorization?: string }>
  stop(): Promise<void>
}

async function startForeign(): Promise<Foreign> {
  const requests: Foreign['requests'] = []
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization })
    // Answers like GitHub would, so that a client that came here would be satisfied.
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
    res.end(req.url?.includes('statuses') ? '[]' : '{"id":1,"state":"success"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe('the token never goes to another origin', () => {
  let foreign: Foreign
  beforeAll(async () => {
    foreign = await startForeign()
  })
  afterAll(() => foreign.stop())
  beforeEach(() => {
    foreign.requests.length = 0
  })
  const wait = (inputs: Record<string, string>) =>
    run({ mode: 'wait', 'interval-seconds': '1', 'timeout-seconds': '5', ...inputs })

  test('a pagination link to another host is not followed: the step fails naming the host', async () => {
    const context = 'continuous-delivery/apps.foreign-link'
    gh.injectFault({
      type: 'status',
      status: 200,
      method: 'GET',
      path: /\/statuses$/,
      body: [],
      headers: {
        link: `<${foreign.url}/repositories/1/commits/${sha}/statuses?page=2>; rel="next"`,
      },
      times: 10,
    })
    const r = await wait({ context })
    expectFailure(r, foreign.host, 'github-api-url')
    // The error names the request whose answer carried the link.
    expect(r.errors[0]).toContain(
      `the answer to GET /repos/${REPO}/commits/${sha}/statuses (its next page) pointed to ${foreign.url}/repositories/1/commits/${sha}/statuses, which is not on`,
    )
    expect(r.errors[0]).not.toContain('bug')
    expect(foreign.requests).toEqual([])
    expect(r.outputs.state).toBeUndefined()
    expect(leaks(r, classic)).toEqual([])
  })

  test('a redirect of a read to another host is not followed', async () => {
    const context = 'continuous-delivery/apps.foreign-redirect'
    gh.injectFault({
      type: 'status',
      status: 302,
      method: 'GET',
      path: /\/statuses$/,
      body: '',
      headers: { location: `${foreign.url}/repos/my-org/app/commits/${sha}/statuses` },
      times: 10,
    })
    const r = await wait({ context })
    expectFailure(r, 'redirect', foreign.host)
    expect(foreign.requests).toEqual([])
  })

  test('a redirect of a read on the same origin is followed (a renamed repository)', async () => {
    const context = 'continuous-delivery/apps.moved'
    gh.addStatus(REPO, sha, { state: 'success', context })
    gh.injectFault({
      type: 'status',
      status: 301,
      method: 'GET',
      path: /\/statuses$/,
      body: { message: 'Moved Permanently' },
      headers: {
        location: `${gh.url}/repositories/${repoId}/commits/${sha}/statuses?per_page=100`,
      },
    })
    const r = await wait({ context })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs.state).toBe('success')
    expect(gh.requests.map((q) => q.status)).toEqual([301, 200])
  })

  test.each([301, 302, 303, 307, 308])(
    'a status write answered %i is a failure: nothing is reported as set',
    async (code) => {
      const context = `ci/redirected-${code}`
      gh.injectFault({
        type: 'status',
        status: code,
        method: 'POST',
        body: '',
        headers: { location: `${foreign.url}/repos/my-org/app/statuses/${sha}` },
      })
      const r = await run({ state: 'success', context })
      expectFailure(r, 'redirect', String(code), foreign.host)
      expect(r.errors[0]).not.toContain('bug')
      expect(foreign.requests).toEqual([])
      expect(gh.statuses(REPO, sha).filter((s) => s.context === context)).toEqual([])
      expect(r.outputs.state).toBeUndefined()
      expect(r.outputs['status-id']).toBeUndefined()
      expect(r.summary).toContain('failed')
    },
  )

  test('a status write redirected to the same origin is a failure too', async () => {
    const context = 'ci/redirected-home'
    gh.injectFault({
      type: 'status',
      status: 303,
      method: 'POST',
      body: '',
      headers: { location: `${gh.url}/repos/${REPO}/commits/${sha}/statuses` },
    })
    const r = await run({ state: 'success', context })
    expectFailure(r, 'redirect', '303')
    expect(gh.statuses(REPO, sha).filter((s) => s.context === context)).toEqual([])
    expect(r.outputs['status-id']).toBeUndefined()
    expect(statusPosts()).toHaveLength(1)
  })
})

describe('waiting is exact', () => {
  const wait = (inputs: Record<string, string>) =>
    run({ mode: 'wait', 'interval-seconds': '1', 'timeout-seconds': '20', ...inputs })

  test('a success from earlier in the same second as created-after is stale', async () => {
    const context = 'continuous-delivery/apps.same-second'
    // GitHub stamps whole seconds: this success was posted somewhere in 10:00:05.000-.999.
    gh.addStatus(REPO, sha, { state: 'success', context, created_at: '2026-11-22T10:00:05Z' })
    const createdAfter = '2026-11-22T10:00:05.700Z'
    const stale = await wait({ context, 'created-after': createdAfter, 'timeout-seconds': '2' })
    expectFailure(stale, 'Timed out', `no '${context}' status created after`)

    // One posted once the wait runs is new, though GitHub stamps it with the same second.
    const later = setTimeout(
      () =>
        gh.addStatus(REPO, sha, { state: 'success', context, created_at: '2026-11-22T10:00:05Z' }),
      1500,
    )
    const fresh = await wait({ context, 'created-after': createdAfter })
    clearTimeout(later)
    expect(fresh.errors).toEqual([])
    const newest = gh.statuses(REPO, sha).find((s) => s.context === context)!
    expect(fresh.outputs['status-id']).toBe(String(newest.id))
  })

  test('one environment’s success is never taken for the other’s (expected-target-url)', async () => {
    const context = 'continuous-delivery/web.web-app'
    const prod = 'https://argocd.prod.example.com/applications/web.web-app'
    const dev = 'https://argocd.dev.example.com/applications/web.web-app'
    gh.addStatus(REPO, sha, { state: 'success', context, target_url: prod })
    const other = await wait({ context, 'expected-target-url': dev, 'timeout-seconds': '2' })
    expectFailure(other, 'Timed out', prod)

    // A prod error does not stop the nonprod wait either; the nonprod success ends it.
    gh.addStatus(REPO, sha, { state: 'error', context, target_url: prod })
    const later = setTimeout(
      () =>
        gh.addStatus(REPO, sha, {
          state: 'success',
          context,
          target_url: `${dev}?operation=true`,
        }),
      1500,
    )
    const mine = await wait({ context, 'expected-target-url': dev })
    clearTimeout(later)
    expect(mine.errors).toEqual([])
    expect(mine.outputs['target-url']).toBe(`${dev}?operation=true`)
  })

  test.each([
    ['140 emoji', '🚀'.repeat(140)],
    ['one emoji at the end of 140 characters', 'x'.repeat(139) + '🚀'],
    ['a family emoji', 'deployed 👨‍👩‍👧 to prod'],
    ['line breaks and tabs', 'line one\nline\ttwo\r\n  three'],
    ['200 accented letters', 'é'.repeat(200)],
  ])('a description with %s is made acceptable to GitHub', async (_name, description) => {
    const context = `ci/description-${_name.replace(/\W+/g, '-')}`
    const r = await run({ state: 'success', context, description })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const stored = gh.statuses(REPO, sha).find((s) => s.context === context)!
    expect([...stored.description!].length).toBeLessThanOrEqual(140)
    expect(stored.description).not.toMatch(/[\u{10000}-\u{10FFFF}]/u)
    // eslint-disable-next-line no-control-regex -- control characters are what must be gone
    expect(stored.description).not.toMatch(/[\u0000-\u001f\u007f]/)
    expect(r.warnings.join('\n')).toMatch(/description/)
  })

  // Every input refuses other control characters (core refuseHostileInputs, the hostile-input
  // table): the description is no exception, and nothing is posted.
  test('a description with a terminal escape is refused, naming the input', async () => {
    const context = 'ci/description-escape'
    const r = await run({ state: 'success', context, description: 'red\u0007\u001b[31m' })
    expectFailure(r, "Input 'description' contains the control character U+0007")
    expect(gh.statuses(REPO, sha).find((s) => s.context === context)).toBeUndefined()
  })
})

describe('answers that cannot be read are never taken as an answer', () => {
  const wait = (inputs: Record<string, string>) =>
    run({ mode: 'wait', 'interval-seconds': '1', 'timeout-seconds': '5', ...inputs })

  // The sandbox sends a string as it is; with a JSON content type, 'null' is JSON null.
  const json = { 'content-type': 'application/json; charset=utf-8' }

  test.each<[string, unknown]>([
    ['null', 'null'],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['an object', { statuses: [] }],
    ['statuses of the wrong shape', [{ id: 'x', state: 'success', context: 'ci/shape' }]],
  ])('a statuses list answered with %s: cannot tell, not "absent"', async (_name, body) => {
    const context = 'ci/shape'
    gh.addStatus(REPO, sha, { state: 'success', context })
    const headers = body === 'null' ? json : undefined
    gh.injectFault({
      type: 'status',
      status: 200,
      method: 'GET',
      path: /\/statuses$/,
      body,
      headers,
    })
    const r = await wait({ context })
    expectFailure(
      r,
      'Could not read the commit statuses',
      `GET /repos/${REPO}/commits/${sha}/statuses answered with`,
      'an unexpected answer',
    )
    expect(r.errors[0]).not.toContain('bug')
    expect(r.outputs.state).toBeUndefined()
  })

  test.each<[string, unknown]>([
    ['null', 'null'],
    ['an empty body', ''],
    ['another status', { id: 1, state: 'pending', context: 'ci/other' }],
    ['a list', []],
  ])('a status write answered 201 with %s: not reported as set', async (_name, body) => {
    const headers = body === 'null' ? json : undefined
    gh.injectFault({ type: 'status', status: 201, method: 'POST', body, headers })
    const r = await run({ state: 'success', context: 'ci/unconfirmed' })
    expectFailure(
      r,
      'Could not confirm the commit status',
      `POST /repos/${REPO}/statuses/${sha} answered with`,
      'an unexpected answer',
      "whether the status 'success' was set",
    )
    expect(r.errors[0]).not.toContain('bug')
    expect(r.outputs['status-id']).toBeUndefined()
  })

  test('a ref resolved to a list: an unexpected answer, named', async () => {
    gh.injectFault({
      type: 'status',
      status: 200,
      method: 'GET',
      path: /\/commits\/main$/,
      body: [{ sha: 'not one' }],
    })
    const r = await run({ token: repoToken, sha: 'main', state: 'success', context: 'ci/list' })
    expectFailure(
      r,
      `GET /repos/${REPO}/commits/main answered with a JSON list of 1, not the commit (its SHA) GitHub documents (an unexpected answer`,
    )
    expect(statusPosts()).toHaveLength(0)
  })

  test('a ref resolved to an answer without a SHA', async () => {
    gh.injectFault({
      type: 'status',
      status: 200,
      method: 'GET',
      path: /\/commits\/main$/,
      body: 'null',
      headers: json,
    })
    const r = await run({ token: repoToken, sha: 'main', state: 'success', context: 'ci/nosha' })
    expectFailure(r, "Could not resolve 'main' to a commit", 'null')
    expect(r.errors[0]).toContain(`GET /repos/${REPO}/commits/main answered with a JSON null`)
    expect(r.errors[0]).not.toContain('bug')
    expect(statusPosts()).toHaveLength(0)
  })
})

describe('GitHub errors are explained', () => {
  const set = (token: string, inputs: Record<string, string> = {}) =>
    run({ token, state: 'success', context: 'ci/errors', ...inputs })

  test('bad credentials', async () => {
    const r = await set('ghp_' + 'x'.repeat(36))
    expectFailure(r, 'bad credentials', 'wrong, revoked or expired')
  })

  test('an expired token is called expired once GitHub has told us its expiry', async () => {
    const shortLived = gh.addToken({
      kind: 'classic',
      scopes: ['repo:status'],
      expiresAt: new Date(Date.now() + 2500),
    })
    const r = await run({
      token: shortLived,
      mode: 'wait',
      context: 'ci/never',
      'interval-seconds': '1',
      'timeout-seconds': '30',
    })
    expectFailure(r, 'the token expired on')
  })

  test('a fine-grained token without Commit statuses write: names the permission', async () => {
    const readOnly = gh.addToken({
      kind: 'fine-grained',
      owner: 'my-org',
      repositories: [REPO],
      permissions: { statuses: 'read' },
    })
    const r = await set(readOnly)
    expectFailure(r, "lacks the permission 'Commit statuses: write'", 'fine-grained token')
  })

  test('an app token without statuses: write', async () => {
    const app = gh.addToken({
      kind: 'installation',
      repositories: [REPO],
      permissions: { contents: 'read' },
    })
    const r = await set(app)
    expectFailure(r, 'GitHub App token', 'Commit statuses: write')
  })

  test('a fine-grained token that does not select the repository: the 404 checklist', async () => {
    gh.addRepo('my-org/other')
    const other = gh.addToken({
      kind: 'fine-grained',
      owner: 'my-org',
      repositories: ['my-org/other'],
      permissions: { statuses: 'write' },
    })
    const r = await set(other)
    expectFailure(r, '404', 'has this repository selected')
  })

  test('an org that forbids classic PATs: the seed fix', async () => {
    gh.addOrg('strict-org', { forbidsClassicPats: true })
    gh.addRepo('strict-org/app')
    const strictSha = gh.addCommit('strict-org/app')
    const r = await set(classic, { repository: 'strict-org/app', sha: strictSha })
    expectFailure(
      r,
      'forbids classic personal access tokens',
      'Allow access via personal access tokens (classic)',
    )
  })

  test('an org lifetime policy', async () => {
    gh.addOrg('short-org', { maxFineGrainedLifetimeDays: 30 })
    gh.addRepo('short-org/app')
    const shortSha = gh.addCommit('short-org/app')
    const longLived = gh.addToken({
      kind: 'fine-grained',
      owner: 'short-org',
      repositories: ['short-org/app'],
      permissions: { statuses: 'write' },
      expiresAt: new Date(Date.now() + 300 * 86400_000),
    })
    const r = await set(longLived, { repository: 'short-org/app', sha: shortSha })
    expectFailure(r, 'at most 30 days')
  })

  test('SAML SSO: gives the authorisation URL', async () => {
    gh.addOrg('sso-org', { ssoRequired: true })
    gh.addRepo('sso-org/app')
    const ssoSha = gh.addCommit('sso-org/app')
    const r = await set(classic, { repository: 'sso-org/app', sha: ssoSha })
    expectFailure(r, 'SAML single sign-on', 'https://github.com/orgs/sso-org/sso')
  })

  test('rate limits that outlast the retries', async () => {
    gh.injectFault({ type: 'secondary-rate-limit', retryAfter: 1, method: 'POST', times: 10 })
    const r = await set(classic)
    expectFailure(r, 'secondary rate limit')
    expect(statusPosts().length).toBeGreaterThan(1)
  })
})

describe('transient faults are retried', () => {
  test('through a 502 and a 429', async () => {
    gh.injectFault({ type: 'status', status: 502, method: 'POST' })
    gh.injectFault({ type: 'rate-limit', retryAfter: 1, method: 'POST' })
    const r = await run({ state: 'success', context: 'ci/retry' })
    expect(r.code).toBe(0)
    expect(statusPosts().map((q) => q.status)).toEqual([502, 429, 201])
    expect(gh.statuses(REPO, sha).filter((s) => s.context === 'ci/retry')).toHaveLength(1)
  })

  test('through a connection reset', async () => {
    gh.injectFault({ type: 'reset', method: 'POST' })
    const r = await run({ state: 'success', context: 'ci/reset' })
    expect(r.code).toBe(0)
    expect(statusPosts().length).toBe(2)
  })

  test('connections that keep failing: a network error, not a bug', async () => {
    gh.injectFault({ type: 'reset', method: 'POST', times: 10 })
    const r = await run({ state: 'success', context: 'ci/unreachable' })
    expectFailure(r, 'the request did not complete and retries ran out')
    expect(r.errors[0]).not.toContain('bug')
    expect(statusPosts()).toHaveLength(4)
    expect(leaks(r, classic)).toEqual([])
  })

  test('a 5xx that never ends fails with an explanation', async () => {
    gh.injectFault({ type: 'status', status: 500, method: 'POST', times: 10 })
    const r = await run({ state: 'success', context: 'ci/down' })
    expectFailure(r, 'server error', 'retries ran out')
    expect(statusPosts()).toHaveLength(4)
  })
})

describe('invalid inputs fail clearly before any request', () => {
  test.each<[Record<string, string>, ...string[]]>([
    [{ sha: 'not a sha' }, "Input 'sha'", 'Example: sha: '],
    [{ sha: 'a'.repeat(41) }, "Input 'sha'", 'neither 40 nor 64'],
    [
      { state: 'done' },
      "Input 'state' has an unknown value 'done'",
      'pending, success, failure, error',
    ],
    [{ state: '' }, "Input 'state' is required", 'Example: state: pending'],
    [
      { 'target-url': 'ftp://argocd.example.com' },
      "Input 'target-url' must be an http or https URL",
      'Example: target-url: https://',
    ],
    [{ 'target-url': 'not a url' }, "Input 'target-url' is not an absolute URL", 'Example'],
    [
      { context: ' ' },
      "Input 'context' is required but empty",
      'Example: context: continuous-delivery/',
    ],
    [{ mode: 'watch' }, "Input 'mode' has an unknown value 'watch'", 'set, wait'],
    [{ repository: 'not-a-repo' }, "Input 'repository' must be 'owner/name'", 'Example'],
    [
      { 'github-api-url': 'api.github.com' },
      "Input 'github-api-url' is not an absolute URL",
      'Example',
    ],
    [
      { mode: 'wait', 'timeout-seconds': 'ten' },
      "Input 'timeout-seconds' must be a whole number",
      'Example: timeout-seconds: 600',
    ],
    [
      { mode: 'wait', 'interval-seconds': '0' },
      "Input 'interval-seconds' must be between 1 and 3600",
      'Example',
    ],
    [
      { mode: 'wait', 'expected-state': 'green' },
      "Input 'expected-state' has an unknown value",
      'Example',
    ],
    [
      { mode: 'wait', 'created-after': 'yesterday' },
      "Input 'created-after' must be an ISO-8601",
      'Example: created-after: 2026-',
    ],
    [{ token: '' }, "Input 'token' is required", 'Example'],
    [
      { mode: 'wait', 'created-after': '2026-02-30' },
      "Input 'created-after' is not a real date: '2026-02-30'",
      'Example: created-after: 2026-',
    ],
    [
      { mode: 'wait', 'created-after': '2026-02-29T10:00:00Z' },
      "Input 'created-after' is not a real date",
    ],
    [
      { mode: 'wait', 'created-after': '2026-04-31T10:00' },
      "Input 'created-after' is not a real date",
    ],
    [
      { mode: 'wait', 'created-after': '2026-11-22T24:00:00Z' },
      "Input 'created-after' is not a real date",
    ],
    [
      { mode: 'wait', 'expected-target-url': 'argocd.example.com' },
      "Input 'expected-target-url' is not an absolute URL",
      'Example: expected-target-url: https://',
    ],
  ])('%j', async (bad, ...parts: string[]) => {
    const r = await run({ state: 'success', context: 'ci/bad', ...bad })
    expectFailure(r, 'set-commit-status: ', ...parts)
    expect(gh.requests).toHaveLength(0)
    expect(r.outputs).toEqual({})
    expect(r.summary).toContain('set-commit-status failed')
    expect(r.summary).toContain(parts[0])
  })
})

describe('the token never leaks', () => {
  const canary = 'ghp_CANARY' + 'c4n4ry'.repeat(5) + 'Zz'
  beforeAll(() => gh.addToken({ kind: 'classic', value: canary, scopes: ['repo:status'] }))

  test.each([
    ['set success', { state: 'success', context: 'ci/canary' }],
    ['wait success', { mode: 'wait', context: 'ci/canary', 'interval-seconds': '1' }],
    [
      'wait timeout',
      { mode: 'wait', context: 'ci/none', 'timeout-seconds': '1', 'interval-seconds': '1' },
    ],
    ['bad input', { state: 'nope', context: 'ci/canary' }],
    ['rejected by GitHub', { state: 'success', context: 'ci/canary-down', fault: '401' }],
    ['write redirected', { state: 'success', context: 'ci/canary-moved', fault: '307' }],
  ])('%s', async (_name, { fault, ...inputs }: Record<string, string>) => {
    if (fault)
      gh.injectFault({
        type: 'status',
        status: Number(fault),
        method: 'POST',
        body: { message: 'Bad credentials' },
      })
    const r = await run({ ...inputs, token: canary })
    expect(leaks(r, canary)).toEqual([])
    expect(r.stdout).toContain(`::add-mask::${canary}`)
  })
})

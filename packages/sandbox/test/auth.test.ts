// The token model: classic scopes, fine-grained permissions, app tokens, expiry and org policies,
// seen through the real Octokit and plain fetch.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { call } from './helpers/http.js'

let sb: GitHubSandbox
let sha: string
let publicSha: string
const DAY = 86_400_000
const req = (method: string, path: string, opts?: Parameters<typeof call>[3]) =>
  call(sb.url, method, path, opts)
const post = (repo: string, commit: string, token?: string) =>
  req('POST', `/repos/${repo}/statuses/${commit}`, {
    ...(token ? { token } : {}),
    body: { state: 'success', context: 'argocd' },
  })

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo('acme/app') // private
  sb.addRepo('acme/other')
  sb.addRepo('acme/site', { private: false })
  sb.addRepo('someone/lib', { private: false })
  sha = sb.addCommit('acme/app')
  sb.addCommit('acme/other')
  publicSha = sb.addCommit('acme/site')
  sb.addCommit('someone/lib')
})

afterAll(async () => {
  await sb?.stop()
})

describe('authentication', () => {
  it('lets anonymous callers read the API root and public repos only', async () => {
    expect((await req('GET', '/')).status).toBe(200)
    const pub = await req('GET', '/repos/acme/site')
    expect(pub.status).toBe(200)
    expect(pub.json.permissions).toBeUndefined()
    expect(pub.headers.get('x-ratelimit-limit')).toBe('60')

    const priv = await req('GET', '/repos/acme/app')
    expect(priv.status).toBe(404)
    expect(priv.json).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
      status: '404',
    })
    const user = await req('GET', '/user')
    expect(user.status).toBe(401)
    expect(user.json.message).toBe('Requires authentication')
    const write = await post('acme/site', publicSha)
    expect(write.status).toBe(401)
    expect(write.json.message).toBe('Requires authentication')
  })

  it('answers an unknown token with 401 Bad credentials, even on GET /', async () => {
    for (const path of ['/', '/user', '/repos/acme/site']) {
      const res = await req('GET', path, { token: 'ghp_000000000000000000000000000000000000' })
      expect(res.status).toBe(401)
      expect(res.json).toEqual({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      })
    }
  })

  it('accepts token, Bearer and Basic (x-access-token:<token>) authorization', async () => {
    const t = sb.addToken({ kind: 'classic', scopes: ['repo'] })
    for (const auth of [
      `token ${t}`,
      `Bearer ${t}`,
      `Basic ${Buffer.from(`x-access-token:${t}`).toString('base64')}`,
    ]) {
      expect((await req('GET', '/repos/acme/app', { auth })).status).toBe(200)
    }
    expect((await req('GET', '/repos/acme/app', { auth: `Foo ${t}` })).status).toBe(401)
  })

  it('generates realistic token strings', () => {
    expect(sb.addToken({ kind: 'classic', scopes: [] })).toMatch(/^ghp_[A-Za-z0-9]{36}$/)
    const fg = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: 'all',
      permissions: {},
    })
    expect(fg).toMatch(/^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/)
    expect(fg).toHaveLength(93)
    expect(sb.addToken({ kind: 'installation', repositories: 'all', permissions: {} })).toMatch(
      /^ghs_[A-Za-z0-9]{36}$/,
    )
    expect(sb.addToken({ kind: 'classic', scopes: [], value: 'ghp_custom' })).toBe('ghp_custom')
    expect(() => sb.addToken({ kind: 'classic', scopes: [], value: 'ghp_custom' })).toThrow(
      /already exists/,
    )
  })
})

describe('expiry', () => {
  it('sends github-authentication-token-expiration: "... UTC" for classic, "... +0000" for fine-grained', async () => {
    const expiresAt = new Date('2099-12-01T10:00:00Z')
    const classic = sb.addToken({ kind: 'classic', scopes: ['repo'], expiresAt })
    const fine = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: 'all',
      permissions: {},
      expiresAt,
    })
    const never = sb.addToken({ kind: 'classic', scopes: ['repo'] })
    expect(
      (await req('GET', '/user', { token: classic })).headers.get(
        'github-authentication-token-expiration',
      ),
    ).toBe('2099-12-01 10:00:00 UTC')
    expect(
      (await req('GET', '/user', { token: fine })).headers.get(
        'github-authentication-token-expiration',
      ),
    ).toBe('2099-12-01 10:00:00 +0000')
    expect(
      (await req('GET', '/user', { token: never })).headers.get(
        'github-authentication-token-expiration',
      ),
    ).toBeNull()
  })

  it('turns an expired token into 401 Bad credentials', async () => {
    const t = sb.addToken({
      kind: 'classic',
      scopes: ['repo'],
      expiresAt: new Date(Date.now() - 1000),
    })
    const res = await req('GET', '/user', { token: t })
    expect(res.status).toBe(401)
    expect(res.json.message).toBe('Bad credentials')
  })

  it('mints installation tokens for one hour by default', async () => {
    const t = sb.addToken({ kind: 'installation', repositories: 'all', permissions: {} })
    const header = (await req('GET', '/', { token: t })).headers.get(
      'github-authentication-token-expiration',
    )!
    const at = Date.parse(header.replace(' UTC', 'Z').replace(' ', 'T'))
    expect(at - Date.now()).toBeGreaterThan(3500_000)
    expect(at - Date.now()).toBeLessThanOrEqual(3600_000)
  })
})

describe('classic tokens', () => {
  it('echoes normalised scopes in X-OAuth-Scopes and the endpoint scopes in X-Accepted-OAuth-Scopes', async () => {
    const t = sb.addToken({
      kind: 'classic',
      scopes: ['repo:status', 'workflow', 'repo', 'read:org', 'admin:org'],
    })
    const res = await req('GET', '/repos/acme/app', { token: t })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-oauth-scopes')).toBe('admin:org, repo, workflow')
    expect(res.headers.get('x-accepted-oauth-scopes')).toBe('repo')
    expect(res.json.permissions).toEqual({
      admin: true,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    })
    const statuses = await req('GET', `/repos/acme/app/commits/${sha}/statuses`, { token: t })
    expect(statuses.headers.get('x-accepted-oauth-scopes')).toBe('repo, repo:status')
    expect((await req('GET', '/', { token: t })).headers.get('x-oauth-scopes')).toBe(
      'admin:org, repo, workflow',
    )
  })

  it('repo:status alone writes and reads statuses of private repos but cannot see them otherwise', async () => {
    const t = sb.addToken({ kind: 'classic', scopes: ['repo:status'] })
    expect((await post('acme/app', sha, t)).status).toBe(201)
    expect((await req('GET', `/repos/acme/app/commits/${sha}/statuses`, { token: t })).status).toBe(
      200,
    )
    expect((await req('GET', `/repos/acme/app/commits/${sha}/status`, { token: t })).status).toBe(
      200,
    )
    expect((await req('GET', '/repos/acme/app', { token: t })).status).toBe(404)
    expect((await req('GET', `/repos/acme/app/commits/${sha}`, { token: t })).status).toBe(404)
  })

  it('public_repo writes to public repos only; no scope can only read public repos', async () => {
    const pub = sb.addToken({ kind: 'classic', scopes: ['public_repo'] })
    expect((await post('acme/site', publicSha, pub)).status).toBe(201)
    expect((await post('acme/app', sha, pub)).status).toBe(404)
    const none = sb.addToken({ kind: 'classic', scopes: [] })
    expect((await req('GET', '/repos/acme/site', { token: none })).status).toBe(200)
    expect(
      (await req('GET', `/repos/acme/site/commits/${publicSha}/status`, { token: none })).status,
    ).toBe(200)
    const denied = await post('acme/site', publicSha, none)
    expect(denied.status).toBe(404)
    expect(denied.headers.get('x-oauth-scopes')).toBe('')
  })
})

describe('fine-grained tokens', () => {
  it('hides private repositories that were not selected (404)', async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/other'],
      permissions: { statuses: 'write' },
    })
    expect((await req('GET', '/repos/acme/app', { token: t })).status).toBe(404)
    expect((await post('acme/app', sha, t)).status).toBe(404)
    const selected = await req('GET', '/repos/acme/other', { token: t })
    expect(selected.status).toBe(200)
    expect(selected.headers.get('x-accepted-github-permissions')).toBe('metadata=read')
    expect(selected.headers.get('x-oauth-scopes')).toBeNull()
  })

  it('answers a missing permission with 403 and names it in X-Accepted-GitHub-Permissions', async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/app'],
      permissions: { contents: 'read' },
    })
    const write = await post('acme/app', sha, t)
    expect(write.status).toBe(403)
    expect(write.json).toEqual({
      message: 'Resource not accessible by personal access token',
      documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
      status: '403',
    })
    expect(write.headers.get('x-accepted-github-permissions')).toBe('statuses=write')
    const read = await req('GET', `/repos/acme/app/commits/${sha}/statuses`, { token: t })
    expect(read.status).toBe(403)
    expect(read.headers.get('x-accepted-github-permissions')).toBe('statuses=read')
    expect((await req('GET', `/repos/acme/app/commits/${sha}`, { token: t })).status).toBe(200)
  })

  it("treats 'write' as including 'read'", async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: 'all',
      permissions: { statuses: 'write' },
    })
    expect((await req('GET', `/repos/acme/app/commits/${sha}/statuses`, { token: t })).status).toBe(
      200,
    )
    expect((await post('acme/app', sha, t)).status).toBe(201)
    // contents was not granted
    expect((await req('GET', `/repos/acme/app/commits/${sha}`, { token: t })).status).toBe(403)
  })

  it("reads other owners' public repos but may not write to them", async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: 'all',
      permissions: { statuses: 'write' },
    })
    expect((await req('GET', '/repos/someone/lib', { token: t })).status).toBe(200)
    const sha2 = sb.addCommit('someone/lib')
    const res = await post('someone/lib', sha2, t)
    expect(res.status).toBe(403)
    expect(res.json.message).toBe('Resource not accessible by personal access token')
  })

  it('can call GET /user', async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      login: 'argo-bot',
      owner: 'acme',
      repositories: 'all',
      permissions: {},
    })
    const res = await req('GET', '/user', { token: t })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ login: 'argo-bot', type: 'User' })
  })
})

describe('installation tokens', () => {
  it('say "Resource not accessible by integration" and have no user', async () => {
    const t = sb.addToken({
      kind: 'installation',
      repositories: ['acme/app'],
      permissions: { contents: 'read' },
    })
    const res = await post('acme/app', sha, t)
    expect(res.status).toBe(403)
    expect(res.json.message).toBe('Resource not accessible by integration')
    expect(res.headers.get('x-accepted-github-permissions')).toBe('statuses=write')
    const user = await req('GET', '/user', { token: t })
    expect(user.status).toBe(403)
    expect(user.json.message).toBe('Resource not accessible by integration')
    expect((await req('GET', '/repos/acme/other', { token: t })).status).toBe(404)
  })

  it('create statuses as <slug>[bot]', async () => {
    const t = sb.addToken({
      kind: 'installation',
      owner: 'acme',
      repositories: 'all',
      permissions: { statuses: 'write' },
      appSlug: 'argo',
    })
    const res = await post('acme/app', sha, t)
    expect(res.status).toBe(201)
    expect(res.json.creator).toMatchObject({ login: 'argo[bot]', type: 'Bot' })
    expect(sb.statuses('acme/app', sha)[0]!.creator).toBe('argo[bot]')
  })
})

describe('organization policies', () => {
  let gs: GitHubSandbox
  let gsSha: string
  beforeAll(async () => {
    gs = await startGitHubSandbox()
    gs.addOrg('noclassic', { forbidsClassicPats: true })
    gs.addOrg('shortlived', { maxFineGrainedLifetimeDays: 90 })
    gs.addOrg('saml', { ssoRequired: true })
    for (const org of ['noclassic', 'shortlived', 'saml']) {
      gs.addRepo(`${org}/app`)
      gs.addRepo(`${org}/public`, { private: false })
      gsSha = gs.addCommit(`${org}/app`, { sha: 'a'.repeat(40) })
      gs.addCommit(`${org}/public`, { sha: 'a'.repeat(40) })
    }
  })
  afterAll(async () => {
    await gs?.stop()
  })
  const g = (method: string, path: string, token: string) => call(gs.url, method, path, { token })

  it("refuses classic tokens where the org forbids them, with GitHub's message", async () => {
    const classic = gs.addToken({ kind: 'classic', scopes: ['repo'] })
    const res = await g('GET', '/repos/noclassic/app', classic)
    expect(res.status).toBe(403)
    expect(res.json.message).toBe(
      '`noclassic` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.',
    )
    // "Regardless of the chosen policy, personal access tokens will have access to public resources."
    expect((await g('GET', '/repos/noclassic/public', classic)).status).toBe(200)
    const fine = gs.addToken({
      kind: 'fine-grained',
      owner: 'noclassic',
      repositories: 'all',
      permissions: {},
    })
    expect((await g('GET', '/repos/noclassic/app', fine)).status).toBe(200)
  })

  it('refuses fine-grained tokens that live longer than the org allows', async () => {
    const createdAt = new Date()
    const long = gs.addToken({
      kind: 'fine-grained',
      owner: 'shortlived',
      repositories: 'all',
      permissions: {},
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 100 * DAY),
    })
    const res = await g('GET', '/repos/shortlived/public', long)
    expect(res.status).toBe(403)
    expect(res.json.message).toMatch(
      /^The 'shortlived' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days\. Please adjust your token's lifetime at the following URL: https:\/\/github\.com\/settings\/personal-access-tokens\/\d+$/,
    )
    const forever = gs.addToken({
      kind: 'fine-grained',
      owner: 'shortlived',
      repositories: 'all',
      permissions: {},
    })
    expect((await g('GET', '/repos/shortlived/app', forever)).status).toBe(403)
    const ok = gs.addToken({
      kind: 'fine-grained',
      owner: 'shortlived',
      repositories: 'all',
      permissions: {},
      expiresAt: new Date(Date.now() + 30 * DAY),
    })
    expect((await g('GET', '/repos/shortlived/app', ok)).status).toBe(200)
    expect(
      (await g('GET', '/repos/shortlived/app', gs.addToken({ kind: 'classic', scopes: ['repo'] })))
        .status,
    ).toBe(200)
  })

  it('asks for SAML SSO authorisation with X-GitHub-SSO', async () => {
    const classic = gs.addToken({ kind: 'classic', scopes: ['repo'] })
    const res = await g('GET', `/repos/saml/app/commits/${gsSha}`, classic)
    expect(res.status).toBe(403)
    expect(res.json.message).toBe(
      'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
    )
    expect(res.headers.get('x-github-sso')).toMatch(
      /^required; url=https:\/\/github\.com\/orgs\/saml\/sso\?authorization_request=[A-Za-z0-9]+$/,
    )
    const authorised = gs.addToken({
      kind: 'classic',
      scopes: ['repo'],
      ssoAuthorizedOrgs: ['saml'],
    })
    expect((await g('GET', '/repos/saml/app', authorised)).status).toBe(200)
    const fineOwned = gs.addToken({
      kind: 'fine-grained',
      owner: 'saml',
      repositories: 'all',
      permissions: {},
    })
    expect((await g('GET', '/repos/saml/app', fineOwned)).status).toBe(200)
    const app = gs.addToken({ kind: 'installation', repositories: 'all', permissions: {} })
    expect((await g('GET', '/repos/saml/app', app)).status).toBe(200)
  })
})

describe('through the real Octokit', () => {
  it('surfaces the same statuses, messages and headers', async () => {
    const t = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/app'],
      permissions: {},
    })
    const octokit = new Octokit({ auth: t, baseUrl: sb.url })
    const repo = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })
    expect(repo.data.full_name).toBe('acme/app')
    expect(repo.headers['x-accepted-github-permissions']).toBe('metadata=read')
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        owner: 'acme',
        repo: 'app',
        sha,
        state: 'success',
      }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by personal access token'),
      response: { headers: { 'x-accepted-github-permissions': 'statuses=write' } },
    })
    const bad = new Octokit({ auth: 'ghp_revokedrevokedrevokedrevokedrevoked', baseUrl: sb.url })
    await expect(bad.request('GET /user')).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    })
    const last = sb.requests.at(-1)!
    expect(last.headers['authorization']).toBe('token ghp_revokedrevokedrevokedrevokedrevoked')
    expect(last.status).toBe(401)
  })
})

// The Bitbucket Cloud double: the headers that reveal a token, and who may call what.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startBitbucketSandbox, type BitbucketSandbox } from '../src/index.js'

let bb: BitbucketSandbox
const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`

async function get(path: string, authorization?: string) {
  const res = await fetch(`${bb.url}/2.0${path}`, {
    headers: authorization ? { authorization } : {},
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) }
}

beforeAll(async () => {
  bb = await startBitbucketSandbox({ appPasswords: true })
  bb.addRepo('acme/gitops')
  bb.addRepo('acme/other')
  bb.addRepo('acme/site', { private: false })
})
afterAll(async () => {
  await bb?.stop()
})

describe('access tokens (Bearer)', () => {
  it('mint ATCTT values and reveal scopes and credential type, also on the 403 of /2.0/user', async () => {
    const t = bb.addToken({
      type: 'workspace',
      workspace: 'acme',
      scopes: ['account', 'webhook', 'repository:write', 'repository:admin'],
    })
    expect(t).toMatch(/^ATCTT3xFfGN0[A-Za-z0-9]+$/)
    const user = await get('/user', `Bearer ${t}`)
    expect(user.status).toBe(403)
    expect(user.text).toBe('{"type": "error", "error": {"message": "Forbidden"}}')
    expect(user.headers.get('x-oauth-scopes')).toBe(
      'account, webhook, repository:write, repository:admin',
    )
    expect(user.headers.get('x-accepted-oauth-scopes')).toBe('account')
    expect(user.headers.get('x-credential-type')).toBe('workspace_access_token')
    const repo = await get('/repositories/acme/gitops', `Bearer ${t}`)
    expect(repo.status).toBe(200)
    expect(repo.json).toMatchObject({
      type: 'repository',
      full_name: 'acme/gitops',
      is_private: true,
    })
    expect(repo.headers.get('x-accepted-oauth-scopes')).toBe('repository')
    expect(repo.headers.get('x-credential-type')).toBe('workspace_access_token')
  })

  it('reach only their repository or project; others are 404', async () => {
    const t = bb.addToken({
      type: 'repository',
      scopes: ['repository'],
      repositories: ['acme/gitops'],
    })
    const own = await get('/repositories/acme/gitops', `Bearer ${t}`)
    expect(own.status).toBe(200)
    expect(own.headers.get('x-credential-type')).toBe('repo_access_token')
    const other = await get('/repositories/acme/other', `Bearer ${t}`)
    expect(other.status).toBe(404)
    expect(other.json.error.message).toMatch(/^You may not have access to this repository/)
    expect((await get('/user', `Bearer ${t}`)).status).toBe(403)
    const project = bb.addToken({
      type: 'project',
      scopes: ['pullrequest'],
      repositories: ['acme/gitops', 'acme/infra'],
    })
    const viaProject = await get('/repositories/acme/infra', `Bearer ${project}`)
    expect(viaProject.status).toBe(200)
    expect(viaProject.headers.get('x-credential-type')).toBe('project_access_token')
    expect(() => bb.addToken({ type: 'repository', scopes: [], repositories: [] })).toThrow()
  })

  it('need the repository scope (implied by repository:write, pullrequest) to read a repository', async () => {
    const hooksOnly = bb.addToken({ type: 'workspace', workspace: 'acme', scopes: ['webhook'] })
    const res = await get('/repositories/acme/gitops', `Bearer ${hooksOnly}`)
    expect(res.status).toBe(403)
    expect(res.json).toEqual({
      type: 'error',
      error: {
        message: 'Your credentials lack one or more required privilege scopes.',
        detail: { granted: ['webhook'], required: ['repository'] },
      },
    })
    expect(res.headers.get('x-oauth-scopes')).toBe('webhook')
  })
})

describe('API tokens and app passwords (Basic)', () => {
  it('API tokens: ATATT values, Basic email:token, Atlassian scopes', async () => {
    const t = bb.addToken({
      type: 'api-token',
      email: 'ci@example.com',
      scopes: ['read:user:bitbucket', 'read:repository:bitbucket'],
    })
    expect(t).toMatch(/^ATATT3xFfGF0/)
    const user = await get('/user', basic('ci@example.com', t))
    expect(user.status).toBe(200)
    expect(user.json).toMatchObject({ type: 'user', display_name: 'ci@example.com' })
    expect(user.headers.get('x-credential-type')).toBe('api_token')
    expect(user.headers.get('x-accepted-oauth-scopes')).toBe('read:user:bitbucket')
    expect((await get('/repositories/acme/other', basic('ci@example.com', t))).status).toBe(200)
    expect((await get('/user', `Bearer ${t}`)).status).toBe(401)
    expect((await get('/user', basic('someone@example.com', t))).status).toBe(401)
  })

  it('app passwords: ATBB values, Basic username:password, legacy scopes; off after 2026-06-09', async () => {
    const t = bb.addToken({ type: 'app-password', username: 'argo', scopes: ['repository'] })
    expect(t).toMatch(/^ATBB[A-Za-z0-9]{32}$/)
    const user = await get('/user', basic('argo', t))
    expect(user.status).toBe(403)
    expect(user.json.error.detail).toEqual({ granted: ['repository'], required: ['account'] })
    expect(user.headers.get('x-credential-type')).toBe('app_password')
    const off = await startBitbucketSandbox({ appPasswords: false })
    try {
      const p = off.addToken({ type: 'app-password', username: 'argo', scopes: ['account'] })
      const res = await fetch(`${off.url}/2.0/user`, {
        headers: { authorization: basic('argo', p) },
      })
      expect(res.status).toBe(401)
    } finally {
      await off.stop()
    }
  })
})

describe('errors and conventions', () => {
  it('401 for unknown tokens, 404 for unknown routes, anonymous reads of public repos', async () => {
    const unknown = await get('/user', 'Bearer ATCTT3xFfGN0nope')
    expect(unknown.status).toBe(401)
    expect(unknown.text).toBe(
      '{"type": "error", "error": {"message": "Token is invalid, expired, or not supported for this endpoint."}}',
    )
    expect((await get('/repositories/acme/site')).status).toBe(200)
    expect((await get('/repositories/acme/gitops')).status).toBe(404)
    const route = await get('/nothing/here')
    expect(route.status).toBe(404)
    expect(route.json.error.message).toBe('Resource not found')
    bb.clearRequests()
    bb.injectFault({ type: 'rate-limit', path: '/2.0/user' })
    const limited = await get('/user', 'Bearer x')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(bb.requests.map((r) => [r.path, r.status])).toEqual([['/2.0/user', 429]])
  })
})

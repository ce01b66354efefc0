// The GitLab double: what a token says about itself, and how GitLab refuses bad tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitLabSandbox, type GitLabSandbox } from '../src/index.js'

let gl: GitLabSandbox
const DAY = 86_400_000
const date = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10)

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gl.url}/api/v4${path}`, { headers })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: res.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text)
      : undefined,
  }
}
const self = (token: string) => get('/personal_access_tokens/self', { 'private-token': token })

beforeAll(async () => {
  gl = await startGitLabSandbox()
})
afterAll(async () => {
  await gl?.stop()
})

describe('GET /api/v4/personal_access_tokens/self', () => {
  it("answers with GitLab's fields, by PRIVATE-TOKEN or Bearer", async () => {
    const expiresAt = date(30)
    const t = gl.addToken({ name: 'argocd', scopes: ['read_api', 'read_repository'], expiresAt })
    expect(t).toMatch(/^glpat-[A-Za-z0-9]{20}$/)
    for (const headers of [{ 'private-token': t }, { authorization: `Bearer ${t}` }] as Array<
      Record<string, string>
    >) {
      const res = await get('/personal_access_tokens/self', headers)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(Object.keys(res.json)).toEqual([
        'id',
        'name',
        'revoked',
        'created_at',
        'description',
        'scopes',
        'user_id',
        'last_used_at',
        'active',
        'expires_at',
      ])
      expect(res.json).toMatchObject({
        name: 'argocd',
        revoked: false,
        scopes: ['read_api', 'read_repository'],
        active: true,
        expires_at: expiresAt,
        last_used_at: null,
        description: null,
      })
    }
    // Scopes are echoed literally, never normalised.
    const both = gl.addToken({ scopes: ['api', 'read_api'], expiresAt: null })
    const res = await self(both)
    expect(res.json.scopes).toEqual(['api', 'read_api'])
    expect(res.json.expires_at).toBeNull()
  })

  it('refuses unknown, revoked, expired and inactive tokens with 401', async () => {
    expect(await self('glpat-00000000000000000000')).toMatchObject({
      status: 401,
      json: { message: '401 Unauthorized' },
    })
    expect((await get('/personal_access_tokens/self')).json).toEqual({
      message: '401 Unauthorized',
    })
    const revoked = await self(gl.addToken({ scopes: ['api'], revoked: true }))
    expect(revoked.status).toBe(401)
    expect(revoked.json).toEqual({
      error: 'invalid_token',
      error_description: 'Token was revoked. You have to re-authorize from the user.',
    })
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"')
    const expired = await self(gl.addToken({ scopes: ['api'], expiresAt: date(-1) }))
    expect(expired.status).toBe(401)
    expect(expired.json).toEqual({
      error: 'invalid_token',
      error_description: 'Token is expired. You can either do re-authorization or token refresh.',
    })
    // GitLab tokens stop working on their expiry date.
    expect((await self(gl.addToken({ scopes: ['api'], expiresAt: date(0) }))).status).toBe(401)
    expect((await self(gl.addToken({ scopes: ['api'], active: false }))).json).toEqual({
      message: '401 Unauthorized',
    })
    expect(() => gl.addToken({ scopes: [], expiresAt: '2026/01/01' })).toThrow(/YYYY-MM-DD/)
  })
})

describe('GET /api/v4/personal_access_tokens/self/associations', () => {
  it('lists the groups and projects the token reaches, in the documented shape', async () => {
    const t = gl.addToken({
      scopes: ['read_api'],
      groups: ['acme', 'acme/platform'],
      projects: ['acme/platform/argocd-deploy-non-prod'],
      accessLevel: 40,
    })
    const res = await get('/personal_access_tokens/self/associations', { 'private-token': t })
    expect(res.status).toBe(200)
    expect(res.json.groups).toEqual([
      {
        id: expect.any(Number),
        web_url: `${gl.url}/groups/acme`,
        name: 'acme',
        parent_id: null,
        organization_id: 1,
        access_levels: 40,
        visibility: 'private',
      },
      expect.objectContaining({ name: 'platform', parent_id: res.json.groups[0].id }),
    ])
    expect(res.json.projects).toEqual([
      expect.objectContaining({
        name: 'argocd-deploy-non-prod',
        path: 'argocd-deploy-non-prod',
        path_with_namespace: 'acme/platform/argocd-deploy-non-prod',
        name_with_namespace: 'acme / platform / argocd-deploy-non-prod',
        access_levels: { project_access_level: 40, group_access_level: 40 },
        namespace: expect.objectContaining({
          full_path: 'acme/platform',
          kind: 'group',
          parent_id: res.json.groups[0].id,
        }),
      }),
    ])
    const above = await get('/personal_access_tokens/self/associations?min_access_level=50', {
      'private-token': t,
    })
    expect(above.json).toEqual({ groups: [], projects: [] })
    const paged = await get('/personal_access_tokens/self/associations?per_page=1&page=2', {
      'private-token': t,
    })
    expect(paged.json.groups.map((g: { name: string }) => g.name)).toEqual(['platform'])
    expect(paged.json.projects).toEqual([])
    expect(paged.headers.get('x-page')).toBe('2')
    expect(
      (await get('/personal_access_tokens/self/associations', { 'private-token': 'glpat-nope' }))
        .status,
    ).toBe(401)
  })
})

describe('conventions shared with the GitHub double', () => {
  it('records requests, injects faults and 404s unknown routes', async () => {
    const t = gl.addToken({ scopes: ['read_api'] })
    gl.clearRequests()
    gl.injectFault({ type: 'status', status: 503, path: '/api/v4/personal_access_tokens/self' })
    expect((await self(t)).status).toBe(503)
    gl.injectFault({ type: 'rate-limit', retryAfter: 7 })
    const limited = await self(t)
    expect(limited.status).toBe(429)
    expect(limited.text).toBe('Retry later\n')
    expect(limited.headers.get('retry-after')).toBe('7')
    gl.injectFault({ type: 'reset' })
    await expect(self(t)).rejects.toThrow()
    expect((await self(t)).status).toBe(200)
    expect((await get('/projects', { 'private-token': t })).json).toEqual({
      error: '404 Not Found',
    })
    expect(gl.requests.map((r) => r.status)).toEqual([503, 429, 0, 200, 404])
    expect(gl.requests[0]!.headers['private-token']).toBe(t)
  })
})

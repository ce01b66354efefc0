// Commits, statuses (create, list + pagination, combined) and request recording.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { call } from './helpers/http.js'

let sb: GitHubSandbox
let token: string
const req = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) =>
  call(sb.url, method, path, { token, ...opts })

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo('acme/app')
  token = sb.addToken({ kind: 'classic', scopes: ['repo'] })
})

afterAll(async () => {
  await sb?.stop()
})

describe('commits', () => {
  it('resolves shas, unique prefixes, branches, tags and heads/ refs', async () => {
    sb.addRepo('acme/refs', { defaultBranch: 'trunk' })
    const first = sb.addCommit('acme/refs', { message: 'first', tag: 'v1.0.0' })
    const second = sb.addCommit('acme/refs', { message: 'second' })
    const feature = sb.addCommit('acme/refs', {
      branch: 'feature/x',
      sha: 'abcdef0' + '1'.repeat(33),
    })
    expect(sb.addCommit('acme/refs', { sha: 'C'.repeat(40), branch: 'other' })).toBe('c'.repeat(40))
    const expectations: Array<[string, string]> = [
      [first, first],
      [first.toUpperCase(), first],
      ['trunk', second],
      ['heads/trunk', second],
      ['refs/heads/trunk', second],
      ['v1.0.0', first],
      ['tags/v1.0.0', first],
      ['feature/x', feature],
      ['abcdef0', feature],
    ]
    for (const [ref, want] of expectations) {
      const res = await req('GET', `/repos/acme/refs/commits/${ref}`)
      expect([ref, res.status, res.json.sha]).toEqual([ref, 200, want])
    }
    const second2 = await req('GET', `/repos/acme/refs/commits/trunk`)
    expect(second2.json.parents).toEqual([expect.objectContaining({ sha: first })])
    expect(second2.json.commit.message).toBe('second')
  })

  it('answers unknown refs with 422 "No commit found for SHA", unknown repos with 404', async () => {
    sb.addCommit('acme/app')
    const res = await req('GET', '/repos/acme/app/commits/does-not-exist')
    expect(res.status).toBe(422)
    expect(res.json).toEqual({
      message: 'No commit found for SHA: does-not-exist',
      documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit',
      status: '422',
    })
    expect((await req('GET', '/repos/acme/nope/commits/main')).status).toBe(404)
    expect(() => sb.addCommit('acme/nope')).toThrow(/unknown repository/)
    expect(() => sb.addCommit('acme/app', { sha: 'xyz' })).toThrow(/40 hex/)
  })

  it('answers 409 on an empty repository', async () => {
    sb.addRepo('acme/empty')
    const res = await req('GET', '/repos/acme/empty/commits/main')
    expect(res.status).toBe(409)
    expect(res.json.message).toBe('Git Repository is empty.')
  })
})

describe('POST /repos/{owner}/{repo}/statuses/{sha}', () => {
  it("creates a status (201) with GitHub's shape and records it", async () => {
    const sha = sb.addCommit('acme/app')
    const octokit = new Octokit({ auth: token, baseUrl: sb.url })
    const res = await octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
      owner: 'acme',
      repo: 'app',
      sha,
      state: 'pending',
      target_url: 'https://argocd.example/applications/app',
      description: 'Syncing',
      context: 'continuous-delivery/argocd',
    })
    expect(res.status).toBe(201)
    expect(res.data).toMatchObject({
      url: `${sb.url}/repos/acme/app/statuses/${sha}`,
      state: 'pending',
      description: 'Syncing',
      target_url: 'https://argocd.example/applications/app',
      context: 'continuous-delivery/argocd',
      creator: { login: 'octocat', type: 'User' },
    })
    expect(res.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(res.data.node_id).toMatch(/^SC_/)
    expect(res.headers.location).toBe(res.data.url)
    expect(sb.statuses('acme/app', sha)).toEqual([
      expect.objectContaining({
        id: res.data.id,
        sha,
        state: 'pending',
        context: 'continuous-delivery/argocd',
      }),
    ])
  })

  it("defaults context to 'default' and description/target_url to null", async () => {
    const sha = sb.addCommit('acme/app')
    const res = await req('POST', `/repos/acme/app/statuses/${sha}`, { body: { state: 'error' } })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ context: 'default', description: null, target_url: null })
  })

  it('validates state, description length, sha and JSON like GitHub', async () => {
    const sha = sb.addCommit('acme/app')
    const doc = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status'
    const badState = await req('POST', `/repos/acme/app/statuses/${sha}`, {
      body: { state: 'failed' },
    })
    expect(badState.status).toBe(422)
    expect(badState.json).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'Status',
          code: 'custom',
          field: 'state',
          message: 'state is not included in the list',
        },
      ],
      documentation_url: doc,
      status: '422',
    })
    const long = await req('POST', `/repos/acme/app/statuses/${sha}`, {
      body: { state: 'success', description: 'x'.repeat(141) },
    })
    expect(long.status).toBe(422)
    expect(long.json.errors).toEqual([
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: 'description is too long (maximum is 140 characters)',
      },
    ])
    const max = await req('POST', `/repos/acme/app/statuses/${sha}`, {
      body: { state: 'success', description: 'x'.repeat(140) },
    })
    expect(max.status).toBe(201)
    // 140 characters, not bytes: 'é' and '漢' are 2 and 3 bytes of UTF-8, one character each.
    for (const ch of ['é', '漢']) {
      const wide = await req('POST', `/repos/acme/app/statuses/${sha}`, {
        body: { state: 'success', description: ch.repeat(140) },
      })
      expect(wide.status).toBe(201)
    }
    // Anything beyond U+FFFF (4 bytes of UTF-8: emoji) is refused, however short.
    const emoji = await req('POST', `/repos/acme/app/statuses/${sha}`, {
      body: { state: 'success', description: 'deployed 🚀' },
    })
    expect(emoji.status).toBe(422)
    expect(emoji.json.errors).toEqual([
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: "description doesn't accept 4-byte Unicode",
      },
    ])

    for (const bad of ['f'.repeat(40), sha.slice(0, 7), 'main']) {
      const res = await req('POST', `/repos/acme/app/statuses/${bad}`, {
        body: { state: 'success' },
      })
      expect(res.status).toBe(422)
      expect(res.json).toEqual({
        message: `No commit found for SHA: ${bad}`,
        documentation_url: doc,
        status: '422',
      })
    }
    const json = await req('POST', `/repos/acme/app/statuses/${sha}`, { rawBody: '{"state":' })
    expect(json.status).toBe(400)
    expect(json.json.message).toBe('Problems parsing JSON')
    const type = await req('POST', `/repos/acme/app/statuses/${sha}`, {
      body: { state: 'success', description: 5 },
    })
    expect(type.status).toBe(422)
  })
})

describe('GET /repos/{owner}/{repo}/commits/{ref}/statuses', () => {
  let sha: string
  beforeAll(() => {
    sha = sb.addCommit('acme/app', { branch: 'paged' })
    const start = Date.parse('2026-01-01T00:00:00Z')
    for (let i = 0; i < 250; i++) {
      sb.addStatus('acme/app', sha, {
        state: 'success',
        context: `ctx-${i}`,
        description: `#${i}`,
        created_at: new Date(start + i * 1000).toISOString(),
      })
    }
  })

  it('lists newest first, 30 per page, with a Link header', async () => {
    const res = await req('GET', `/repos/acme/app/commits/${sha}/statuses`)
    expect(res.status).toBe(200)
    expect(res.json).toHaveLength(30)
    expect(res.json[0].description).toBe('#249')
    expect(res.json[29].description).toBe('#220')
    const repoId = (await req('GET', '/repos/acme/app')).json.id
    const base = `${sb.url}/repositories/${repoId}/commits/${sha}/statuses`
    expect(res.headers.get('link')).toBe(
      `<${base}?page=2>; rel="next", <${base}?page=9>; rel="last"`,
    )
    expect(
      sb
        .statuses('acme/app', sha)
        .map((s) => s.description)
        .slice(0, 2),
    ).toEqual(['#249', '#248'])
  })

  it('honours per_page (max 100) and page, with prev/next/last/first', async () => {
    const repoId = (await req('GET', '/repos/acme/app')).json.id
    const base = `${sb.url}/repositories/${repoId}/commits/paged/statuses`
    const mid = await req('GET', '/repos/acme/app/commits/paged/statuses?per_page=100&page=2')
    expect(mid.json).toHaveLength(100)
    expect(mid.json[0].description).toBe('#149')
    expect(mid.headers.get('link')).toBe(
      `<${base}?per_page=100&page=1>; rel="prev", <${base}?per_page=100&page=3>; rel="next", ` +
        `<${base}?per_page=100&page=3>; rel="last", <${base}?per_page=100&page=1>; rel="first"`,
    )
    const last = await req('GET', '/repos/acme/app/commits/paged/statuses?per_page=100&page=3')
    expect(last.json).toHaveLength(50)
    expect(last.headers.get('link')).toBe(
      `<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`,
    )
    const clamped = await req('GET', '/repos/acme/app/commits/paged/statuses?per_page=1000')
    expect(clamped.json).toHaveLength(100)
    const beyond = await req('GET', '/repos/acme/app/commits/paged/statuses?page=99')
    expect(beyond.json).toEqual([])
  })

  it('follows Link with the real pagination plugin to collect all 250', async () => {
    const MyOctokit = Octokit.plugin(paginateRest)
    const octokit = new MyOctokit({ auth: token, baseUrl: sb.url })
    const all = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
      owner: 'acme',
      repo: 'app',
      ref: sha,
      per_page: 100,
    })
    expect(all).toHaveLength(250)
    expect(new Set(all.map((s) => s.id)).size).toBe(250)
    expect(sb.requests.filter((r) => r.path.startsWith('/repositories/')).length).toBe(2)
  })

  it('returns [] for a sha without statuses and 404 for an unknown branch', async () => {
    const fresh = sb.addCommit('acme/app', { branch: 'fresh' })
    const none = await req('GET', `/repos/acme/app/commits/${fresh}/statuses`)
    expect([none.status, none.json, none.headers.get('link')]).toEqual([200, [], null])
    expect((await req('GET', `/repos/acme/app/commits/${'e'.repeat(40)}/statuses`)).json).toEqual(
      [],
    )
    expect((await req('GET', '/repos/acme/app/commits/no-such-branch/statuses')).status).toBe(404)
  })
})

describe('GET /repos/{owner}/{repo}/commits/{ref}/status (combined)', () => {
  const combined = async (sha: string) =>
    (await req('GET', `/repos/acme/app/commits/${sha}/status`)).json
  const at = (s: number) => new Date(Date.parse('2026-02-01T00:00:00Z') + s * 1000).toISOString()

  it('is pending with no statuses', async () => {
    const sha = sb.addCommit('acme/app')
    expect(await combined(sha)).toMatchObject({
      state: 'pending',
      total_count: 0,
      statuses: [],
      sha,
    })
  })

  it('keeps the latest status per context and applies failure > pending > success', async () => {
    const sha = sb.addCommit('acme/app')
    sb.addStatus('acme/app', sha, { state: 'failure', context: 'ci', created_at: at(1) })
    sb.addStatus('acme/app', sha, { state: 'success', context: 'ci', created_at: at(2) })
    let body = await combined(sha)
    expect(body).toMatchObject({ state: 'success', total_count: 1 })
    expect(body.statuses).toEqual([expect.objectContaining({ context: 'ci', state: 'success' })])

    sb.addStatus('acme/app', sha, { state: 'pending', context: 'argocd', created_at: at(3) })
    expect((await combined(sha)).state).toBe('pending')
    sb.addStatus('acme/app', sha, { state: 'error', context: 'lint', created_at: at(4) })
    body = await combined(sha)
    expect(body).toMatchObject({
      state: 'failure',
      total_count: 3,
      sha,
      commit_url: `${sb.url}/repos/acme/app/commits/${sha}`,
      url: `${sb.url}/repos/acme/app/commits/${sha}/status`,
      repository: { full_name: 'acme/app', private: true },
    })
    // Oldest first, as in GitHub's recorded responses (@octokit/fixtures create-status).
    expect(body.statuses.map((s: { context: string }) => s.context)).toEqual([
      'ci',
      'argocd',
      'lint',
    ])
  })

  it('resolves branch names and 404s unknown refs', async () => {
    const sha = sb.addCommit('acme/app', { branch: 'release' })
    sb.addStatus('acme/app', sha, { state: 'success', context: 'argocd' })
    expect(await combined('release')).toMatchObject({ state: 'success', sha })
    expect((await req('GET', '/repos/acme/app/commits/nope/status')).status).toBe(404)
  })
})

describe('seeding and recording', () => {
  it('refuses statuses on unknown commits or repos', () => {
    expect(() =>
      sb.addStatus('acme/app', 'd'.repeat(40), { state: 'success', context: 'x' }),
    ).toThrow(/no commit/)
    expect(() => sb.statuses('acme/none', 'd'.repeat(40))).toThrow(/unknown repository/)
  })

  it('records method, path with query, lowercased headers, body and status', async () => {
    sb.clearRequests()
    expect(sb.requests).toHaveLength(0)
    const sha = sb.addCommit('acme/app')
    await req('POST', `/repos/acme/app/statuses/${sha}?x=1`, { body: { state: 'success' } })
    await req('GET', '/nowhere')
    expect(sb.requests).toEqual([
      {
        method: 'POST',
        path: `/repos/acme/app/statuses/${sha}?x=1`,
        headers: expect.objectContaining({
          authorization: `token ${token}`,
          'content-type': 'application/json',
        }),
        body: '{"state":"success"}',
        status: 201,
        bytesIn: 19,
        bytesOut: expect.any(Number),
        durationMs: expect.any(Number),
      },
      expect.objectContaining({ method: 'GET', path: '/nowhere', status: 404 }),
    ])
  })
})

// Replays what real GitHub answered (recorded in @octokit/fixtures) against the double: every
// field GitHub sent must be there, and the X-Accepted-OAuth-Scopes values must match.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { call } from './helpers/http.js'

interface Recorded {
  method: string
  path: string
  status: number
  response: unknown
  headers: Record<string, string>
}

const require = createRequire(import.meta.url)
const scenario = (name: string): Recorded[] =>
  JSON.parse(
    readFileSync(
      require.resolve(`@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`),
      'utf8',
    ),
  ) as Recorded[]

/** Fields GitHub added after the fixtures were recorded (2017); present in today's OpenAPI. */
const NEWER_FIELDS = new Set(['user_view_type', 'has_discussions'])

/** Paths of keys in `real` missing from `ours`, and keys in `ours` GitHub did not send. */
function compareKeys(
  real: unknown,
  ours: unknown,
  path = '',
): { missing: string[]; extra: string[] } {
  const out = { missing: [] as string[], extra: [] as string[] }
  if (Array.isArray(real) && Array.isArray(ours)) {
    if (real.length > 0 && ours.length > 0) return compareKeys(real[0], ours[0], `${path}[0]`)
    return out
  }
  if (!real || typeof real !== 'object' || !ours || typeof ours !== 'object') return out
  const r = real as Record<string, unknown>
  const o = ours as Record<string, unknown>
  for (const k of Object.keys(r)) {
    if (!(k in o)) out.missing.push(`${path}.${k}`)
    else {
      const sub = compareKeys(r[k], o[k], `${path}.${k}`)
      out.missing.push(...sub.missing)
      out.extra.push(...sub.extra)
    }
  }
  for (const k of Object.keys(o))
    if (!(k in r) && !NEWER_FIELDS.has(k)) out.extra.push(`${path}.${k}`)
  return out
}

let sb: GitHubSandbox
let token: string
let sha: string
const repoPath = '/repos/octokit-fixture-org/hello-world'

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('octokit-fixture-org')
  sb.addRepo('octokit-fixture-org/hello-world', { private: false })
  sha = sb.addCommit('octokit-fixture-org/hello-world')
  // The recording token's scopes, handed over in reverse: GitHub echoes them sorted.
  const recorded = scenario('create-status')[0]!.headers['x-oauth-scopes']!
  token = sb.addToken({ kind: 'classic', scopes: recorded.split(', ').reverse() })
})

afterAll(async () => {
  await sb?.stop()
})

describe('recorded GitHub responses (@octokit/fixtures)', () => {
  it('GET / has the same fields', async () => {
    const [real] = scenario('get-root')
    const ours = await call(sb.url, 'GET', '/', { token })
    expect(compareKeys(real!.response, ours.json)).toEqual({ missing: [], extra: [] })
  })

  it('GET /repos/{owner}/{repo} has the same fields and X-Accepted-OAuth-Scopes', async () => {
    const [real] = scenario('get-repository')
    const ours = await call(sb.url, 'GET', repoPath, { token })
    expect(compareKeys(real!.response, ours.json)).toEqual({ missing: [], extra: [] })
    expect(ours.headers.get('x-accepted-oauth-scopes')).toBe(
      real!.headers['x-accepted-oauth-scopes'],
    )
  })

  it('create, list and combined statuses have the same fields, headers and order', async () => {
    const [post1, post2, list, combined] = scenario('create-status')
    const created = []
    for (const rec of [post1!, post2!]) {
      const res = rec.response as Record<string, unknown>
      const ours = await call(sb.url, 'POST', `${repoPath}/statuses/${sha}`, {
        token,
        body: {
          state: res['state'],
          context: res['context'],
          description: res['description'],
          target_url: res['target_url'],
        },
      })
      expect(ours.status).toBe(rec.status)
      expect(compareKeys(rec.response, ours.json)).toEqual({ missing: [], extra: [] })
      // Recorded: POST /statuses answers with an empty X-Accepted-OAuth-Scopes.
      expect(ours.headers.get('x-accepted-oauth-scopes')).toBe(
        rec.headers['x-accepted-oauth-scopes'],
      )
      expect(ours.headers.get('x-oauth-scopes')).toBe(rec.headers['x-oauth-scopes'])
      created.push(ours.json)
    }

    const ourList = await call(sb.url, 'GET', `${repoPath}/commits/${sha}/statuses`, { token })
    expect(compareKeys(list!.response, ourList.json)).toEqual({ missing: [], extra: [] })
    expect(ourList.headers.get('x-accepted-oauth-scopes')).toBe(
      list!.headers['x-accepted-oauth-scopes'],
    )
    const contexts = (xs: unknown) => (xs as Array<{ context: string }>).map((s) => s.context)
    expect(contexts(ourList.json)).toEqual(contexts(list!.response))

    const ourCombined = await call(sb.url, 'GET', `${repoPath}/commits/${sha}/status`, { token })
    expect(compareKeys(combined!.response, ourCombined.json)).toEqual({ missing: [], extra: [] })
    const realCombined = combined!.response as {
      state: string
      statuses: unknown
      total_count: number
    }
    expect(ourCombined.json.state).toBe(realCombined.state)
    expect(ourCombined.json.total_count).toBe(realCombined.total_count)
    expect(contexts(ourCombined.json.statuses)).toEqual(contexts(realCombined.statuses))
    expect(created).toHaveLength(2)
  })

  it('Validation Failed bodies have the recorded shape', () => {
    const [real] = scenario('errors')
    expect(Object.keys(real!.response as object).sort()).toEqual([
      'documentation_url',
      'errors',
      'message',
    ])
  })
})

import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { isTransientStatus, retryAfterMs } from '../src/index.js'
import { getJson } from '../src/http.js'
import { createGitHubClient } from '../src/github.js'

// One convention for "transient" in every client: 408, 429, 5xx (and no answer) are retried,
// every other status is an answer.
test('isTransientStatus', () => {
  expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true)
  expect([200, 301, 400, 401, 403, 404, 409, 410, 422].some(isTransientStatus)).toBe(false)
})

test('retryAfterMs reads seconds and HTTP dates, capped', () => {
  expect(retryAfterMs('3')).toBe(3000)
  expect(retryAfterMs(['2'])).toBe(2000)
  expect(retryAfterMs(new Date(10_000).toUTCString(), { now: 4000 })).toBe(6000)
  expect(retryAfterMs('9999')).toBe(120_000)
  expect(retryAfterMs('soon')).toBeUndefined()
  expect(retryAfterMs(undefined)).toBeUndefined()
})

describe('the GitHub client follows it', () => {
  let gh: GitHubSandbox
  beforeAll(async () => {
    gh = await startGitHubSandbox()
    gh.addOrg('acme')
    gh.addRepo('acme/app')
  })
  afterAll(() => gh.stop())

  // Regression: plugin-retry's own list retried a 409 (an empty repository's answer) three times.
  test('a 409 is an answer: one request', async () => {
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    gh.injectFault({ type: 'status', status: 409, path: '/repos/acme/app', times: 5 })
    const octokit = createGitHubClient({
      token,
      baseUrl: `${gh.url}/`,
      log: { debug: () => {}, info: () => {}, warn: () => {} },
      retryBaseMs: 20,
    })
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({
      status: 409,
    })
    expect(gh.requests.filter((r) => r.path === '/repos/acme/app')).toHaveLength(1)
  })
})

describe('getJson (GitLab, Bitbucket) follows it', () => {
  // A loopback server that answers from a script, one status (and headers) per request.
  async function scripted(answers: Array<[number, Record<string, string>?]>) {
    const { createServer } = await import('node:http')
    const seen: number[] = []
    const server = createServer((_req, res) => {
      const [status, headers] = answers[Math.min(seen.length, answers.length - 1)]!
      seen.push(Date.now())
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify({ status }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as { port: number }
    return { url: `http://127.0.0.1:${port}/x`, seen, close: () => server.close() }
  }

  test('a 408 is retried; a 409 is an answer', async () => {
    const s = await scripted([[408], [200]])
    const c = await scripted([[409], [200]])
    try {
      expect((await getJson(s.url, {}, { baseMs: 1 })).status).toBe(200)
      expect(s.seen).toHaveLength(2)
      expect((await getJson(c.url, {}, { baseMs: 1 })).status).toBe(409)
      expect(c.seen).toHaveLength(1)
    } finally {
      s.close()
      c.close()
    }
  })

  test("a 429's Retry-After is waited, not only the backoff", async () => {
    const s = await scripted([[429, { 'retry-after': '1' }], [200]])
    try {
      expect((await getJson(s.url, {}, { baseMs: 1 })).status).toBe(200)
      expect(s.seen[1]! - s.seen[0]!).toBeGreaterThanOrEqual(900)
    } finally {
      s.close()
    }
  })
})

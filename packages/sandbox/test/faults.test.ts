// Injected faults, common response headers, and a clean shutdown.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { call } from './helpers/http.js'

let sb: GitHubSandbox
let token: string
const req = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) =>
  call(sb.url, method, path, { token, ...opts })

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addRepo('acme/app')
  sb.addCommit('acme/app')
  token = sb.addToken({ kind: 'classic', scopes: ['repo'] })
})

afterAll(async () => {
  await sb?.stop()
})

beforeEach(() => {
  sb.clearFaults()
  sb.clearRequests()
})

describe('common headers', () => {
  it('puts rate-limit, request-id and content-type headers on every response', async () => {
    for (const [path, status] of [
      ['/repos/acme/app', 200],
      ['/nope', 404],
    ] as const) {
      const res = await req('GET', path)
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(res.headers.get('x-github-request-id')).toMatch(
        /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{7}:[0-9A-F]{8}$/,
      )
      expect(res.headers.get('x-ratelimit-limit')).toBe('5000')
      expect(res.headers.get('x-ratelimit-resource')).toBe('core')
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
      const used = Number(res.headers.get('x-ratelimit-used'))
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(5000 - used)
    }
    const a = Number((await req('GET', '/')).headers.get('x-ratelimit-used'))
    const b = Number((await req('GET', '/')).headers.get('x-ratelimit-used'))
    expect(b).toBe(a + 1)
  })
})

describe('faults', () => {
  it("'status' answers with the given code, for `times` matching requests, then lets requests through", async () => {
    sb.injectFault({
      type: 'status',
      status: 502,
      method: 'GET',
      path: '/repos/acme/app',
      times: 2,
    })
    expect((await req('GET', '/')).status).toBe(200) // path does not match: not consumed
    expect((await req('POST', '/repos/acme/app')).status).toBe(404) // method does not match
    const first = await req('GET', '/repos/acme/app')
    expect(first.status).toBe(502)
    expect(first.json).toEqual({ message: 'Bad Gateway' })
    expect((await req('GET', '/repos/acme/app')).status).toBe(502)
    expect((await req('GET', '/repos/acme/app')).status).toBe(200)
    expect(sb.requests.map((r) => r.status)).toEqual([200, 404, 502, 502, 200])
  })

  it('consumes faults in queue order, matching paths by RegExp, with custom bodies', async () => {
    sb.injectFault({
      type: 'status',
      status: 500,
      path: /\/statuses$/,
      body: { message: 'Server Error' },
    })
    sb.injectFault({ type: 'status', status: 503, path: /^\/repos\// })
    sb.injectFault({ type: 'status', status: 500 })
    const a = await req('GET', '/repos/acme/app/commits/main/statuses')
    expect([a.status, a.json]).toEqual([500, { message: 'Server Error' }])
    expect((await req('GET', '/repos/acme/app/commits/main/statuses')).status).toBe(503)
    expect((await req('GET', '/user')).status).toBe(500)
    expect((await req('GET', '/user')).status).toBe(200)
  })

  it("'rate-limit' answers 429 with retry-after and x-ratelimit-remaining: 0", async () => {
    sb.injectFault({ type: 'rate-limit', retryAfter: 7 })
    const res = await req('GET', '/repos/acme/app')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) + 6,
    )
    expect(res.json.message).toMatch(/^API rate limit exceeded for user ID \d+\./)
    expect(res.json.status).toBe('429')
    expect((await req('GET', '/repos/acme/app')).status).toBe(200)
  })

  it("'secondary-rate-limit' answers 403 with GitHub's message and retry-after", async () => {
    sb.injectFault({ type: 'secondary-rate-limit', retryAfter: 60 })
    const res = await req('POST', '/repos/acme/app/statuses/abc', { body: { state: 'success' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('retry-after')).toBe('60')
    expect(res.headers.get('x-ratelimit-remaining')).not.toBe('0')
    expect(res.json.message).toMatch(
      /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. If you reach out to GitHub Support for help, please include the request ID [0-9A-F:]+ and timestamp .+ UTC\.$/,
    )
    expect(res.json.message).toContain(res.headers.get('x-github-request-id'))
    expect(res.json.documentation_url).toBe(
      'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    )
    expect(sb.requests[0]).toMatchObject({
      method: 'POST',
      status: 403,
      body: '{"state":"success"}',
    })
  })

  it("'reset' destroys the connection: fetch rejects, the request is still recorded", async () => {
    sb.injectFault({ type: 'reset', path: '/user' })
    await expect(
      fetch(`${sb.url}/user`, { headers: { authorization: `token ${token}` } }),
    ).rejects.toThrow()
    expect(sb.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/user', status: 0 }),
    ])
    expect((await req('GET', '/user')).status).toBe(200)
  })

  it("'delay' holds the response, then answers normally", async () => {
    sb.injectFault({ type: 'delay', ms: 300 })
    const started = Date.now()
    const res = await req('GET', '/repos/acme/app')
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
  })

  it('clearFaults empties the queue', async () => {
    sb.injectFault({ type: 'status', status: 500, times: 5 })
    sb.clearFaults()
    expect((await req('GET', '/')).status).toBe(200)
    expect(() => sb.injectFault({ type: 'status', status: 500, times: 0 })).toThrow(
      /positive integer/,
    )
  })

  it('reach Octokit as RequestErrors with the status and headers', async () => {
    const octokit = new Octokit({ auth: token, baseUrl: sb.url })
    sb.injectFault({ type: 'rate-limit', retryAfter: 2 })
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' }),
    ).rejects.toMatchObject({
      status: 429,
      response: { headers: { 'retry-after': '2', 'x-ratelimit-remaining': '0' } },
    })
    sb.injectFault({ type: 'status', status: 500 })
    await expect(octokit.request('GET /user')).rejects.toMatchObject({ status: 500 })
    sb.injectFault({ type: 'reset' })
    await expect(octokit.request('GET /user')).rejects.toMatchObject({
      status: 500,
      name: 'HttpError',
    })
  })
})

describe('stop()', () => {
  it('closes keep-alive sockets and pending delayed requests, and is idempotent', async () => {
    const other = await startGitHubSandbox()
    const t = other.addToken({ kind: 'classic', scopes: [] })
    expect((await call(other.url, 'GET', '/', { token: t })).status).toBe(200) // leaves a keep-alive socket
    other.injectFault({ type: 'delay', ms: 60_000 })
    const hanging = fetch(`${other.url}/user`, { headers: { authorization: `token ${t}` } })
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await other.stop()
    await other.stop()
    expect(Date.now() - started).toBeLessThan(1000)
    await expect(hanging).rejects.toThrow()
    await expect(fetch(`${other.url}/`)).rejects.toThrow()
  })

  it('listens on the host asked for', async () => {
    const other = await startGitHubSandbox({ host: '127.0.0.1' })
    expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await other.stop()
  })
})

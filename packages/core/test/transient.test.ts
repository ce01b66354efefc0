import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { isTransientStatus, retryAfterMs } from '../src/index.js'
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

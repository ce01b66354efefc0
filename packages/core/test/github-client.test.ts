import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { GitHubError, explained, seenTokenExpiration } from '../src/index.js'
import { createGitHubClient } from '../src/github.js'

let gh: GitHubSandbox
let sha: string
const silent = { debug: () => {}, info: () => {}, warn: () => {} }
const repo = { owner: 'acme', repo: 'app' }

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo('acme/app')
  sha = gh.addCommit('acme/app')
})
afterAll(() => gh.stop())
beforeEach(() => {
  gh.clearFaults()
  gh.clearRequests()
})

const client = (token: string, extra = {}) =>
  createGitHubClient({ token, baseUrl: `${gh.url}/`, log: silent, retryBaseMs: 20, ...extra })

test('remembers the expiry GitHub reports, for a later 401', async () => {
  const expiresAt = new Date('2027-01-02T03:04:05Z')
  const token = gh.addToken({ kind: 'classic', scopes: ['repo'], expiresAt })
  const octokit = client(token)
  expect(seenTokenExpiration(octokit)).toBeUndefined()
  await octokit.rest.repos.get(repo)
  expect(seenTokenExpiration(octokit)).toBe('2027-01-02 03:04:05 UTC')
})

test('a hung request is cut by the per-request timeout and retried', async () => {
  const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
  gh.injectFault({ type: 'delay', ms: 3000, path: '/repos/acme/app' })
  const started = Date.now()
  const { data } = await client(token, { requestTimeoutMs: 300 }).rest.repos.get(repo)
  expect(data.full_name).toBe('acme/app')
  expect(Date.now() - started).toBeLessThan(2500)
  expect(gh.requests.filter((r) => r.path === '/repos/acme/app')).toHaveLength(2)
})

test('retries are bounded: 1 + retries attempts, then the error', async () => {
  const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
  gh.injectFault({ type: 'status', status: 503, path: '/repos/acme/app', times: 10 })
  await expect(client(token, { retries: 2 }).rest.repos.get(repo)).rejects.toMatchObject({
    status: 503,
  })
  expect(gh.requests).toHaveLength(3)
})

test('permanent failures are not retried, and explained() explains them', async () => {
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: ['acme/app'],
    permissions: { statuses: 'read' },
  })
  const octokit = client(token)
  const error = await explained(octokit, { action: 'set a status' }, () =>
    octokit.rest.repos.createCommitStatus({ ...repo, sha, state: 'success' }),
  ).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GitHubError)
  expect((error as GitHubError).message).toContain("'Commit statuses: write'")
  expect(gh.requests).toHaveLength(1)
})

test('sends the user agent and the token only in the Authorization header', async () => {
  const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
  await client(token, { userAgent: 'argocd-actions/test' }).rest.repos.get(repo)
  const [request] = gh.requests
  expect(request.headers['user-agent']).toMatch(/^argocd-actions\/test/)
  expect(request.headers.authorization).toBe(`token ${token}`)
  expect(request.path).not.toContain(token)
})

describe('rate limits: only the throttling rules retry them, within the budget', () => {
  const count = () => gh.requests.filter((r) => r.path === '/repos/acme/app').length
  const explainedGet = async (octokit: ReturnType<typeof client>): Promise<GitHubError> => {
    const error = await explained(octokit, { action: 'read acme/app' }, () =>
      octokit.rest.repos.get(repo),
    ).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubError)
    return error as GitHubError
  }

  test("a persistent GitHub 429 is retried 'retries' times, not retries × retries", async () => {
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    gh.injectFault({ type: 'rate-limit', retryAfter: 1, path: '/repos/acme/app', times: 100 })
    const error = await explainedGet(client(token, { retries: 1 }))
    expect(error.kind).toBe('rate-limited')
    // Before: plugin-retry retried each of throttling's attempts (4 requests for retries: 1).
    expect(count()).toBe(2)
  }, 20_000)

  test('a GitHub 429 asking for more than the longest wait gives up at once, saying so', async () => {
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    gh.injectFault({ type: 'rate-limit', retryAfter: 600, path: '/repos/acme/app', times: 100 })
    const started = Date.now()
    const error = await explainedGet(client(token, { maxRateLimitWaitSeconds: 60 }))
    expect(count()).toBe(1)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(error.kind).toBe('rate-limited')
    expect(error.message).toContain('longer than the 60 s this action waits')
  })

  test('a plain 429 (a proxy, no rate-limit headers) honours Retry-After, a bounded number of times', async () => {
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    const tooMany = { message: 'Too Many Requests' }
    gh.injectFault({
      type: 'status',
      status: 429,
      body: tooMany,
      headers: { 'retry-after': '1' },
      path: '/repos/acme/app',
      times: 2,
    })
    const started = Date.now()
    const { data } = await client(token, { retries: 2 }).rest.repos.get(repo)
    expect(data.full_name).toBe('acme/app')
    expect(count()).toBe(3)
    // Retry-After is waited, not plugin-retry's 20 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)

    gh.clearRequests()
    gh.injectFault({
      type: 'status',
      status: 429,
      body: tooMany,
      headers: { 'retry-after': '600' },
      path: '/repos/acme/app',
      times: 100,
    })
    const error = await explainedGet(client(token, { retries: 2 }))
    expect(count()).toBe(1)
    expect(error.message).toContain('retry after 600 s')
  }, 20_000)
})

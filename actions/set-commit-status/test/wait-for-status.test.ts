import type { GitHubClient } from '@argocd-actions/core'
import { createGitHubClient } from '@argocd-actions/core/github'
import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import {
  findNewestStatus,
  isUnder,
  waitForCommitStatus,
  WaitError,
} from '../src/wait-for-status.js'

let gh: GitHubSandbox
let octokit: GitHubClient
let sha: string
const repo = { owner: 'acme', repo: 'app' }
const silent = { debug: () => {}, info: () => {}, warn: () => {} }

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo('acme/app')
  sha = gh.addCommit('acme/app')
  const token = gh.addToken({ kind: 'classic', scopes: ['repo:status'] })
  octokit = createGitHubClient({ token, baseUrl: gh.url, log: silent })
})
afterAll(() => gh.stop())

/** A virtual clock: sleeping advances time and lets a scripted "Argo CD" act. */
function clock(onTick?: (t: number) => void) {
  let t = Date.parse('2026-11-22T10:00:00Z')
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
      onTick?.(t)
    },
  }
}

test('a status stamped with the second of created-after is stale unless it is new to the wait', async () => {
  const context = 'cd/same-second'
  // Stamped 10:00:05: posted somewhere in 10:00:05.000-.999, maybe before 10:00:05.700.
  const stale = gh.addStatus('acme/app', sha, {
    state: 'success',
    context,
    created_at: '2026-11-22T10:00:05Z',
  })
  const after = new Date('2026-11-22T10:00:05.700Z')
  expect(await findNewestStatus(octokit, repo, sha, context, after)).toBeUndefined()
  // created-after on the whole second: the same stamp is certainly not older.
  const exact = await findNewestStatus(
    octokit,
    repo,
    sha,
    context,
    new Date('2026-11-22T10:00:05Z'),
  )
  expect(exact?.id).toBe(stale.id)
  expect(
    await findNewestStatus(octokit, repo, sha, context, new Date('2026-11-22T10:00:06Z')),
  ).toBeUndefined()

  // During a wait, one that appears after the first poll is new, though stamped the same.
  let fresh: number | undefined
  const c = clock((t) => {
    if (fresh === undefined && t >= Date.parse('2026-11-22T10:00:20Z'))
      fresh = gh.addStatus('acme/app', sha, {
        state: 'success',
        context,
        created_at: '2026-11-22T10:00:05Z',
      }).id
  })
  const result = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    {
      context,
      expectedState: 'success',
      timeoutSeconds: 60,
      intervalSeconds: 10,
      createdAfter: after,
    },
    c,
  )
  expect(result.status.id).toBe(fresh)
  expect(result.polls).toBe(3)
})

test('a wait times out on a same-second status that was there first, and says why', async () => {
  const context = 'cd/same-second-timeout'
  gh.addStatus('acme/app', sha, { state: 'success', context, created_at: '2026-11-22T10:00:05Z' })
  const error = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    {
      context,
      expectedState: 'success',
      timeoutSeconds: 20,
      intervalSeconds: 10,
      createdAfter: new Date('2026-11-22T10:00:05.700Z'),
    },
    clock(),
  ).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(WaitError)
  expect((error as Error).message).toContain(
    'stamped 2026-11-22T10:00:05Z, the second of created-after',
  )
})

test('a created-after later than the first poll: same-second statuses wait for a later poll', async () => {
  const context = 'cd/future'
  // The clock starts at 10:00:00; created-after is 10:00:15.500.
  let posted: number | undefined
  const c = clock((t) => {
    if (posted === undefined && t >= Date.parse('2026-11-22T10:00:30Z'))
      posted = gh.addStatus('acme/app', sha, {
        state: 'success',
        context,
        created_at: '2026-11-22T10:00:15Z',
      }).id
  })
  gh.addStatus('acme/app', sha, { state: 'success', context, created_at: '2026-11-22T10:00:15Z' })
  const result = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    {
      context,
      expectedState: 'success',
      timeoutSeconds: 60,
      intervalSeconds: 10,
      createdAfter: new Date('2026-11-22T10:00:15.500Z'),
    },
    c,
  )
  // Polls at :00 and :10 come before created-after and set nothing; :20 sets the baseline.
  expect(result.status.id).toBe(posted)
})

test('expected-target-url: only statuses at or under it count', async () => {
  const context = 'cd/envs'
  const prod = 'https://argocd.prod.example.com/applications/web.app'
  gh.addStatus('acme/app', sha, { state: 'error', context, target_url: prod })
  gh.addStatus('acme/app', sha, { state: 'success', context, target_url: `${prod}-two` })
  const logs: string[] = []
  const error = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    {
      context,
      expectedState: 'success',
      timeoutSeconds: 10,
      intervalSeconds: 10,
      expectedTargetUrl: new URL(prod.replace('prod', 'dev')),
    },
    { ...clock(), log: (m) => logs.push(m) },
  ).catch((e: unknown) => e)
  expect((error as Error).message).toContain(`at ${prod}-two`)
  expect((error as Error).message).toContain('not under expected-target-url')
  expect(logs.join('\n')).toContain('another target URL, ignored')

  // Under the expected URL, a path boundary counts: web.app does not cover web.app-two.
  const found = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    {
      context,
      expectedState: 'error',
      timeoutSeconds: 10,
      intervalSeconds: 10,
      expectedTargetUrl: new URL(prod),
    },
    clock(),
  )
  expect(found.status.targetUrl).toBe(prod)
})

test('isUnder compares origin and path segments', () => {
  const base = new URL('https://argocd.example.com/applications/web.app')
  expect(isUnder('https://argocd.example.com/applications/web.app?operation=true', base)).toBe(true)
  expect(isUnder('https://argocd.example.com/applications/web.app/logs', base)).toBe(true)
  expect(isUnder('https://argocd.example.com/applications/web.app2', base)).toBe(false)
  expect(isUnder('https://argocd.example.com.evil.io/applications/web.app', base)).toBe(false)
  expect(isUnder('http://argocd.example.com/applications/web.app', base)).toBe(false)
  expect(isUnder(null, base)).toBe(false)
  expect(isUnder('not a url', base)).toBe(false)
  expect(isUnder('https://argocd.example.com/x', new URL('https://argocd.example.com'))).toBe(true)
})

test('the newest of several statuses of the context wins, same second broken by id', async () => {
  const context = 'cd/newest'
  gh.addStatus('acme/app', sha, { state: 'pending', context, created_at: '2026-11-22T10:00:00Z' })
  gh.addStatus('acme/app', sha, { state: 'success', context, created_at: '2026-11-22T10:00:00Z' })
  expect((await findNewestStatus(octokit, repo, sha, context))?.state).toBe('success')
})

test('polls at the interval until success and reports waited time from the clock', async () => {
  const context = 'cd/poll'
  let posted = false
  const c = clock((t) => {
    if (!posted && t >= Date.parse('2026-11-22T10:00:30Z')) {
      posted = true
      gh.addStatus('acme/app', sha, { state: 'success', context })
    }
  })
  const result = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    { context, expectedState: 'success', timeoutSeconds: 600, intervalSeconds: 10 },
    c,
  )
  expect(result.status.state).toBe('success')
  expect(result.waitedSeconds).toBe(30)
  expect(result.polls).toBe(4)
})

test('the last sleep is cut to the deadline, then it times out', async () => {
  const c = clock()
  const error = await waitForCommitStatus(
    octokit,
    repo,
    sha,
    { context: 'cd/never', expectedState: 'success', timeoutSeconds: 25, intervalSeconds: 10 },
    c,
  ).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(WaitError)
  expect((error as WaitError).waitedSeconds).toBe(25)
  expect((error as WaitError).message).toContain("no 'cd/never' status appeared")
})

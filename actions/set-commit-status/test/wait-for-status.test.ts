import type { GitHubClient } from '@argocd-actions/core'
import { createGitHubClient } from '@argocd-actions/core/github'
import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { findNewestStatus, waitForCommitStatus, WaitError } from '../src/wait-for-status.js'

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

test('a status in the same second as created-after counts (GitHub stores whole seconds)', async () => {
  const context = 'cd/same-second'
  gh.addStatus('acme/app', sha, { state: 'success', context, created_at: '2026-11-22T10:00:05Z' })
  const found = await findNewestStatus(
    octokit,
    repo,
    sha,
    context,
    new Date('2026-11-22T10:00:05.700Z'),
  )
  expect(found?.state).toBe('success')
  const older = await findNewestStatus(
    octokit,
    repo,
    sha,
    context,
    new Date('2026-11-22T10:00:06.000Z'),
  )
  expect(older).toBeUndefined()
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

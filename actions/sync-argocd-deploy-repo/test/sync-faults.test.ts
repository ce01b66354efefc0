import { isUserError } from '@argocd-actions/core'
import { DEFAULT_MESSAGE, type SyncInputs } from '../src/inputs.js'
import { SERVER_FAULT_PUSHES, syncToDeployRepo } from '../src/sync.js'
import {
  answer,
  GITHUB_LIKE,
  startBackend,
  type BackendOptions,
  type BackendServer,
} from '../../../packages/git/test/http-backend.js'

// syncToDeployRepo against a real `git http-backend`, for what the GitHub sandbox cannot play:
// hooks, answers lost after the push landed, stalled sockets. Each test failed on the code before
// issue 12 (the failures were classified by regular expressions on the server's text).
const servers: BackendServer[] = []
async function server(opts: BackendOptions = {}) {
  const s = await startBackend({ config: GITHUB_LIKE, name: 'acme/deploy.git', ...opts })
  servers.push(s)
  return s
}
afterAll(async () => {
  for (const s of servers) await s.close()
})

const TOKEN = 'ghp_' + 'a'.repeat(36)
const inputs = (s: BackendServer, extra: Partial<SyncInputs> = {}): SyncInputs => ({
  token: TOKEN,
  repository: { owner: 'acme', repo: 'deploy' },
  branch: 'main',
  path: 'plat/dev/apps',
  namespace: 'web',
  application: 'shop',
  operation: 'deploy',
  manifests: 'rendered',
  appRepository: 'acme/shop',
  appCommit: 'c0ffee'.padEnd(40, '0'),
  appHostname: 'https://shop.example.test',
  apiUrl: 'http://unused.invalid',
  serverUrl: new URL(s.url).origin,
  authorName: 'bot',
  authorEmail: 'bot@example.com',
  commitMessage: DEFAULT_MESSAGE,
  mode: 'push',
  transport: 'git',
  autoMerge: false,
  maxAttempts: 3,
  timeoutSeconds: 30,
  dryRun: false,
  runUrl: '',
  maxManifestBytes: 10 * 1024 * 1024,
  ...extra,
})
/** Not the token, in any of its forms, in what the step would print. */
function expectNoToken(error: unknown) {
  const text = `${(error as Error).message}\n${(error as Error).stack}`
  for (const form of [
    TOKEN,
    Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
    encodeURIComponent(TOKEN),
  ])
    expect(text).not.toContain(form)
}
const manifests = { files: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\n' } }
const sync = (i: SyncInputs) => syncToDeployRepo(i, manifests, { sleep: async () => {} })

test('a ruleset refusal (GH013) is explained as one, whatever ids its text holds', async () => {
  const s = await server({
    hooks: {
      'pre-receive': [
        'echo "error: GH013: Repository rule violations found for refs/heads/main." >&2',
        'echo "- Commit 4401ab0e must have verified signatures." >&2',
        'exit 1',
      ].join('\n'),
    },
  })
  const error = await sync(inputs(s)).catch((e: unknown) => e)
  expect(isUserError(error)).toBe(true)
  expectNoToken(error)
  expect((error as Error).message).toContain('ruleset')
  expect((error as Error).message).toContain('GH013')
  expect((error as Error).message).not.toContain('token was refused')
})

test('a 5xx that outlasts the retries on a read is the server, not a bug', async () => {
  const s = await server()
  s.faults.push(...Array.from({ length: 4 }, () => answer(503, 'unavailable')))
  const error = await sync(inputs(s)).catch((e: unknown) => e)
  expect(isUserError(error)).toBe(true)
  expectNoToken(error)
  expect((error as Error).message).toMatch(/kept failing \(503, after retries\)/)
})

test('a 403 from SAML single sign-on on a read is explained', async () => {
  const s = await server()
  s.faults.push(
    answer(
      403,
      "The 'acme' organization has enabled or enforced SAML SSO. To access this repository, you must use a token authorized for this organization.",
    ),
  )
  const error = await sync(inputs(s)).catch((e: unknown) => e)
  expect(isUserError(error)).toBe(true)
  expectNoToken(error)
  expect((error as Error).message).toContain('SAML single sign-on')
})

// Regression: the lost answer made the step push again on the old tip, lose the race against
// itself, then find the app up to date and report changed: false, with the tip's id.
test('a push whose answer was lost but which landed: changed, at our commit', async () => {
  const s = await server()
  s.faults.push({ path: /git-receive-pack$/, fault: 'drop-answer' })
  const result = await sync(inputs(s, { application: 'lost' }))
  const tip = s.git(s.bare, 'rev-parse', 'main')
  expect(result).toMatchObject({ changed: true, sha: tip, attempts: 1 })
  expect(s.git(s.bare, 'log', '--format=%s', '-1', 'main')).toContain('to web.lost')
  // One push only: never re-sent blindly.
  expect(s.seen.filter((q) => q.path.endsWith('/git-receive-pack'))).toHaveLength(1)
})

test('a push whose answer was lost and which did not land is applied again', async () => {
  const s = await server()
  s.faults.push({ path: /git-receive-pack$/, fault: answer(502, 'bad gateway') })
  const result = await sync(inputs(s, { application: 'again' }))
  expect(result).toMatchObject({ changed: true, attempts: 2 })
  expect(s.git(s.bare, 'rev-parse', 'main')).toBe(result.sha)
})

// Regression: the socket timeout was a fixed 60 s, whatever timeout-seconds said.
test('a stalled server is given up after timeout-seconds', async () => {
  const s = await server()
  s.faults.push('stall')
  const started = Date.now()
  const error = await sync(inputs(s, { timeoutSeconds: 10 })).catch((e: unknown) => e)
  expect(Date.now() - started).toBeLessThan(20_000)
  expect(isUserError(error)).toBe(true)
  expectNoToken(error)
  expect((error as Error).message).toContain('could not be reached')
}, 30_000)

// Regression (fault matrix, round 1): a server failing every push made the step push up to
// max-attempts times, then blame "concurrent writers". Its faults have a budget of their own.
test('a push the server fails every time: four pushes, the server named, not lost races', async () => {
  const s = await server()
  s.faults.push(
    ...Array.from({ length: 10 }, () => ({
      path: /git-receive-pack$/,
      fault: answer(500, 'Internal Server Error'),
    })),
  )
  const error = await sync(inputs(s, { application: 'failing', maxAttempts: 20 })).catch(
    (e: unknown) => e,
  )
  expect(isUserError(error)).toBe(true)
  expectNoToken(error)
  expect((error as Error).message).toBe(
    'push to acme/deploy: git-receive-pack answered 500 (a server error) on every attempt (4); main did not hold the release when read after it. Run the job again later (a release that is already there is a no-op); if it persists, check the git server and anything in front of it (proxy, load balancer).',
  )
  expect(s.seen.filter((q) => q.path.endsWith('/git-receive-pack'))).toHaveLength(
    SERVER_FAULT_PUSHES,
  )
})

test('fewer max-attempts than the fault budget: the server is still what the error names', async () => {
  const s = await server()
  s.faults.push(
    ...Array.from({ length: 4 }, () => ({
      path: /git-receive-pack$/,
      fault: answer(502, '<html><body>502 Bad Gateway</body></html>'),
    })),
  )
  const error = await sync(inputs(s, { application: 'few', maxAttempts: 2 })).catch(
    (e: unknown) => e,
  )
  expect((error as Error).message).toMatch(
    /^push to acme\/deploy: git-receive-pack answered 502 with an HTML page \(a proxy or load balancer in between, or an outage\) on every attempt \(2\); main did not hold the release when read after it/,
  )
  expect(s.seen.filter((q) => q.path.endsWith('/git-receive-pack'))).toHaveLength(2)
})

// Regression (fault matrix, round 1): an empty listing was "has no branch 'main'". Only a listing
// that names HEAD is one of a repository with commits.
test('a listing without the branch but with HEAD: the branch is absent', async () => {
  const s = await server()
  const error = await sync(inputs(s, { branch: 'staging' })).catch((e: unknown) => e)
  expect((error as Error).message).toBe(
    "acme/deploy has no branch 'staging': check 'branch' (e.g. main).",
  )
})

test('a listing of nothing, not even HEAD: no commits yet, or an unexpected answer', async () => {
  const s = await server()
  s.git(s.bare, 'update-ref', '-d', 'refs/heads/main')
  const error = await sync(inputs(s)).catch((e: unknown) => e)
  expect(isUserError(error)).toBe(true)
  expect((error as Error).message).toMatch(
    /^fetch of acme\/deploy: the ref listing \(ls-refs\) names neither 'main' nor HEAD: the repository has no commits yet .*, or the answer is unexpected/,
  )
  expect((error as Error).message).not.toContain('has no branch')
})

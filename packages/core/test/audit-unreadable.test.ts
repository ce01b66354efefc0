import { startGitHubSandbox, type GitHubSandbox } from '@argocd-actions/sandbox'
import { createGitHubClient } from '../src/github.js'
import { auditToken, builtinProfile, identifyToken, type AuditReport } from '../src/tokens/index.js'

/**
 * The audit against the sandbox with the real Octokit, retries shortened through the client's
 * own options: answers that cannot be read are "cannot verify", never "absent" (issue 11).
 */
let gh: GitHubSandbox
const ORG = 'acme'
const NONPROD = `${ORG}/argocd-deploy-non-prod`
const PROD = `${ORG}/argocd-deploy-prod`
const silent = { debug: () => {}, info: () => {}, warn: () => {} }

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg(ORG, { members: ['bot', 'alice'] })
  for (const repo of [NONPROD, PROD, `${ORG}/other`]) {
    gh.addRepo(repo)
    gh.addCommit(repo, { branch: 'main' })
  }
})
afterAll(() => gh.stop())
beforeEach(() => gh.clearFaults())

async function audit(
  token: string,
  profile: string,
  repositories: Record<string, string>,
  extra: { organization?: string; requestTimeoutMs?: number } = {},
): Promise<AuditReport> {
  return auditToken(
    {
      token,
      identity: identifyToken(token, 'auto'),
      profile: builtinProfile(profile)!,
      repositories,
      organization: extra.organization,
      apiUrl: gh.url,
      minDaysLeft: 7,
      warnDaysLeft: 30,
      onExcess: 'fail',
      probeWrites: false,
    },
    {
      github: (t, baseUrl) =>
        createGitHubClient({
          token: t,
          baseUrl,
          log: silent,
          retries: 1,
          retryBaseMs: 10,
          requestTimeoutMs: extra.requestTimeoutMs ?? 30_000,
        }),
    },
  )
}
const unverified = (r: AuditReport) =>
  r.findings.filter((f) => f.kind === 'unverified' && f.severity === 'error')

test('a probe that times out is unknown, not absent', async () => {
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: ORG,
    repositories: [PROD],
    permissions: { repository_hooks: 'write', contents: 'write' },
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })
  gh.injectFault({ type: 'delay', ms: 1500, path: /\/contents\/?$/, times: 5 })
  const r = await audit(token, 'argocd-webhooks', { deploy: PROD }, { requestTimeoutMs: 300 })
  expect(r.valid).toBe(false)
  expect(r.outcome).toBe('cannot-verify')
  expect(r.excess).toEqual([])
  const [f] = unverified(r)
  expect(f.request).toBe(`GET /repos/${PROD}/contents/`)
  expect(f.message).toContain('got no answer (timed out)')
})

test("an HTML page for the org's members is not 'Members: read is missing'", async () => {
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: ORG,
    repositories: [NONPROD, PROD],
    permissions: { administration: 'write', contents: 'write' },
    orgPermissions: { members: 'read' },
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })
  gh.injectFault({
    type: 'status',
    status: 403,
    body: '<html>blocked</html>',
    path: `/orgs/${ORG}/members`,
  })
  const r = await audit(
    token,
    'argocd-deploy-repo-admin',
    { deploy: NONPROD, 'deploy-prod': PROD },
    { organization: ORG },
  )
  expect(r.outcome).toBe('cannot-verify')
  expect(r.missing).toEqual([])
  expect(unverified(r).map((f) => f.request)).toEqual([`GET /orgs/${ORG}/members`])
})

test('an installation whose repository list cannot be read: cannot verify its reach', async () => {
  const token = gh.addToken({
    kind: 'installation',
    owner: ORG,
    repositories: [NONPROD, `${ORG}/other`],
    permissions: { contents: 'write' },
  })
  gh.injectFault({
    type: 'status',
    status: 200,
    body: { total_count: 2 },
    path: '/installation/repositories',
  })
  const r = await audit(token, 'argocd-release', { deploy: NONPROD, infra: `${ORG}/other` })
  expect(r.valid).toBe(false)
  expect(unverified(r).map((f) => f.request)).toContain('GET /installation/repositories')
})

test('500s on GET /user (retries exhausted): classic scopes unknown, not "missing"', async () => {
  const token = gh.addToken({
    kind: 'classic',
    scopes: ['repo:status'],
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })
  gh.injectFault({ type: 'status', status: 500, path: '/user', times: 5 })
  const r = await audit(token, 'argocd-notifications', { app: NONPROD })
  expect(r.outcome).toBe('cannot-verify')
  expect(r.missing).toEqual([])
  expect(unverified(r)[0].message).toContain(
    "Cannot verify the token's user and scopes: GET /user answered 500",
  )
})

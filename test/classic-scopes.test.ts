// Core's classic-scope table (packages/core/src/tokens/scopes.ts) and the sandbox's
// (packages/sandbox/src/github/tokens.ts) are kept apart on purpose: the sandbox plays GitHub, so
// a mistake in core must not be copied into the double that tests it. This checks both against a
// third source, GitHub's own list, so neither can drift (issue 16: the sandbox lacked the
// ssh_signing_key, packages and enterprise entries).
import { closure, KNOWN_CLASSIC_SCOPES } from '@argocd-actions/core/tokens'
import { expandScopes } from '@argocd-actions/sandbox'

// GitHub Docs, "Scopes for OAuth apps" (Available scopes), with the enterprise scopes of its
// GitHub Enterprise Cloud version:
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
// https://docs.github.com/en/enterprise-cloud@latest/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
// The OpenAPI description (@octokit/openapi) names scopes only in prose ("need the `repo`
// scope"), never as a list, so it cannot serve. Each scope maps to the scopes the page lists
// under it, which a token with it has too.
const DOCUMENTED: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'repo:status': [],
  repo_deployment: [],
  public_repo: [],
  'repo:invite': [],
  security_events: [],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'read:repo_hook': [],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  'read:org': [],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'read:public_key': [],
  'admin:org_hook': [],
  gist: [],
  notifications: [],
  user: ['read:user', 'user:email', 'user:follow'],
  'read:user': [],
  'user:email': [],
  'user:follow': [],
  project: ['read:project'],
  'read:project': [],
  delete_repo: [],
  'write:packages': ['read:packages'],
  'read:packages': [],
  'delete:packages': [],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'read:gpg_key': [],
  codespace: [],
  workflow: [],
  'admin:ssh_signing_key': ['write:ssh_signing_key', 'read:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  'read:ssh_signing_key': [],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
  'manage_runners:enterprise': [],
  'manage_billing:enterprise': [],
  'read:enterprise': [],
  'read:audit_log': [],
}

const sorted = (scopes: Iterable<string>) => [...scopes].sort()
const documented = Object.entries(DOCUMENTED).map(([scope, implied]) => ({
  scope,
  expected: sorted([scope, ...implied]),
}))

test('core knows every documented scope', () => {
  expect(Object.keys(DOCUMENTED).filter((s) => !KNOWN_CLASSIC_SCOPES.has(s))).toEqual([])
})

test.each(documented)("core: $scope grants what GitHub's page says", ({ scope, expected }) => {
  expect(sorted(closure([scope]))).toEqual(expected)
})

test.each(documented)("sandbox: $scope grants what GitHub's page says", ({ scope, expected }) => {
  expect(sorted(expandScopes([scope]))).toEqual(expected)
})

/**
 * Classic OAuth scopes and what each implies (design/tokens.md section 3). GitHub stores scopes
 * normalised (asking for repo + repo:status stores repo), so comparisons work on closures.
 */
const IMPLIES: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'admin:repo_hook': ['write:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:org': ['write:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:gpg_key': ['write:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:ssh_signing_key': ['write:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  user: ['read:user', 'user:email', 'user:follow'],
  project: ['read:project'],
  'write:packages': ['read:packages'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
}

export const KNOWN_CLASSIC_SCOPES = new Set([
  ...Object.keys(IMPLIES),
  ...Object.values(IMPLIES).flat(),
  'admin:org_hook',
  'gist',
  'notifications',
  'delete_repo',
  'delete:packages',
  'codespace',
  'workflow',
  'read:audit_log',
  'copilot',
])

/** A scope and everything it implies, transitively. */
export function closure(
  scopes: Iterable<string>,
  implies: Record<string, string[]> = IMPLIES,
): Set<string> {
  const out = new Set<string>()
  const stack = [...scopes]
  while (stack.length) {
    const s = stack.pop()!
    if (out.has(s)) continue
    out.add(s)
    stack.push(...(implies[s] ?? []))
  }
  return out
}

export interface ScopeComparison {
  /** Required scopes the token's scopes do not imply. */
  missing: string[]
  /** Granted scopes that the required ones do not imply: more than the role needs. */
  excess: string[]
}

export function compareScopes(
  granted: Iterable<string>,
  required: Iterable<string>,
  implies: Record<string, string[]> = IMPLIES,
): ScopeComparison {
  const grantedList = [...new Set(granted)]
  const have = closure(grantedList, implies)
  const allowed = closure(required, implies)
  return {
    missing: [...new Set(required)].filter((s) => !have.has(s)).sort(),
    excess: grantedList.filter((s) => !allowed.has(s)).sort(),
  }
}

/** `X-OAuth-Scopes: repo, read:org` → ['repo', 'read:org']. */
export function parseScopesHeader(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** GitLab: `api` grants the whole API; everything else is compared literally. */
export const GITLAB_IMPLIES: Record<string, string[]> = { api: ['read_api'] }

/** Bitbucket Cloud: write implies read, admin does not imply write (Atlassian keeps them apart). */
export const BITBUCKET_IMPLIES: Record<string, string[]> = {
  'repository:write': ['repository'],
  'repository:delete': [],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'account:write': ['account'],
  'team:write': ['team'],
  'project:admin': ['project'],
  'snippet:write': ['snippet'],
  'issue:write': ['issue'],
  'wiki:write': ['wiki'],
  'pipeline:write': ['pipeline'],
}

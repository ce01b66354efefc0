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

/**
 * Argo CD RBAC (util/rbac, assets/builtin-policy.csv): what a CI token is asked about with can-i.
 * `object` is `<project>/<application>` for applications and exec (`<project>/<namespace>/<app>`
 * for apps outside the control-plane namespace), `*` or a name for the rest. can-i matches the
 * object asked for against each policy's pattern, so asking about `*` finds wildcard grants only:
 * a grant on one named cluster or repository is not seen (said in docs/profiles.md).
 */
export interface ArgoCdAsk {
  resource: string
  action: string
  object: string
  /** In words, for findings: "delete the release's application my-proj/nonprod.web". */
  about: string
}

/** Everything a CI role may not do beyond its profile: admin's powers, in Argo CD's own terms. */
const ARGOCD_GLOBAL_EXCESS: ReadonlyArray<[string, string, string, string]> = [
  ['applications', 'get', '*/*', "read every project's applications"],
  ['applications', 'sync', '*/*', "sync every project's applications"],
  ['projects', 'create', '*', 'create projects'],
  ['clusters', 'get', '*', 'read clusters'],
  ['clusters', 'create', '*', 'add clusters'],
  ['clusters', 'update', '*', 'change clusters'],
  ['clusters', 'delete', '*', 'remove clusters'],
  ['repositories', 'get', '*', 'read repository credentials'],
  ['repositories', 'create', '*', 'add repositories'],
  ['repositories', 'update', '*', 'change repositories'],
  ['repositories', 'delete', '*', 'remove repositories'],
  ['accounts', 'get', '*', 'read accounts'],
  ['accounts', 'update', '*', 'change accounts (passwords, tokens)'],
  ['certificates', 'create', '*', 'add certificates'],
  ['certificates', 'update', '*', 'change certificates'],
  ['certificates', 'delete', '*', 'remove certificates'],
  ['gpgkeys', 'create', '*', 'add GnuPG keys'],
  ['gpgkeys', 'delete', '*', 'remove GnuPG keys'],
]
const ARGOCD_PROJECT_EXCESS: ReadonlyArray<[string, string]> = [
  ['update', 'change project {p} (its roles, destinations and sources)'],
  ['delete', 'delete project {p}'],
]
/** What a role does to one application; `exec` is its own resource (a shell in a pod). */
const ARGOCD_APPLICATION_WORDS: Record<string, string> = {
  get: 'read',
  sync: 'sync',
  create: 'create',
  update: 'change',
  delete: 'delete',
  override: 'sync with overridden parameters',
  action: 'run resource actions on',
}

/**
 * The can-i questions for a role that needs `actions` on the release's applications of
 * `project`: the needed ones (each application), and the ones whose "yes" is excess.
 */
export function argoCdAsks(opts: {
  project: string
  /** `<application>` or `<namespace>/<application>`. */
  applications: string[]
  actions: readonly string[]
  onlyTheseApplications: boolean
}): { needed: ArgoCdAsk[]; excess: ArgoCdAsk[] } {
  const { project } = opts
  const needs = new Set(opts.actions)
  const needed: ArgoCdAsk[] = []
  const excess: ArgoCdAsk[] = []
  for (const app of opts.applications) {
    const object = `${project}/${app}`
    for (const [action, words] of Object.entries(ARGOCD_APPLICATION_WORDS)) {
      const ask = { resource: 'applications', action, object, about: `${words} ${object}` }
      ;(needs.has(action) ? needed : excess).push(ask)
    }
    excess.push({ resource: 'exec', action: 'create', object, about: `open a shell in ${object}` })
  }
  if (opts.onlyTheseApplications)
    for (const action of needs)
      excess.push({
        resource: 'applications',
        action,
        object: `${project}/*`,
        about: `${ARGOCD_APPLICATION_WORDS[action] ?? action} every application of project ${project}, not only the release's`,
      })
  for (const [action, about] of ARGOCD_PROJECT_EXCESS)
    excess.push({
      resource: 'projects',
      action,
      object: project,
      about: about.replace('{p}', project),
    })
  for (const [resource, action, object, about] of ARGOCD_GLOBAL_EXCESS)
    excess.push({ resource, action, object, about })
  return { needed, excess }
}

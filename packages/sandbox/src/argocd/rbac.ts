// Argo CD's RBAC, evaluated by casbin with Argo CD's model (assets/model.conf), its built-in policy
// (assets/builtin-policy.csv), its glob matching (gobwas/glob without separators) and its
// enforcement order (util/rbac enforce, server/rbacpolicy EnforceClaims): the default role first,
// then the subject, then its groups; a project's roles join as a run-time policy only when the
// object belongs to that project, and a project token is judged by its own project alone.
import { newEnforcer, newModelFromString, type Enforcer, type Model } from 'casbin'

/** assets/model.conf: `deny` wins over any `allow`. */
export const ARGOCD_MODEL = `
[request_definition]
r = sub, res, act, obj

[policy_definition]
p = sub, res, act, obj, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`

// assets/builtin-policy.csv: role:readonly gets every `get`; role:admin everything else and
// inherits role:readonly; the local `admin` account is role:admin.
const READONLY = [
  ['applications', '*/*'],
  ['applicationsets', '*/*'],
  ['certificates', '*'],
  ['clusters', '*'],
  ['repositories', '*'],
  ['write-repositories', '*'],
  ['projects', '*'],
  ['accounts', '*'],
  ['gpgkeys', '*'],
  ['logs', '*/*'],
].map(([res, obj]) => `p, role:readonly, ${res}, get, ${obj}, allow`)
const ADMIN: [string, string[], string][] = [
  [
    'applications',
    [
      'create',
      'update',
      'update/*',
      'delete',
      'delete/*',
      'sync',
      'rollback',
      'override',
      'action/*',
    ],
    '*/*',
  ],
  ['applicationsets', ['get', 'create', 'update', 'delete'], '*/*'],
  ['certificates', ['create', 'update', 'delete'], '*'],
  ['clusters', ['create', 'update', 'delete'], '*'],
  ['repositories', ['create', 'update', 'delete'], '*'],
  ['write-repositories', ['create', 'update', 'delete'], '*'],
  ['projects', ['create', 'update', 'delete'], '*'],
  ['accounts', ['update'], '*'],
  ['gpgkeys', ['create', 'delete'], '*'],
  ['exec', ['create'], '*/*'],
]
export const BUILTIN_POLICY = [
  ...READONLY,
  ...ADMIN.flatMap(([res, acts, obj]) =>
    acts.map((a) => `p, role:admin, ${res}, ${a}, ${obj}, allow`),
  ),
  'g, role:admin, role:readonly',
  'g, admin, role:admin',
].join('\n')

/** util/rbac Resources and Actions: can-i refuses anything else (InvalidArgument). */
export const RESOURCES = [
  'clusters',
  'projects',
  'applications',
  'applicationsets',
  'repositories',
  'write-repositories',
  'certificates',
  'accounts',
  'gpgkeys',
  'logs',
  'exec',
  'extensions',
]
export const ACTIONS = [
  'get',
  'create',
  'update',
  'delete',
  'sync',
  'rollback',
  'override',
  'action',
  'invoke',
]

/** Resources whose object is `<project>/<name>` (rbac.ProjectScoped). */
export const PROJECT_SCOPED = new Set([
  'applications',
  'applicationsets',
  'logs',
  'exec',
  'clusters',
  'repositories',
])

/** gobwas/glob.Compile(pattern) with no separators: `*` any run, `?` one char, `[..]`, `{a,b}`, `\`. */
export function globToRegExp(pattern: string): RegExp {
  let out = ''
  let depth = 0
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]!)
    else if (c === '*') out += '[\\s\\S]*'
    else if (c === '?') out += '[\\s\\S]'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) throw new Error(`unexpected end of input in ${pattern}`)
      let body = pattern.slice(i + 1, end)
      const negate = body.startsWith('!')
      if (negate) body = body.slice(1)
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`
      i = end
    } else if (c === '{') {
      depth++
      out += '(?:'
    } else if (c === '}' && depth > 0) {
      depth--
      out += ')'
    } else if (c === ',' && depth > 0) out += '|'
    else out += escape(c)
  }
  if (depth > 0) throw new Error(`unexpected end of input in ${pattern}`)
  return new RegExp(`^${out}$`)
}
const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

const globs = new Map<string, RegExp | null>()
/** util/glob.Match: a pattern that does not compile matches nothing. */
export function globMatch(value: string, pattern: string): boolean {
  let re = globs.get(pattern)
  if (re === undefined) {
    try {
      re = globToRegExp(pattern)
    } catch {
      re = null
    }
    globs.set(pattern, re)
  }
  return re !== null && re.test(value)
}

/** One CSV record as Go's encoding/csv reads it with TrimLeadingSpace (quotes allowed). */
function csvFields(line: string): string[] {
  const fields: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++
    let field = ''
    if (line[i] === '"') {
      i++
      for (;;) {
        if (i >= line.length) throw new Error('extraneous or missing " in quoted-field')
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += line[i++]
      }
    } else {
      const end = line.indexOf(',', i)
      field = line.slice(i, end < 0 ? line.length : end)
      i = end < 0 ? line.length : end
    }
    fields.push(field.trimEnd())
    if (i >= line.length) return fields
    if (line[i] !== ',') throw new Error(`bare " in non-quoted-field`)
    i++
  }
}

export interface PolicyRules {
  p: string[][]
  g: string[][]
}

/** util/rbac loadPolicyLine over each line: `p` has 6 fields, `g` 3; comments and blanks skipped. */
export function parsePolicy(...texts: string[]): PolicyRules {
  const rules: PolicyRules = { p: [], g: [] }
  for (const text of texts)
    for (const raw of text.split('\n')) {
      const line = raw.trim()
      if (line === '' || line.startsWith('#')) continue
      const tokens = csvFields(line)
      const key = tokens[0]
      if ((key === 'p' && tokens.length === 6) || (key === 'g' && tokens.length === 3))
        rules[key].push(tokens.slice(1))
      else throw new Error(`invalid RBAC policy: ${line}`)
    }
  return rules
}

const enforcers = new Map<string, Promise<Enforcer>>()

/** A casbin enforcer over these policy texts (cached by their text: policies are immutable). */
export function enforcerFor(...texts: string[]): Promise<Enforcer> {
  const key = texts.join('\n\0')
  let enforcer = enforcers.get(key)
  if (!enforcer) {
    const rules = parsePolicy(...texts)
    enforcer = (async () => {
      const adapter = {
        async loadPolicy(model: Model) {
          for (const rule of rules.p) model.addPolicy('p', 'p', rule)
          for (const rule of rules.g) model.addPolicy('g', 'g', rule)
        },
        savePolicy: async () => false,
        addPolicy: async () => {},
        removePolicy: async () => {},
        removeFilteredPolicy: async () => {},
      }
      const e = await newEnforcer(newModelFromString(ARGOCD_MODEL), adapter)
      await e.addFunction('globOrRegexMatch', (value: unknown, pattern: unknown) =>
        typeof value === 'string' && typeof pattern === 'string'
          ? globMatch(value, pattern)
          : false,
      )
      return e
    })()
    if (enforcers.size > 200) enforcers.clear()
    enforcers.set(key, enforcer)
  }
  return enforcer
}

export interface RbacProject {
  name: string
  roles: { name: string; policies: string[]; groups: string[] }[]
}

/** AppProject.ProjectPoliciesString: each role may get its project, plus its policies and groups. */
export function projectPolicies(proj: RbacProject): string {
  const lines: string[] = []
  for (const role of proj.roles) {
    lines.push(`p, proj:${proj.name}:${role.name}, projects, get, ${proj.name}, allow`)
    lines.push(...role.policies)
    for (const group of role.groups) lines.push(`g, ${group}, proj:${proj.name}:${role.name}`)
  }
  return lines.join('\n')
}

export interface RbacConfig {
  /** argocd-rbac-cm policy.csv. */
  policy: string
  /** argocd-rbac-cm policy.default ('' = none). */
  defaultRole: string
  project(name: string): RbacProject | undefined
}

export interface RbacSubject {
  /** `proj:<project>:<role>` or the account name (Parse strips `:apiKey`). */
  sub: string
  groups: string[]
}

/** rbacpolicy.getProjectFromRequest: the project an object belongs to, if it exists. */
function projectOf(cfg: RbacConfig, res: string, obj: string): RbacProject | undefined {
  if (PROJECT_SCOPED.has(res)) {
    const parts = obj.split('/')
    return parts.length >= 2 ? cfg.project(parts[0]!) : undefined
  }
  return res === 'projects' ? cfg.project(obj) : undefined
}

/** util/rbac enforce: the default role first, then the subject itself. */
async function enforceOne(
  e: Enforcer,
  cfg: RbacConfig,
  sub: string,
  res: string,
  act: string,
  obj: string,
) {
  if (cfg.defaultRole !== '' && (await e.enforce(cfg.defaultRole, res, act, obj))) return true
  return e.enforce(sub, res, act, obj)
}

/** RBACPolicyEnforcer.EnforceClaims for an Argo CD token's subject (and any groups it carries). */
export async function enforceClaims(
  cfg: RbacConfig,
  who: RbacSubject,
  res: string,
  act: string,
  obj: string,
): Promise<boolean> {
  const proj = projectOf(cfg, res, obj)
  const projectRole = /^proj:([^:]*):([^:]*)$/.exec(who.sub)
  if (proj && projectRole) {
    // enforceProjectToken: a project token is never granted another project's objects.
    if (projectRole[1] !== proj.name) return false
    const e = await enforcerFor(BUILTIN_POLICY, cfg.policy, projectPolicies(proj))
    return enforceOne(e, cfg, who.sub, res, act, obj)
  }
  const e = await enforcerFor(BUILTIN_POLICY, cfg.policy, proj ? projectPolicies(proj) : '')
  if (await enforceOne(e, cfg, who.sub, res, act, obj)) return true
  // Groups, but only those some `g` line names (as Argo CD prefilters them).
  const grouping = await e.getGroupingPolicy()
  for (const group of who.groups)
    if (grouping.some((g) => g[0] === group) && (await enforceOne(e, cfg, group, res, act, obj)))
      return true
  return false
}

/**
 * types.go validatePolicy: what a project role's policy line may say (Argo CD refuses the
 * project otherwise), so a project token can only ever be granted its own project's objects.
 */
export function validateRolePolicy(proj: string, role: string, policy: string): void {
  const parts = policy.split(',').map((s) => s.trim())
  const fail = (why: string) => {
    throw new Error(`invalid policy rule '${policy}': ${why}`)
  }
  if (parts.length !== 6 || parts[0] !== 'p')
    fail(`must be of the form: 'p, sub, res, act, obj, eft'`)
  const subject = `proj:${proj}:${role}`
  if (parts[1] !== subject) fail(`policy subject must be: '${subject}', not '${parts[1]}'`)
  if (!PROJECT_SCOPED.has(parts[2]!))
    fail(
      `project resource must be: 'applications', 'applicationsets', 'repositories', 'exec', 'logs' or 'clusters', not '${parts[2]}'`,
    )
  const act = parts[3]!
  if (
    !['get', 'create', 'update', 'delete', 'sync', 'override', 'rollback', '*'].includes(act) &&
    !/action\/.*|update\/.*|delete\/.*/.test(act)
  )
    fail(`invalid action '${act}'`)
  const quoted = proj.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  if (!new RegExp(`^${quoted}(/[*\\w\\-.]+)?/[*\\w\\-.]+$`).test(parts[4]!))
    fail(
      `object must be of form '${proj}/*', '${proj}[/<NAMESPACE>]/<APPNAME>' or '${proj}/<APPNAME>', not '${parts[4]}'`,
    )
  if (parts[5] !== 'allow' && parts[5] !== 'deny') fail(`effect must be: 'allow' or 'deny'`)
}

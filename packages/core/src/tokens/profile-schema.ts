import { KNOWN_CLASSIC_SCOPES } from './scopes.js'

/**
 * The token profile schema (documented in docs/profiles.md). Built-in profiles and custom ones
 * (a YAML file or inline YAML) go through the same validation, with errors that give the path.
 */

export type Level = 'read' | 'write'
export type GitHubKind = 'classic' | 'fine-grained' | 'installation' | 'oauth' | 'app-user'

export interface SlotRequirement {
  permissions: Record<string, Level>
  optional: boolean
}

export interface Profile {
  name: string
  description: string
  tokenNames: string[]
  storage: Array<Record<string, unknown>>
  /** The seed wants it rotated: a token that never expires is a warning. */
  rotate: boolean
  github?: {
    kinds: GitHubKind[]
    classicScopes: string[]
    repositories: Record<string, SlotRequirement>
    organization: Record<string, Level>
    /** Repositories reachable beyond the slots are excess. */
    onlyTheseRepositories: boolean
  }
  gitlab?: { scopes: string[] }
  bitbucket?: { scopes: string[] }
  argocd?: {
    /** Actions the role needs on the release's applications (Argo CD RBAC), e.g. get, sync. */
    applications: ArgoCdApplicationAction[]
    /** A grant on every application of the project (`<project>/*`) or beyond is excess. */
    onlyTheseApplications: boolean
  }
}

/** Argo CD's RBAC actions on applications that a profile may need (util/rbac Actions). */
export const ARGOCD_APPLICATION_ACTIONS = [
  'get',
  'sync',
  'create',
  'update',
  'delete',
  'override',
  'action',
] as const
export type ArgoCdApplicationAction = (typeof ARGOCD_APPLICATION_ACTIONS)[number]

/** GitHub's fine-grained repository permissions (API names). */
export const REPOSITORY_PERMISSIONS = [
  'actions',
  'administration',
  'attestations',
  'checks',
  'code_scanning_alerts',
  'codespaces',
  'contents',
  'custom_properties',
  'dependabot_alerts',
  'dependabot_secrets',
  'deployments',
  'discussions',
  'environments',
  'issues',
  'merge_queues',
  'metadata',
  'packages',
  'pages',
  'pull_requests',
  'repository_hooks',
  'repository_projects',
  'secret_scanning_alerts',
  'secrets',
  'security_events',
  'statuses',
  'variables',
  'workflows',
] as const
export const ORGANIZATION_PERMISSIONS = [
  'members',
  'organization_administration',
  'organization_hooks',
  'organization_projects',
  'organization_secrets',
  'organization_variables',
  'team_discussions',
] as const
export const SLOT_NAME = /^[a-z][a-z0-9-]{0,30}$/
const KINDS: GitHubKind[] = ['classic', 'fine-grained', 'installation', 'oauth', 'app-user']
const LEVELS: Level[] = ['read', 'write']

export class ProfileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
    this.name = 'ProfileError'
  }
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validates an untrusted profile document; collects every problem with its path. */
export function parseProfile(name: string, doc: unknown): Profile {
  const problems: string[] = []
  const at = (path: string, msg: string) => problems.push(`${path}: ${msg}`)
  if (!isObj(doc)) throw new ProfileError([`profile must be a mapping, not ${typeName(doc)}`])

  const known = (o: Obj, path: string, keys: string[]) => {
    for (const k of Object.keys(o))
      if (!keys.includes(k)) at(`${path}${k}`, `unknown key; allowed: ${keys.join(', ')}`)
  }
  const strings = (v: unknown, path: string): string[] => {
    if (v === undefined) return []
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      at(path, 'must be a list of strings')
      return []
    }
    return v as string[]
  }
  const level = (v: unknown, path: string): Level | undefined => {
    if (LEVELS.includes(v as Level)) return v as Level
    at(path, `must be read or write, not ${JSON.stringify(v)}`)
    return undefined
  }

  known(doc, '', [
    'description',
    'token-names',
    'storage',
    'rotate',
    'github',
    'gitlab',
    'bitbucket',
    'argocd',
    '$comment',
  ])
  if (doc.description !== undefined && typeof doc.description !== 'string')
    at('description', 'must be a string')
  if (doc.rotate !== undefined && typeof doc.rotate !== 'boolean')
    at('rotate', 'must be true or false')
  if (doc.storage !== undefined && (!Array.isArray(doc.storage) || !doc.storage.every(isObj))) {
    at('storage', 'must be a list of mappings')
  }
  const profile: Profile = {
    name,
    description: typeof doc.description === 'string' ? doc.description : '',
    tokenNames: strings(doc['token-names'], 'token-names'),
    storage: Array.isArray(doc.storage) ? (doc.storage.filter(isObj) as Obj[]) : [],
    rotate: doc.rotate !== false,
  }

  if (doc.github !== undefined) {
    const gh = doc.github
    if (!isObj(gh)) at('github', 'must be a mapping')
    else {
      known(gh, 'github.', [
        'kinds',
        'classic-scopes',
        'repositories',
        'organization',
        'only-these-repositories',
      ])
      const kinds = strings(gh.kinds, 'github.kinds') as GitHubKind[]
      for (const k of kinds)
        if (!KINDS.includes(k))
          at('github.kinds', `unknown kind '${k}'; one of: ${KINDS.join(', ')}`)
      if (!kinds.length) at('github.kinds', `must list at least one of: ${KINDS.join(', ')}`)
      const classicScopes = strings(gh['classic-scopes'], 'github.classic-scopes')
      for (const s of classicScopes)
        if (!KNOWN_CLASSIC_SCOPES.has(s)) at('github.classic-scopes', `unknown scope '${s}'`)
      if (kinds.includes('classic') && !classicScopes.length)
        at('github.classic-scopes', "required when kinds include 'classic'")

      const repositories: Record<string, SlotRequirement> = {}
      if (gh.repositories !== undefined && !isObj(gh.repositories))
        at('github.repositories', 'must be a mapping of slot: permissions')
      for (const [slot, req] of Object.entries(isObj(gh.repositories) ? gh.repositories : {})) {
        const path = `github.repositories.${slot}`
        if (!SLOT_NAME.test(slot))
          at(path, 'slot names are lower-case words like deploy, infra, app')
        if (!isObj(req)) {
          at(path, 'must be a mapping of permission: read|write')
          continue
        }
        const permissions: Record<string, Level> = {}
        for (const [perm, v] of Object.entries(req)) {
          if (perm === 'optional') {
            if (typeof v !== 'boolean') at(`${path}.optional`, 'must be true or false')
            continue
          }
          if (!(REPOSITORY_PERMISSIONS as readonly string[]).includes(perm)) {
            at(
              `${path}.${perm}`,
              `unknown repository permission; e.g. ${['contents', 'statuses', 'repository_hooks', 'administration'].join(', ')}`,
            )
            continue
          }
          const l = level(v, `${path}.${perm}`)
          if (l) permissions[perm] = l
        }
        repositories[slot] = { permissions, optional: req.optional === true }
      }
      const organization: Record<string, Level> = {}
      if (gh.organization !== undefined && !isObj(gh.organization))
        at('github.organization', 'must be a mapping of permission: read|write')
      for (const [perm, v] of Object.entries(isObj(gh.organization) ? gh.organization : {})) {
        if (!(ORGANIZATION_PERMISSIONS as readonly string[]).includes(perm)) {
          at(`github.organization.${perm}`, `unknown organization permission; e.g. members`)
          continue
        }
        const l = level(v, `github.organization.${perm}`)
        if (l) organization[perm] = l
      }
      const only = gh['only-these-repositories']
      if (only !== undefined && typeof only !== 'boolean')
        at('github.only-these-repositories', 'must be true or false')
      profile.github = {
        kinds,
        classicScopes,
        repositories,
        organization,
        onlyTheseRepositories: only !== false,
      }
    }
  }
  for (const provider of ['gitlab', 'bitbucket'] as const) {
    const p = doc[provider]
    if (p === undefined) continue
    if (!isObj(p)) {
      at(provider, 'must be a mapping with scopes')
      continue
    }
    known(p, `${provider}.`, ['scopes'])
    const scopes = strings(p.scopes, `${provider}.scopes`)
    if (!scopes.length) at(`${provider}.scopes`, 'must list at least one scope')
    profile[provider] = { scopes }
  }
  if (doc.argocd !== undefined) {
    const a = doc.argocd
    if (!isObj(a)) at('argocd', 'must be a mapping with applications')
    else {
      known(a, 'argocd.', ['applications', 'only-these-applications'])
      const actions = strings(a.applications, 'argocd.applications')
      for (const action of actions)
        if (!(ARGOCD_APPLICATION_ACTIONS as readonly string[]).includes(action))
          at(
            'argocd.applications',
            `unknown action '${action}'; one of: ${ARGOCD_APPLICATION_ACTIONS.join(', ')}`,
          )
      if (!actions.length) at('argocd.applications', 'must list at least one action, e.g. get')
      const only = a['only-these-applications']
      if (only !== undefined && typeof only !== 'boolean')
        at('argocd.only-these-applications', 'must be true or false')
      profile.argocd = {
        applications: [...new Set(actions)] as ArgoCdApplicationAction[],
        onlyTheseApplications: only !== false,
      }
    }
  }
  if (!profile.github && !profile.gitlab && !profile.bitbucket && !profile.argocd)
    at('', 'needs at least one of github, gitlab, bitbucket, argocd')
  if (problems.length) throw new ProfileError(problems)
  return profile
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v
}

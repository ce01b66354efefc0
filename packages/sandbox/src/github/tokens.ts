// The token model: what a token string stands for, and the classic-scope algebra of tokens.md §3.
import { randomAlnum } from './ids.js'
import type { Access, TokenSpec } from './types.js'

export interface TokenRecord {
  /** Sequential id; fine-grained ids appear in GitHub's policy URLs. */
  id: number
  value: string
  kind: TokenSpec['kind']
  /** The user acting (absent for installation tokens). */
  login?: string
  /** Classic: normalised, sorted scopes as GitHub stores them. */
  scopes: string[]
  /** Classic: scopes plus everything they imply. */
  effectiveScopes: Set<string>
  /** Fine-grained/installation: resource owner (lowercased), if bound to one. */
  owner?: string
  /** Lowercased full names, or 'all'. */
  repositories: 'all' | Set<string>
  permissions: Record<string, Access>
  orgPermissions: Record<string, Access>
  createdAt: Date
  expiresAt: Date | null
  ssoAuthorizedOrgs: Set<string>
  appSlug?: string
}

// Parent scope -> scopes it grants (transitively closed below).
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

/** Every scope granted by `scopes`, including implied ones. */
export function expandScopes(scopes: Iterable<string>): Set<string> {
  const out = new Set<string>()
  const visit = (s: string): void => {
    if (out.has(s)) return
    out.add(s)
    for (const child of IMPLIES[s] ?? []) visit(child)
  }
  for (const s of scopes) visit(s)
  return out
}

/** What GitHub stores (and echoes in X-OAuth-Scopes): implied scopes dropped, sorted. */
export function normaliseScopes(scopes: Iterable<string>): string[] {
  const requested = [...new Set(scopes)]
  const impliedByOthers = new Set<string>()
  for (const s of requested)
    for (const child of expandScopes([s])) if (child !== s) impliedByOthers.add(child)
  return requested.filter((s) => !impliedByOthers.has(s)).sort()
}

/** Realistic token strings: ghp_ + 36, github_pat_ + 22 + '_' + 59 (93 in all), ghs_ + 36. */
export function generateTokenValue(kind: TokenSpec['kind']): string {
  switch (kind) {
    case 'classic':
      return `ghp_${randomAlnum(36)}`
    case 'fine-grained':
      return `github_pat_${randomAlnum(22)}_${randomAlnum(59)}`
    case 'installation':
      return `ghs_${randomAlnum(36)}`
  }
}

/** 'write' implies 'read'. */
export function grants(have: Access | undefined, need: Access): boolean {
  return have === 'write' || (have === 'read' && need === 'read')
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * Value of `github-authentication-token-expiration`. Classic and app tokens use "... UTC";
 * fine-grained tokens have been seen with a numeric offset ("... +0000"), which clients must parse too.
 */
export function formatExpiration(date: Date, kind: TokenSpec['kind']): string {
  const d = date
  const stamp =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return `${stamp} ${kind === 'fine-grained' ? '+0000' : 'UTC'}`
}

export function createTokenRecord(spec: TokenSpec, id: number, now = new Date()): TokenRecord {
  const value = spec.value ?? generateTokenValue(spec.kind)
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()))
  switch (spec.kind) {
    case 'classic': {
      const scopes = normaliseScopes(spec.scopes)
      return {
        id,
        value,
        kind: 'classic',
        login: spec.login ?? 'octocat',
        scopes,
        effectiveScopes: expandScopes(scopes),
        repositories: 'all',
        permissions: {},
        orgPermissions: {},
        createdAt: spec.createdAt ?? now,
        expiresAt: spec.expiresAt ?? null,
        ssoAuthorizedOrgs: lower(spec.ssoAuthorizedOrgs ?? []),
      }
    }
    case 'fine-grained':
      return {
        id,
        value,
        kind: 'fine-grained',
        login: spec.login ?? 'octocat',
        scopes: [],
        effectiveScopes: new Set(),
        owner: spec.owner.toLowerCase(),
        repositories: spec.repositories === 'all' ? 'all' : lower(spec.repositories),
        permissions: { ...spec.permissions },
        orgPermissions: { ...(spec.orgPermissions ?? {}) },
        createdAt: spec.createdAt ?? now,
        expiresAt: spec.expiresAt ?? null,
        ssoAuthorizedOrgs: lower([...(spec.ssoAuthorizedOrgs ?? []), spec.owner]),
      }
    case 'installation':
      return {
        id,
        value,
        kind: 'installation',
        scopes: [],
        effectiveScopes: new Set(),
        ...(spec.owner !== undefined ? { owner: spec.owner.toLowerCase() } : {}),
        repositories: spec.repositories === 'all' ? 'all' : lower(spec.repositories),
        permissions: { ...spec.permissions },
        orgPermissions: {},
        createdAt: now,
        expiresAt: spec.expiresAt ?? new Date(now.getTime() + 3600_000),
        ssoAuthorizedOrgs: new Set(),
        appSlug: spec.appSlug ?? 'sandbox-app',
      }
  }
}

/** Parses `token X`, `Bearer X` and Basic `user:X` (how git sends a token). */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^(\S+)\s+(.+)$/.exec(header.trim())
  // Unknown schemes come back whole, so they fail lookup: 401 Bad credentials, as on GitHub.
  if (!m) return header.trim() || undefined
  const scheme = m[1]!.toLowerCase()
  const rest = m[2]!.trim()
  if (scheme === 'token' || scheme === 'bearer') return rest
  if (scheme === 'basic') {
    const decoded = Buffer.from(rest, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon >= 0 ? decoded.slice(colon + 1) : decoded
  }
  return header.trim()
}

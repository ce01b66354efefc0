import type { Answer } from '../answers.js'
import type { Level } from './profile-schema.js'

export type Severity = 'error' | 'warning' | 'info'
export type FindingKind =
  | 'credentials'
  | 'kind'
  | 'missing'
  | 'excess'
  | 'expiry'
  | 'policy'
  | 'unreachable'
  | 'unverified'
  | 'name'

export interface Finding {
  kind: FindingKind
  severity: Severity
  message: string
  /** owner/repo (or group/project, workspace/slug) the finding is about. */
  repository?: string
  slot?: string
  /** Permission or scope name. */
  permission?: string
  level?: Level | string
  fix?: string
  /** The request whose answer could not be read (kind 'unverified', severity 'error'). */
  request?: string
}

/**
 * An answer the audit could not read: the permission or reach it was asked about is unknown, not
 * absent, and the verdict becomes "cannot verify" (an error, so nothing is stored on it).
 */
export function unreadableFinding(
  answer: Pick<Answer, 'request'>,
  reason: string,
  unknown: string,
  where: Pick<Finding, 'repository' | 'slot' | 'permission'> = {},
): Finding {
  return {
    ...where,
    kind: 'unverified',
    severity: 'error',
    request: answer.request,
    message: `Cannot verify ${unknown}: ${answer.request} ${reason}.`,
    fix: 'Run the check again once the server answers normally; nothing may rely on this token until it passes.',
  }
}

/** Findings that make the verdict "cannot verify" rather than "fits" or "does not fit". */
export const isUnverifiable = (f: Finding): boolean =>
  f.kind === 'unverified' && f.severity === 'error'

export type ExcessPolicy = 'fail' | 'warn' | 'ignore'

export const excessSeverity = (policy: ExcessPolicy): Severity =>
  policy === 'fail' ? 'error' : policy === 'warn' ? 'warning' : 'info'

export interface PermissionCheck {
  permission: string
  /** 'allowed': an Argo CD RBAC permission (can-i says yes or no, there are no levels). */
  required?: Level | 'allowed'
  /** What the probes showed: a level (or allowed), none, or that it could not be told. */
  found: Level | 'allowed' | 'none' | 'unverified'
  /** The probe whose answer could not be read: found is 'unverified' (or 'read', write unknown). */
  request?: string
}

export interface RepositoryCheck {
  slot?: string
  repository: string
  reachable: boolean | 'unverified'
  permissions: PermissionCheck[]
}

/** What a provider-specific audit learns; the verdict is computed from it in audit.ts. */
export interface ProviderFindings {
  login?: string
  expiresAt?: Date | null
  /** null = the provider said it never expires; undefined = unknown. */
  findings: Finding[]
  repositories: RepositoryCheck[]
  scopes?: string[]
  requests: number
  /** The audit could not authenticate at all: nothing else is meaningful. */
  fatal?: boolean
}

/**
 * Missing and excess scopes as findings, for every provider whose tokens carry scopes.
 * `fixes` words the remedy: classic scopes can be edited, GitLab and Bitbucket ones cannot.
 */
export function scopeFindings(
  missing: string[],
  excess: string[],
  required: string[],
  onExcess: ExcessPolicy,
  fixes: { add: (s: string) => string; remove: (s: string) => string },
): Finding[] {
  return [
    ...missing.map((s): Finding => ({
      kind: 'missing',
      severity: 'error',
      permission: s,
      message: `Scope '${s}' is missing.`,
      fix: fixes.add(s),
    })),
    ...excess.map((s): Finding => ({
      kind: 'excess',
      severity: excessSeverity(onExcess),
      permission: s,
      message: `Scope '${s}' is more than the role needs (needs: ${required.join(', ') || 'none'}).`,
      fix: fixes.remove(s),
    })),
  ]
}

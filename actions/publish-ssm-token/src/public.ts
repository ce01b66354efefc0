import { InputError, maskSecret } from '@argocd-actions/core'
import { auditTargets, type StoredTokenAudit } from './audit-targets.js'
import { createSdkClients, type AwsClients } from './aws.js'
import type { PublishInputs, Target } from './inputs.js'
import { expirationPolicies, publishAll, type TargetResult } from './publish.js'
import { validateFirst, type Validation } from './validate-first.js'

export { parseInputs, type PublishInputs, type Target, type AuditSettings } from './inputs.js'
export type { AwsClients } from './aws.js'
export type { TargetResult } from './publish.js'
export type { StoredTokenAudit, TokenDrift } from './audit-targets.js'
export type { AuditVerdict, TargetAudit } from './audit.js'

const DEADLINE_MS = 5 * 60_000

export interface PublishContext {
  /** The directory a profile file is read from. */
  workspace: string
  /** Default: the AWS SDK's, bounded by the deadline. */
  clients?: AwsClients
  /** Per target progress. */
  log: (target: Target, message: string) => void
  warn: (message: string) => void
}

export interface Published {
  results: TargetResult[]
  /** Set when the token was validated first. */
  validation?: Validation
  /** The SSM expiration policies written, when `expiration-notice-days` set some. */
  policies?: string
}

/**
 * The action's work, for its entrypoint and the CLI alike: validate the token against its role
 * when asked (a token that does not fit is never stored), then write it to every target.
 */
export async function publishToken(inputs: PublishInputs, ctx: PublishContext): Promise<Published> {
  if (inputs.mode === 'audit')
    throw new InputError(
      'mode',
      "is 'audit': call auditStoredTokens, which writes nothing",
      'publish',
    )
  if (inputs.expirationNoticeDays && !inputs.validation) {
    throw new InputError(
      'expiration-notice-days',
      "needs 'profile' (or 'requirements'): the token's expiry is read while validating it",
      '14',
    )
  }
  let validation: Validation | undefined
  let policies: string | undefined
  if (inputs.validation) {
    validation = await validateFirst(inputs, ctx.workspace, ctx.warn)
    if (inputs.expirationNoticeDays) {
      if (validation.expiresAt)
        policies = expirationPolicies(validation.expiresAt, inputs.expirationNoticeDays)
      else
        ctx.warn(
          'expiration-notice-days: the token never expires (or its expiry is unknown): no expiration policy was set.',
        )
    }
  }
  const deadline = Date.now() + DEADLINE_MS
  const results = await publishAll(ctx.clients ?? createSdkClients({ deadline }), inputs, {
    policies,
    deadline,
    log: ctx.log,
  })
  return { results, validation, policies }
}

export interface AuditContext {
  /** The directory a profile file is read from. */
  workspace: string
  /** Default: the AWS SDK's, bounded by the deadline. */
  clients?: AwsClients
  /** Per target progress. */
  log: (target: Target, message: string) => void
  warn: (message: string) => void
  /**
   * Registers each stored token (and its derived forms) as a secret. Default: core's maskSecret,
   * which on a runner prints `::add-mask::`; outside one (the CLI) it only registers the value for
   * redaction, since a terminal would show the command, token and all.
   */
  mask?: (value: string) => void
}

const defaultMask = (value: string) =>
  process.env.GITHUB_ACTIONS === 'true' ? maskSecret(value) : maskSecret(value, () => {})

/**
 * mode: audit, for the action and the CLI alike: read the token stored at every target (same
 * account guard, same AssumeRole), validate each distinct token against the profile as publishing
 * would, and tell which targets hold the same one. Writes nothing; never returns a token.
 */
export async function auditStoredTokens(
  inputs: PublishInputs,
  ctx: AuditContext,
): Promise<StoredTokenAudit> {
  if (inputs.mode !== 'audit' || !inputs.audit)
    throw new InputError('mode', "must be 'audit' to audit the stored tokens", 'audit')
  if (!inputs.validation)
    throw new InputError(
      'profile',
      "is required with 'mode: audit': the stored tokens are validated against it",
      'argocd-webhooks',
    )
  // A profile or repositories input that is wrong fails before any request.
  const { resolveProfile, parseRepositories } = await import('@argocd-actions/core/tokens')
  await resolveProfile({
    profile: inputs.validation.profile,
    requirements: inputs.validation.requirements,
    workspace: ctx.workspace,
  })
  parseRepositories(inputs.validation.repositories)
  const deadline = Date.now() + DEADLINE_MS
  const audit = await auditTargets(ctx.clients ?? createSdkClients({ deadline }), inputs, {
    workspace: ctx.workspace,
    mask: ctx.mask ?? defaultMask,
    log: ctx.log,
  })
  for (const note of audit.notes) ctx.warn(note)
  return audit
}

import { InputError } from '@argocd-actions/core'
import { createSdkClients, type AwsClients } from './aws.js'
import type { PublishInputs, Target } from './inputs.js'
import { expirationPolicies, publishAll, type TargetResult } from './publish.js'
import { validateFirst, type Validation } from './validate-first.js'

export { parseInputs, type PublishInputs } from './inputs.js'
export type { AwsClients } from './aws.js'
export type { TargetResult } from './publish.js'

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

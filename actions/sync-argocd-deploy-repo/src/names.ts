import { InputError } from '@argocd-actions/core'
import type { SyncInputs } from './inputs.js'

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export function checkDnsLabel(input: string, value: string, example: string): string {
  if (!DNS_LABEL.test(value)) {
    throw new InputError(
      input,
      `must be a DNS label (lower-case letters, digits and '-', at most 63), not '${value}'`,
      example,
    )
  }
  return value
}

/** The branch a pull-request release is pushed to (its own module: the PR chunk needs no git). */
export const releaseBranch = (
  i: Pick<SyncInputs, 'namespace' | 'application' | 'appCommit'>,
): string => `argocd/${i.namespace}.${i.application}/${i.appCommit.slice(0, 12)}`

import { InputError } from '@argocd-actions/core'

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

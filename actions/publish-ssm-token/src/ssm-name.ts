import { InputError } from '@argocd-actions/core'

/** SSM parameter name rules (design/ssm.md section 1), checked before any request. */

export const MAX_ARN_LENGTH = 1011
const EXAMPLE = '/argocd/github/api_key'

export interface NormalisedName {
  name: string
  /** The leading '/' was added: say so. */
  addedSlash: boolean
}

export function normaliseParameterName(raw: string, input = 'name'): NormalisedName {
  const value = raw.trim()
  if (!value) throw new InputError(input, 'is required but empty', EXAMPLE)
  const addedSlash = !value.startsWith('/')
  const name = addedSlash ? `/${value}` : value
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw new InputError(
      input,
      `may only hold letters, digits, '_', '.', '-' and '/' separators, not '${value}'`,
      EXAMPLE,
    )
  }
  if (name.includes('//') || name.endsWith('/')) {
    throw new InputError(input, `has an empty level: '${value}'`, EXAMPLE)
  }
  const levels = name.split('/').length - 1
  if (levels > 15)
    throw new InputError(input, `has ${levels} levels; SSM allows at most 15`, EXAMPLE)
  if (/^\/(aws|ssm)/i.test(name)) {
    throw new InputError(input, "may not begin with 'aws' or 'ssm' (reserved by AWS)", EXAMPLE)
  }
  return { name, addedSlash }
}

export function parameterArn(region: string, account: string, name: string): string {
  return `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`
}

/** The ARN limit depends on region and account, so it is checked per target. */
export function checkArnLength(
  region: string,
  account: string,
  name: string,
  input = 'name',
): void {
  const arn = parameterArn(region, account, name)
  if (arn.length > MAX_ARN_LENGTH) {
    throw new InputError(
      input,
      `makes an ARN of ${arn.length} characters; SSM allows ${MAX_ARN_LENGTH}`,
      EXAMPLE,
    )
  }
}

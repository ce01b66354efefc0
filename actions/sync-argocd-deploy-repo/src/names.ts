import { InputError, clip, getUrl } from '@argocd-actions/core'
import { printable } from './git-paths.js'

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
// It takes the three names it needs, not SyncInputs: inputs.ts imports this module's checks.
export const releaseBranch = (i: {
  namespace: string
  application: string
  appCommit: string
}): string => `argocd/${i.namespace}.${i.application}/${i.appCommit.slice(0, 12)}`

/** What `app-hostname` is refused for (core's URL check, and no spaces or line breaks). */
export function urlProblem(value: string): string | undefined {
  if (/\s/.test(value)) return `must not contain spaces or line breaks: '${clip(printable(value))}'`
  try {
    getUrl(() => value, 'url', { example: 'https://web.use2-dev.acme.test' })
  } catch (error) {
    // core's message without its "Input 'url' " and example.
    return (error as Error).message.replace(/^Input 'url' /, '').replace(/\. Example: .*$/s, '')
  }
  return undefined
}

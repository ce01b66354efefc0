import {
  InputError,
  getBoolean,
  getEnum,
  getInteger,
  getToken,
  getUrl,
  type InputReader,
} from '@argocd-actions/core'
import { checkDnsLabel } from './names.js'

/** What `wait: argocd` needs; undefined with `wait: none`. */
export interface ArgoCdWaitInputs {
  /** The Argo CD server's origin and base path, without a trailing slash. */
  url: string
  token: string
  timeoutSeconds: number
  /** Ask Argo CD to compare now (`?refresh=normal`) instead of waiting for its own poll. */
  refresh: boolean
  /** The Application's namespace when apps live outside the control plane's namespace. */
  appNamespace?: string
}

const URL_EXAMPLE = 'https://argocd.use2-dev.acme.test'

/**
 * The Argo CD wait's inputs, read whatever `wait` says: a bad value fails before anything is
 * read or pushed, waiting or not. checkArgoCdWaitFits then holds them against the release.
 */
export function parseArgoCdWaitInputs(read: InputReader): ArgoCdWaitInputs | undefined {
  const wait = getEnum(read, 'wait', ['none', 'argocd'] as const, 'none')
  const url = getUrl(read, 'argocd-url', { example: URL_EXAMPLE })
  if (url && (new URL(url).search || new URL(url).hash))
    throw new InputError('argocd-url', 'must not have a query or a fragment', URL_EXAMPLE)
  const timeoutSeconds = getInteger(read, 'wait-timeout-seconds', {
    fallback: 600,
    min: 10,
    max: 21_600,
  })
  const refresh = getBoolean(read, 'refresh', true)
  const namespace = read('argocd-app-namespace').trim()
  const appNamespace = namespace
    ? checkDnsLabel('argocd-app-namespace', namespace, 'argocd-apps')
    : undefined
  if (wait === 'none') return undefined

  if (!url)
    throw new InputError(
      'argocd-url',
      "is required with 'wait: argocd' (the Argo CD server the release waits for)",
      URL_EXAMPLE,
    )
  if (!read('argocd-token').trim())
    throw new InputError(
      'argocd-token',
      "is required with 'wait: argocd': a project role's token with 'applications, get' on the app",
      '${{ secrets.ARGOCD_TOKEN }}',
    )
  const token = getToken(read, 'argocd-token')
  return {
    url: url.replace(/\/+$/, ''),
    token,
    timeoutSeconds,
    refresh,
    appNamespace,
  }
}

/** The wait needs the release on the branch Argo CD watches, deployed: refused before the push. */
export function checkArgoCdWaitFits(
  wait: ArgoCdWaitInputs | undefined,
  release: { operation: string; mode: string; autoMerge: boolean },
): void {
  if (!wait) return
  if (release.operation === 'destroy')
    throw new InputError(
      'wait',
      "'argocd' waits for a deployed application to be Synced and Healthy; a destroy removes it. Use 'wait: none' with 'operation: destroy'",
      'none',
    )
  if (release.mode === 'pull-request' && !release.autoMerge)
    throw new InputError(
      'wait',
      "'argocd' needs the release on the branch Argo CD watches, and an unmerged pull request puts nothing there. Set 'auto-merge: true', or wait after the merge",
      'none',
    )
}

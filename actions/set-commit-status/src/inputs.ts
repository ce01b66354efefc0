import {
  InputError,
  getDate,
  getEnum,
  getInteger,
  getRepository,
  getString,
  getToken,
  getUrl,
  clip,
  type InputReader,
  type Repository,
} from '@argocd-actions/core'
import { fitDescription, type FittedDescription } from './description.js'

export const STATES = ['pending', 'success', 'failure', 'error'] as const
export type State = (typeof STATES)[number]
export const MODES = ['set', 'wait'] as const

export interface CommonInputs {
  token: string
  repository: Repository
  /** A full SHA, or a ref to resolve. */
  ref: string
  apiUrl: string
  context: string
}

export interface SetInputs extends CommonInputs {
  mode: 'set'
  state: State
  description?: string
  /** What was changed so that GitHub accepts the description (see description.ts). */
  descriptionFitted?: FittedDescription
  targetUrl?: string
}

export interface WaitInputs extends CommonInputs {
  mode: 'wait'
  expectedState: State
  timeoutSeconds: number
  intervalSeconds: number
  createdAfter?: Date
  /** Only statuses whose target URL is this URL or under it count. */
  expectedTargetUrl?: URL
}

export type Inputs = SetInputs | WaitInputs

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i

/**
 * A ref as git accepts it (git check-ref-format, loosely): the value goes into a URL path, so the
 * characters that could change its meaning are refused here rather than escaped.
 */
export function checkRef(value: string): string | undefined {
  if (value.length > 1024) return `is ${value.length} characters long, too long for a git ref`
  if (/^[0-9a-f]+$/i.test(value) && value.length > 40 && value.length !== 64) {
    return 'looks like a SHA but is neither 40 nor 64 hex characters'
  }
  if (/^[0-9a-f]+$/i.test(value) && value.length < 4) return 'is too short to name a commit'
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) || value.includes('..') || value.includes('@{')) {
    return 'contains characters a git ref cannot have'
  }
  if (
    value.startsWith('/') ||
    value.endsWith('/') ||
    value.endsWith('.') ||
    value.endsWith('.lock')
  ) {
    return 'is not a valid git ref'
  }
  return undefined
}

export function parseInputs(read: InputReader, env: NodeJS.ProcessEnv = process.env): Inputs {
  const token = getToken(read, 'token')
  const repository = getRepository(read, 'repository', env.GITHUB_REPOSITORY)
  const ref = read('sha').trim() || env.GITHUB_SHA || ''
  if (!ref) throw new InputError('sha', 'is required but empty', '${{ github.sha }}')
  const refProblem = FULL_SHA.test(ref) ? undefined : checkRef(ref)
  if (refProblem) {
    throw new InputError(
      'sha',
      `${refProblem}: '${clip(ref)}'`,
      '3f786850e387550fdab836ed7e6dc881de23001b',
    )
  }
  const apiUrl = getUrl(read, 'github-api-url', {
    fallback: env.GITHUB_API_URL || 'https://api.github.com',
    example: 'https://api.github.com',
  })
  const mode = getEnum(read, 'mode', MODES, 'set')
  const context = getString(read, 'context', {
    required: true,
    example: 'continuous-delivery/my-namespace.my-app',
  })
  const common = { token, repository, ref, apiUrl, context }

  if (mode === 'set') {
    const state = getEnum(read, 'state', STATES)
    const raw = read('description').trim()
    const fitted = raw ? fitDescription(raw) : undefined
    const targetUrl =
      getUrl(read, 'target-url', { example: 'https://argocd.example.com/applications/my-app' }) ||
      undefined
    return {
      mode,
      ...common,
      state,
      description: fitted?.text || undefined,
      descriptionFitted: fitted,
      targetUrl,
    }
  }

  const timeoutSeconds = getInteger(read, 'timeout-seconds', { fallback: 600, min: 1, max: 21600 })
  const intervalSeconds = getInteger(read, 'interval-seconds', { fallback: 10, min: 1, max: 3600 })
  const expectedTargetUrl = getUrl(read, 'expected-target-url', {
    example: 'https://argocd.example.com/applications/my-namespace.my-app',
  })
  return {
    mode,
    ...common,
    expectedState: getEnum(read, 'expected-state', STATES, 'success'),
    timeoutSeconds,
    intervalSeconds,
    createdAfter: getDate(read, 'created-after'),
    expectedTargetUrl: expectedTargetUrl ? new URL(expectedTargetUrl) : undefined,
  }
}

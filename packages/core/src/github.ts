import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { rememberTokenExpiration } from './github-session.js'
import { PERMANENT_CLIENT_STATUSES } from './transient.js'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST base URL: https://api.github.com, or https://HOST/api/v3 on GHES. */
  baseUrl: string
  userAgent?: string
  /** Retries of 5xx and network failures (plugin-retry), and of rate limits (plugin-throttling). */
  retries?: number
  /** Base of plugin-retry's quadratic backoff, before jitter. */
  retryBaseMs?: number
  /** Longest rate-limit wait we accept before giving up, in seconds. */
  maxRateLimitWaitSeconds?: number
  /** Per-request timeout: a hung connection must not eat the job's whole budget. */
  requestTimeoutMs?: number
  log?: { debug: (m: string) => void; info: (m: string) => void; warn: (m: string) => void }
}

const TIMED = Symbol('argocd-actions.timed-fetch')
type TimedFetch = typeof fetch & { [TIMED]?: true }

function withTimeout(inner: typeof fetch, timeoutMs: number): TimedFetch {
  const timed: TimedFetch = (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    return inner(input, { ...init, signal })
  }
  timed[TIMED] = true
  return timed
}

/**
 * Kept out of the core index and loaded with import() once inputs are valid: @actions/github
 * and the plugins are most of a bundle's start-up time, which a failed input should not pay.
 *
 * An Octokit with GitHub's official retry and throttling plugins, a per-request timeout and
 * a memory of the token's expiry header, so a later 401 can be told apart as "expired".
 */
export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const log = opts.log ?? {
    debug: (m: string) => core.debug(m),
    info: (m: string) => core.info(m),
    warn: (m: string) => core.warning(m),
  }
  const retries = opts.retries ?? 3
  const maxWait = opts.maxRateLimitWaitSeconds ?? 120
  // plugin-retry has no jitter of its own; a per-client random base spreads matrix jobs apart.
  const retryBase = Math.round((opts.retryBaseMs ?? 1000) * (0.5 + Math.random()))
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _o: unknown,
      retryCount: number,
    ) => {
      if (retryCount < retries && retryAfter <= maxWait) {
        log.warn(
          `GitHub ${kind} on ${options.method} ${options.url}: retrying in ${retryAfter} s (attempt ${retryCount + 2} of ${retries + 1})`,
        )
        return true
      }
      log.warn(
        `GitHub ${kind} on ${options.method} ${options.url}: giving up (retry-after ${retryAfter} s)`,
      )
      return false
    }

  const octokit = getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      userAgent: opts.userAgent ?? 'argocd-actions',
      log: { debug: log.debug, info: log.debug, warn: log.warn, error: log.warn },
      // The shared convention (transient.ts): plugin-retry's own list retried 409, 405, 412, ...
      retry: {
        retries,
        retryAfterBaseValue: retryBase,
        doNotRetry: [...PERMANENT_CLIENT_STATUSES],
      },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
    },
    retry,
    throttling,
  )

  const remember = rememberTokenExpiration(octokit)
  const timeoutMs = opts.requestTimeoutMs ?? 30_000
  octokit.hook.before('request', (options) => {
    // The timeout wraps fetch itself so that every attempt, retries included, gets a fresh one:
    // a signal set once on the options would stay aborted and fail every retry at once.
    const request = (options.request ??= {}) as { fetch?: TimedFetch }
    if (!request.fetch?.[TIMED])
      request.fetch = withTimeout(request.fetch ?? globalThis.fetch, timeoutMs)
  })
  octokit.hook.after('request', (response) => {
    const value = response.headers['github-authentication-token-expiration']
    if (value) remember(String(value))
  })
  return octokit
}

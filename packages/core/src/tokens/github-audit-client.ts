import {
  bodyKindOf,
  isJsonObject,
  listOf,
  normaliseHeaders,
  provesAbsence,
  readAnswer,
  requestName,
  type Answer,
  type AnswerRules,
  type Reading,
} from '../answers.js'
import {
  explainGitHubError,
  isRequestError,
  isTimeout,
  parseTokenExpiration,
} from '../github-errors.js'
import type { GitHubClient } from '../github.js'
import { OffOriginError } from '../origin.js'
import type { Finding, ProviderFindings } from './findings.js'

/** One audit request: always an Answer, never an exception (except for a bug of ours). */
export type AuditCall = (route: string, params?: Record<string, unknown>) => Promise<Answer>

/** The policies that block the token: GitHub tells them on any refused request. */
const POLICY_KINDS = ['classic-pat-forbidden', 'lifetime-policy', 'sso-required']

/**
 * The audit's requests to GitHub. Every request is answered with an Answer, never an exception:
 * what it shows is decided by readAnswer (answers.ts), so an unreadable answer is "cannot
 * verify", never "absent". On the way it counts the requests and notes what any answer from
 * GitHub itself carries: the token's expiry, an organization policy that blocks the token.
 */
export function auditClient(octokit: GitHubClient, out: ProviderFindings) {
  const policies = new Map<string, Finding>()
  let expiry: string | undefined
  /** Some answer came from GitHub itself: only then does a missing expiry header mean "never". */
  let readable = false

  const note = (reply: Answer, error?: unknown): Answer => {
    const fromGitHub =
      (reply.status >= 200 && reply.status < 300 && reply.bodyKind === 'json') ||
      provesAbsence(reply, 'GitHub')
    if (!fromGitHub) return reply
    readable = true
    const exp = reply.headers['github-authentication-token-expiration']
    if (exp) expiry = String(exp)
    if (error && reply.status === 403) {
      const explained = explainGitHubError(error, { action: 'use the token' }) as {
        kind?: string
        message: string
      }
      if (explained.kind && POLICY_KINDS.includes(explained.kind) && !policies.has(explained.kind))
        policies.set(explained.kind, {
          kind: 'policy',
          severity: 'error',
          message: explained.message.replace(/^Could not use the token: /, ''),
        })
    }
    return reply
  }

  const call: AuditCall = async (route, params = {}) => {
    out.requests++
    const request = requestName(route, params)
    try {
      const r = await octokit.request(route, params)
      const headers = normaliseHeaders(r.headers)
      return note({
        request,
        status: r.status,
        headers,
        body: r.data,
        bodyKind: bodyKindOf(r.data, headers['content-type']),
      })
    } catch (error) {
      // An answer GitHub (or something in front of it) sent: it may carry the expiry or a policy.
      if (isRequestError(error) && error.response) return note(refusal(request, error), error)
      return failureAnswer(request, error)
    }
  }

  /** The policy findings first, and the expiry (null: never), onto the audit's result. */
  const finish = (): ProviderFindings => {
    out.findings.unshift(...policies.values())
    const parsed = parseTokenExpiration(expiry)
    // No expiry header means "never expires" only if GitHub itself answered at least once.
    out.expiresAt = parsed ?? (expiry === undefined && readable ? null : undefined)
    return out
  }

  return { call, finish }
}

/** An error response as an Answer. */
function refusal(
  request: string,
  error: {
    status?: number
    response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
  },
): Answer {
  const headers = normaliseHeaders(error.response!.headers)
  const body = error.response!.data
  return {
    request,
    status: error.status!,
    headers,
    body,
    bodyKind: bodyKindOf(body, headers['content-type']),
  }
}

/** A request that got no answer from GitHub, as an unreadable Answer. */
function failureAnswer(request: string, error: unknown): Answer {
  // A redirect the client would not follow (another origin, a write): an answer, unreadable.
  if (error instanceof OffOriginError && error.redirect) {
    const { status, location } = error.redirect
    const headers = location ? { location } : {}
    return { request, status, headers, body: undefined, bodyKind: 'none' }
  }
  if (isRequestError(error) || isTimeout(error)) {
    const e = error as Error
    const failure = isTimeout(error) ? 'timed out' : e.message
    return { request, status: 0, headers: {}, body: undefined, bodyKind: 'none', failure }
  }
  throw explainGitHubError(error, { action: `audit the token (${request})` })
}

/** Every item of a listing (at most ten pages), or the answer that could not be read. */
export interface Listing extends Answer {
  reading: Reading
  items?: unknown[]
}

export async function listAll(
  call: AuditCall,
  route: string,
  key: string | undefined,
  params: Record<string, unknown> = {},
): Promise<Listing> {
  // Every item must carry the field the audit reads: a list of something else is unreadable.
  const field = route.includes('members') ? 'login' : 'full_name'
  const items_ = (b: unknown) => (key ? isJsonObject(b) && b[key] : b)
  const page = listOf(field)
  const rules: AnswerRules = {
    provider: 'GitHub',
    shape: key
      ? { test: (b) => page.test(items_(b)), is: `a JSON object whose '${key}' is ${page.is}` }
      : page,
  }
  const items: unknown[] = []
  let first: Answer | undefined
  for (let page = 1; page <= 10; page++) {
    const r = await call(route, { ...params, per_page: 100, page })
    first ??= r
    const reading = readAnswer(r, rules)
    if (reading.state !== 'present') return { ...r, reading }
    items.push(...(items_(r.body) as unknown[]))
    if (!/rel="next"/.test(String(r.headers.link ?? ''))) break
  }
  return { ...first!, reading: { state: 'present' }, items }
}

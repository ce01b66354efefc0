import { JWT_LIKE } from './jwt.js'
import { TOKEN_PREFIXES } from './tokens/kind.js'
import { isObject } from './rest-answer.js'

/**
 * What a server's answer shows, decided in one place for every audit (GitHub, GitLab, Bitbucket):
 * only an answer that proves absence counts as "absent". Anything the suite cannot read (no
 * answer, a server error after retries, a rate limit past the deadline, an HTML page from a proxy,
 * `null`, a body of the wrong shape) is "unreadable": the caller reports it as "cannot verify",
 * never as "no".
 */

/** The kind of body that came back, to say what an error was given. */
export type BodyKind = 'json' | 'null' | 'html' | 'text' | 'empty' | 'none'

export interface Answer {
  /** Method and path, e.g. "GET /repos/acme/app/contents/": named in every finding about it. */
  request: string
  /** 0 when no answer came at all (connection failure, timeout). */
  status: number
  /** Lowercased names. */
  headers: Record<string, string | undefined>
  body: unknown
  bodyKind: BodyKind
  /** Why no answer came (status 0). */
  failure?: string
}

export type Reading =
  { state: 'present' } | { state: 'absent' } | { state: 'unreadable'; reason: string }

export type Provider = 'GitHub' | 'GitLab' | 'Bitbucket' | 'Argo CD'

/** What a 2xx body must be to count, and how to say it in an error. */
export interface Shape {
  test: (body: unknown) => boolean
  /** e.g. "a JSON object with a string 'login'". */
  is: string
}

export interface AnswerRules {
  provider: Provider
  /** Every probe says what its 2xx answer must be: a body of another shape is unreadable. */
  shape: Shape
  /** Answers that show presence although they are not 2xx (e.g. 409 "repository is empty"). */
  presentToo?: (answer: Answer) => boolean
}

export function bodyKindOf(body: unknown, contentType = ''): BodyKind {
  if (body === undefined || body === '') return 'empty'
  if (body === null) return 'null'
  if (typeof body === 'string')
    return /html/i.test(contentType) || /^\s*</.test(body) ? 'html' : 'text'
  if (body instanceof ArrayBuffer) return body.byteLength ? 'text' : 'empty'
  return 'json'
}

export function normaliseHeaders(
  headers: Record<string, string | number | undefined> | Headers | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  // Duck-typed: `instanceof Headers` would load Node's fetch for nothing (http-fetch.ts).
  const entries =
    typeof headers?.entries === 'function'
      ? [...(headers as Headers).entries()]
      : Object.entries(headers ?? {})
  for (const [k, v] of entries) if (v !== undefined) out[k.toLowerCase()] = String(v)
  return out
}

export const isJsonObject = isObject
export const isJsonList = (body: unknown): body is unknown[] => Array.isArray(body)

const hasStrings = (body: unknown, fields: string[]): boolean =>
  isObject(body) && fields.every((f) => typeof body[f] === 'string')
const named = (fields: string[]) =>
  fields.length ? ` with ${fields.map((f) => `a string '${f}'`).join(' and ')}` : ''

/** A JSON object carrying these string fields (the ones the caller reads). */
export const objectWith = (...fields: string[]): Shape => ({
  test: (b) => hasStrings(b, fields),
  is: `a JSON object${named(fields)}`,
})

/** A JSON list whose every item is an object carrying these string fields. */
export const listOf = (...fields: string[]): Shape => ({
  test: (b) => Array.isArray(b) && b.every((i) => hasStrings(i, fields)),
  is: `a JSON list of objects${named(fields)}`,
})

export const eitherOf = (...shapes: Shape[]): Shape => ({
  test: (b) => shapes.some((s) => s.test(b)),
  is: shapes.map((s) => s.is).join(' or '),
})

/** The provider's own JSON error, as opposed to a proxy's page or an empty answer. */
function providerError(provider: Provider, body: unknown): string | undefined {
  if (!isObject(body)) return undefined
  if (provider === 'Bitbucket') {
    const error = body.error as { message?: unknown } | undefined
    return body.type === 'error' && isObject(error) ? String(error.message ?? '') : undefined
  }
  const message = body.message ?? body.error
  return typeof message === 'string' ? message : undefined
}

const RATE_LIMITED = /rate limit/i

/** Present, proven absent, or unreadable: the one rule every audit probe goes through. */
export function readAnswer(answer: Answer, rules: AnswerRules): Reading {
  const { status } = answer
  if (rules.presentToo?.(answer)) return { state: 'present' }
  if (status >= 200 && status < 300) {
    return rules.shape.test(answer.body)
      ? { state: 'present' }
      : { state: 'unreadable', reason: unreadableReason(answer, rules.provider, rules.shape) }
  }
  if (provesAbsence(answer, rules.provider)) return { state: 'absent' }
  return { state: 'unreadable', reason: unreadableReason(answer, rules.provider) }
}

/**
 * Absence is proven only by the provider's own JSON refusal: GitHub's 403 naming the permission
 * (X-Accepted-GitHub-Permissions, "Resource not accessible", an SSO or token policy) or its 404
 * for what the token was not granted; GitLab's and Bitbucket's JSON 403/404. Never by a rate
 * limit, a server error, an HTML page or an empty body.
 */
export function provesAbsence(answer: Answer, provider: Provider): boolean {
  const message = providerError(provider, answer.body)
  if (message === undefined) return false
  if (RATE_LIMITED.test(message) || answer.headers['x-ratelimit-remaining'] === '0') return false
  if (answer.status === 404) return true
  if (answer.status !== 403) return false
  if (provider !== 'GitHub') return true
  return (
    answer.headers['x-accepted-github-permissions'] !== undefined ||
    answer.headers['x-github-sso'] !== undefined ||
    /resource not accessible|personal access tokens? \(classic\)|lifetime is greater/i.test(message)
  )
}

/** A 401 from the service itself (JSON or empty), not a proxy's login page. */
export const rejectsCredentials = (answer: Answer): boolean =>
  answer.status === 401 && (answer.bodyKind === 'json' || answer.bodyKind === 'empty')

/** Says what came (status, kind of body) and the likely cause, for a finding or an error. */
export function unreadableReason(answer: Answer, provider: Provider, expected?: Shape): string {
  const { status } = answer
  if (status === 0)
    return `got no answer (${answer.failure || 'connection failed'}) after retries: the network between the runner and ${provider}, a proxy, or ${provider} itself is failing`
  const what = `answered ${status} with ${describeBody(answer)}`
  const message = providerError(provider, answer.body)
  if (status === 429 || (message !== undefined && RATE_LIMITED.test(message))) {
    const after = answer.headers['retry-after']
    const secondary = message !== undefined && /secondary rate limit/i.test(message)
    return `${what}: ${provider}'s ${secondary ? 'secondary ' : ''}rate limit, and it outlasted the retries${after ? ` (retry-after ${after} s)` : ''}; run it again later or spread the jobs out`
  }
  if (status >= 300 && status < 400) {
    const to = answer.headers.location
    let host = ''
    try {
      host = to ? ` to ${new URL(to).host}` : ''
    } catch {
      // not a URL: name no host
    }
    return `answered ${status}, a redirect${host}: not followed, the token goes only to the configured API; check the API URL (and any proxy)`
  }
  if (answer.bodyKind === 'html')
    return `${what}: an HTML page is not ${provider}'s API; likely a proxy, firewall or load balancer between the runner and ${provider}${status >= 500 ? ', or an outage' : ''}`
  if (status >= 500)
    return `${what} after retries: a server fault at ${provider} (or a proxy); try again later`
  if (status >= 200 && status < 300)
    return `${what}, an answer of unexpected shape${expected ? ` (expected ${expected.is})` : ''}: a proxy in between, or an API that is not ${provider}'s`
  return `${what}, which does not prove whether the token has access: a proxy in between, or an unexpected answer from ${provider}`
}

export function describeBody(answer: Pick<Answer, 'body' | 'bodyKind'>): string {
  switch (answer.bodyKind) {
    case 'html':
      return 'an HTML page'
    case 'null':
      return 'a JSON null'
    case 'empty':
    case 'none':
      return 'an empty body'
    case 'text':
      return 'text that is not JSON'
    default: {
      const body = answer.body
      if (Array.isArray(body)) return 'a JSON list'
      const message = isObject(body) && typeof body.message === 'string' ? body.message : undefined
      // Quoted whole or not at all: a cut-off token would escape the runner's masking.
      return message && message.length <= 200
        ? `a JSON error ("${withoutTokens(message)}")`
        : message
          ? 'a JSON error'
          : `a JSON ${typeof body === 'object' ? 'object' : typeof body}`
    }
  }
}

const TOKEN_WORD = new RegExp(`(${TOKEN_PREFIXES.join('|')})[\\w.=+/-]*`, 'g')
const JWT_WORD = new RegExp(JWT_LIKE.source, 'g')

/** A server's words with anything that looks like a token replaced: a hostile server may echo it. */
export const withoutTokens = (text: string): string =>
  text.replace(JWT_WORD, '[a token]').replace(TOKEN_WORD, '[a token]')

/** "GET /repos/{owner}/{repo}" with its parameters filled in: a request a person can find. */
export function requestName(route: string, params: Record<string, unknown> = {}): string {
  return route.replace(/\{(\w+)\}/g, (whole, key: string) =>
    params[key] === undefined ? whole : encodeURIComponent(String(params[key])),
  )
}

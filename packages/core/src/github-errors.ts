import { bodyKindOf, normaliseHeaders, unreadableReason } from './answers.js'
import { UserError } from './errors.js'

/**
 * Turns GitHub's error responses into explanations a platform engineer can act on
 * (design/tokens.md section 4). The raw GitHub message is kept, the token never is.
 */

export type GitHubErrorKind =
  | 'bad-credentials'
  | 'expired'
  | 'missing-permission'
  | 'classic-pat-forbidden'
  | 'lifetime-policy'
  | 'sso-required'
  | 'not-found'
  | 'rate-limited'
  | 'validation'
  | 'server'
  | 'network'
  /** An answer that is not GitHub's JSON (a proxy's HTML page, an empty or null body). */
  | 'unreadable'
  | 'other'

/** A GitHub failure, explained. Server and network faults are not the user's fault: not a UserError. */
export class GitHubError extends UserError {
  readonly kind: GitHubErrorKind
  readonly status: number
  readonly githubMessage: string

  constructor(kind: GitHubErrorKind, status: number, githubMessage: string, explanation: string) {
    super(explanation)
    this.name = 'GitHubError'
    this.kind = kind
    this.status = status
    this.githubMessage = githubMessage
  }
}

interface ResponseLike {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
}

export interface ErrorContext {
  /** What we were doing, e.g. "create a commit status on my-org/app@1a2b3c4". */
  action: string
  /** Token expiry seen on an earlier response (github-authentication-token-expiration). */
  tokenExpiration?: string
  /** Kind of token, when known, to word permission advice. */
  tokenKind?: 'classic' | 'fine-grained' | 'installation' | 'unknown'
  /** The permission an app or fine-grained token needs for this call, e.g. "statuses=write". */
  permission?: string
  /** The classic scope needed for this call, e.g. "repo:status". */
  classicScope?: string
}

function header(err: ResponseLike, name: string): string | undefined {
  const headers = err.response?.headers ?? {}
  const value = headers[name] ?? headers[name.toLowerCase()]
  return value === undefined ? undefined : String(value)
}

function githubMessageOf(err: ResponseLike): string {
  const data = err.response?.data
  if (data && typeof data === 'object' && 'message' in data) {
    return String((data as { message: unknown }).message)
  }
  // A proxy's page is not a message: never paste HTML into an explanation.
  if (typeof data === 'string' && data) return bodyKindOf(data) === 'html' ? 'an HTML page' : data
  return err.message ?? ''
}

/** Parses both expiry formats GitHub uses: `2021-10-07 19:07:53 UTC` and `... +0000`. */
export function parseTokenExpiration(value: string | undefined): Date | undefined {
  if (!value) return undefined
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(UTC|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  )
  if (!m) return undefined
  const zone = !m[3] || m[3] === 'UTC' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
  const date = new Date(`${m[1]}T${m[2]}${zone}`)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** Returns the SSO authorisation URL from `X-GitHub-SSO: required; url=...`. */
export function ssoUrl(value: string | undefined): string | undefined {
  if (!value || !/^required\b/i.test(value.trim())) return undefined
  return /url=(\S+)/.exec(value)?.[1]
}

/** fetch aborted by the per-request timeout (Octokit rethrows it with status 500, no response). */
export function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; cause?: { name?: unknown } } | null
  // Octokit wraps a TimeoutError in a RequestError ("Unknown Error") that keeps it as the cause.
  return [e?.name, e?.cause?.name].some((n) => n === 'AbortError' || n === 'TimeoutError')
}

export function isRequestError(error: unknown): error is ResponseLike & Error {
  return (
    error instanceof Error &&
    typeof (error as ResponseLike).status === 'number' &&
    // A network failure has a request but no response: still GitHub's to explain.
    ('response' in (error as object) || 'request' in (error as object))
  )
}

export function explainGitHubError(error: unknown, ctx: ErrorContext): Error {
  if (error instanceof GitHubError) return error
  if (isTimeout(error) && !(error as ResponseLike).response) return timedOut(ctx)
  if (!isRequestError(error)) return error as Error
  const status = error.status ?? 0
  const msg = githubMessageOf(error)
  const failure: Failure = {
    error,
    ctx,
    status,
    msg,
    doing: `Could not ${ctx.action}`,
    seen: `GitHub said: ${status} ${msg}`.trim(),
  }
  for (const explain of EXPLAINERS) {
    const explained = explain(failure)
    if (explained) return explained
  }
  return new GitHubError('other', status, msg, `${failure.doing}. (${failure.seen})`)
}

/** A GitHub error response, with what we were doing and what GitHub said. */
interface Failure {
  error: ResponseLike
  ctx: ErrorContext
  status: number
  msg: string
  /** "Could not <action>" */
  doing: string
  /** "GitHub said: <status> <message>" */
  seen: string
}

type Explainer = (f: Failure) => GitHubError | undefined

function timedOut(ctx: ErrorContext): GitHubError {
  return new GitHubError(
    'network',
    0,
    'timed out',
    `Could not ${ctx.action}: the request did not complete and retries ran out (timed out: GitHub did not answer in time). Check that the API URL is reachable from the runner (proxy, firewall, GHES host name), or try again later.`,
  )
}

const network: Explainer = ({ error, status, msg, doing }) =>
  !error.response || status === 0
    ? new GitHubError(
        'network',
        status,
        msg,
        `${doing}: the request did not complete and retries ran out (${msg}). Check that the API URL is reachable from the runner (proxy, firewall, GHES host name).`,
      )
    : undefined

const rejectedToken: Explainer = ({ ctx, status, msg, doing, seen }) => {
  if (status !== 401) return undefined
  const expiry = parseTokenExpiration(ctx.tokenExpiration)
  if (expiry && expiry.getTime() <= Date.now()) {
    return new GitHubError(
      'expired',
      status,
      msg,
      `${doing}: the token expired on ${expiry.toISOString()}. Create a new token with the same permissions and update the secret. (${seen})`,
    )
  }
  return new GitHubError(
    'bad-credentials',
    status,
    msg,
    `${doing}: GitHub rejected the token as bad credentials: it is wrong, revoked or expired (GitHub does not say which). Check the secret holds the current token, that it was not revoked, and its expiry date in the token settings. (${seen})`,
  )
}

// Not GitHub's JSON (a proxy's HTML page, an empty or null body): no diagnosis it cannot
// support (a 404 "hidden repository", a missing permission); say what came and the likely cause.
const unreadable: Explainer = ({ error, status, msg, doing }) => {
  const data = error.response!.data
  const kind = bodyKindOf(data, header(error, 'content-type'))
  if (status === 304 || kind === 'json' || (kind === 'empty' && status >= 500)) return undefined
  const headers = normaliseHeaders(error.response!.headers)
  const reason = unreadableReason(
    { request: '', status, headers, body: data, bodyKind: kind },
    'GitHub',
  )
  return new GitHubError(
    status >= 500 ? 'server' : 'unreadable',
    status,
    msg,
    `${doing}: GitHub ${reason}.`,
  )
}

const ssoRequired: Explainer = ({ error, status, msg, doing, seen }) => {
  const sso = ssoUrl(header(error, 'x-github-sso'))
  if (status !== 403 || !sso) return undefined
  return new GitHubError(
    'sso-required',
    status,
    msg,
    `${doing}: the organization requires SAML single sign-on and this token is not authorised for it. Authorise the token at ${sso} (or "Configure SSO" next to the token in the token settings). (${seen})`,
  )
}

const rateLimited: Explainer = ({ error, status, msg, doing, seen }) => {
  const secondary = /secondary rate limit/i.test(msg)
  const primary = header(error, 'x-ratelimit-remaining') === '0'
  if (!(status === 429 || (status === 403 && (secondary || primary)))) return undefined
  const after = header(error, 'retry-after')
  const reset = Number(header(error, 'x-ratelimit-reset'))
  const when = after
    ? `retry after ${after} s`
    : reset
      ? `the limit resets at ${new Date(reset * 1000).toISOString()}`
      : 'wait before retrying'
  // Set by the client when the wait asked for was beyond its longest: it did not retry.
  const tooLong = (error as { waitTooLong?: { askedSeconds: number; maxSeconds: number } })
    .waitTooLong
  const outcome = tooLong
    ? `(${when}), and that wait is longer than the ${tooLong.maxSeconds} s this action waits, so it gave up at once`
    : `and retries ran out (${when})`
  return new GitHubError(
    'rate-limited',
    status,
    msg,
    `${doing}: GitHub's ${secondary ? 'secondary ' : ''}rate limit was hit ${outcome}. Spread the jobs out or use a GitHub App token, which has a higher limit. (${seen})`,
  )
}

const classicForbidden: Explainer = ({ status, msg, doing, seen }) =>
  status === 403 && /forbid\w* access via (a )?personal access tokens? \(classic\)/i.test(msg)
    ? new GitHubError(
        'classic-pat-forbidden',
        status,
        msg,
        `${doing}: the organization forbids classic personal access tokens. Either an organization owner allows them (Organization settings → Personal access tokens → "Allow access via personal access tokens (classic)"), or better, use a fine-grained token or a GitHub App installation token. (${seen})`,
      )
    : undefined

const lifetimePolicy: Explainer = ({ status, msg, doing, seen }) => {
  const lifetime = /lifetime is greater than (\d+) days/i.exec(msg)
  if (status !== 403 || !lifetime) return undefined
  return new GitHubError(
    'lifetime-policy',
    status,
    msg,
    `${doing}: the organization only accepts fine-grained tokens that live at most ${lifetime[1]} days. Regenerate the token with a shorter expiration. (${seen})`,
  )
}

const missingPermission: Explainer = ({ error, ctx, status, msg, doing, seen }) => {
  if (
    status !== 403 ||
    !/Resource not accessible by (personal access token|integration)/i.test(msg)
  )
    return undefined
  const needs = header(error, 'x-accepted-github-permissions') ?? ctx.permission
  const byApp = /integration/i.test(msg)
  const what = needs ? describePermissions(needs) : 'a permission it does not have'
  const fix = byApp
    ? `Give the GitHub App that permission (and accept it on the installation), or mint the token with it (actions/create-github-app-token 'permission-*' inputs).`
    : `Edit the fine-grained token and grant it; the token must also select this repository.`
  return new GitHubError(
    'missing-permission',
    status,
    msg,
    `${doing}: the ${byApp ? 'GitHub App token' : 'fine-grained token'} lacks ${what}. ${fix} (${seen})`,
  )
}

const missingScope: Explainer = ({ ctx, status, msg, doing, seen }) =>
  status === 403 && ctx.classicScope && /scope|permission/i.test(msg)
    ? new GitHubError(
        'missing-permission',
        status,
        msg,
        `${doing}: the token lacks the '${ctx.classicScope}' scope (classic) or the matching fine-grained permission. (${seen})`,
      )
    : undefined

const notFound: Explainer = ({ status, msg, doing, seen }) =>
  status === 404
    ? new GitHubError(
        'not-found',
        status,
        msg,
        `${doing}: GitHub answered 404, which it also uses to hide private resources from tokens that cannot see them. Check: the owner and repository names are right; a fine-grained token has this repository selected (and belongs to its owner); a GitHub App is installed on it; the token has not expired; the API URL points at the right GitHub (GHES: https://HOST/api/v3). (${seen})`,
      )
    : undefined

const validation: Explainer = ({ error, status, msg, doing, seen }) =>
  status === 422
    ? new GitHubError(
        'validation',
        status,
        msg,
        `${doing}: GitHub refused the request. (${seen}${validationDetails(error)})`,
      )
    : undefined

const serverError: Explainer = ({ status, msg, doing, seen }) =>
  status >= 500
    ? new GitHubError(
        'server',
        status,
        msg,
        `${doing}: GitHub had a server error and retries ran out. Try again later. (${seen})`,
      )
    : undefined

/** Tried in order; the first that recognises the failure explains it (else 'other'). */
const EXPLAINERS: Explainer[] = [
  network,
  rejectedToken,
  unreadable,
  ssoRequired,
  rateLimited,
  classicForbidden,
  lifetimePolicy,
  missingPermission,
  missingScope,
  notFound,
  validation,
  serverError,
]

function validationDetails(error: ResponseLike): string {
  const data = error.response?.data as {
    errors?: Array<{ message?: string; field?: string; code?: string }>
  }
  const parts = (data?.errors ?? []).map(
    (e) => e.message ?? [e.field, e.code].filter(Boolean).join(' '),
  )
  return parts.length ? `: ${parts.join('; ')}` : ''
}

/** `statuses=write; contents=read` → "the permission 'Commit statuses: write' or 'Contents: read'". */
/** GitHub's names of the fine-grained permissions, as its settings page shows them. */
const PERMISSION_LABELS: Record<string, string> = {
  statuses: 'Commit statuses',
  contents: 'Contents',
  metadata: 'Metadata',
  administration: 'Administration',
  repository_hooks: 'Webhooks',
  members: 'Members',
  pull_requests: 'Pull requests',
  workflows: 'Workflows',
}
export const permissionLabel = (permission: string): string =>
  PERMISSION_LABELS[permission] ?? permission

export function describePermissions(accepted: string): string {
  const options = accepted
    .split(';')
    .map((alt) =>
      alt
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => {
          const [name, level] = p.split('=')
          return `${permissionLabel(name!)}: ${level ?? 'read'}`
        })
        .join(' and '),
    )
    .filter(Boolean)
  return `the permission ${options.map((o) => `'${o}'`).join(' or ')}`
}

import {
  clip,
  explainGitHubError,
  GitHubError,
  isObject,
  isRequestError,
  retryAfterMs,
  seenTokenExpiration,
  unexpectedAnswer,
  UserError,
  type GitHubClient,
} from '@argocd-actions/core'

/**
 * One GraphQL request through core's GitHub client (its origin guard, timeout and retry of 5xx),
 * and its answer checked before it is believed: GitHub answers most GraphQL failures with 200 and
 * `errors[]`, so a status check alone would take them for success.
 */

/** GitHub.com: https://api.github.com/graphql; GHES: https://HOST/api/graphql (REST is /api/v3). */
export function graphqlUrl(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '')
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`
}

export interface GraphqlError {
  message: string
  type?: string
  path?: unknown[]
}

export interface GraphqlOperation {
  /** The operation's name in the document (the sandbox's log and the errors name it). */
  name: string
  query: string
  variables: Record<string, unknown>
  /** What the request does, for errors: "read the release's files of acme/deploy@main". */
  what: string
  /** The fine-grained / app permission it needs, for errors: 'contents=read'. */
  permission: string
  /** Retries of a 5xx by the client (a mutation's are the caller's: its outcome must be read). */
  retries?: number
}

/** A rate limit on a GraphQL request (secondary: 403/429 with Retry-After; primary: RATE_LIMITED). */
export class GraphqlRateLimited extends UserError {
  constructor(
    message: string,
    /** The wait GitHub asked for, in ms (undefined: it did not say). */
    readonly waitMs: number | undefined,
  ) {
    super(message)
    this.name = 'GraphqlRateLimited'
  }
}

/** An answer with `errors[]`: GitHub refused or failed the operation (or part of it). */
export class GraphqlErrors extends UserError {
  constructor(
    message: string,
    readonly errors: GraphqlError[],
  ) {
    super(message)
    this.name = 'GraphqlErrors'
  }
}

/** A 200 whose body is not a GraphQL answer of the shape asked for (a proxy's page, `null`). */
export class GraphqlUnreadable extends UserError {
  constructor(...args: Parameters<typeof unexpectedAnswer>) {
    super(unexpectedAnswer(...args).message)
    this.name = 'GraphqlUnreadable'
  }
}

/** The request failed without an answer we can read (a 5xx after retries, a timeout, a reset). */
export const isServerFault = (e: unknown): boolean =>
  e instanceof GraphqlUnreadable ||
  (e instanceof GitHubError &&
    (e.kind === 'server' || e.kind === 'network' || e.kind === 'unreadable'))

const header = (error: unknown, name: string): string | undefined => {
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers
  const value = headers?.[name]
  return value === undefined || value === null ? undefined : String(value)
}

/** Posts one operation; returns its `data` (an object), or throws an explained error. */
export async function postGraphql(
  octokit: GitHubClient,
  apiUrl: string,
  op: GraphqlOperation,
): Promise<Record<string, unknown>> {
  const request = `POST ${new URL(graphqlUrl(apiUrl)).pathname} (${op.name})`
  let body: unknown
  try {
    const response = await octokit.request({
      method: 'POST',
      url: graphqlUrl(apiUrl),
      query: op.query,
      variables: op.variables,
      operationName: op.name,
      ...(op.retries !== undefined && { request: { retries: op.retries } }),
    })
    body = response.data
  } catch (error) {
    throw explainRequestError(octokit, error, op)
  }
  if (!isObject(body) || !('data' in body || 'errors' in body))
    throw new GraphqlUnreadable(
      request,
      body,
      'GraphQL answer ({ data, errors })',
      'nothing it says was believed; nothing was committed',
      `Could not ${op.what}`,
    )
  const errors = body.errors
  if (errors !== undefined && errors !== null) {
    if (!Array.isArray(errors) || !errors.length || !errors.every(isGraphqlError))
      throw new GraphqlUnreadable(
        request,
        body,
        'GraphQL answer (errors: a list of { message })',
        'nothing it says was believed; nothing was committed',
        `Could not ${op.what}`,
      )
    throw explainGraphqlErrors(op, errors)
  }
  if (!isObject(body.data))
    throw new GraphqlUnreadable(
      request,
      body.data,
      'GraphQL data (an object)',
      'nothing it says was believed; nothing was committed',
      `Could not ${op.what}`,
    )
  return body.data
}

const isGraphqlError = (e: unknown): e is GraphqlError =>
  isObject(e) &&
  typeof e.message === 'string' &&
  (e.type === undefined || typeof e.type === 'string')

/** GitHub's errors in words: the types it documents first, then its messages (clipped). */
function explainGraphqlErrors(op: GraphqlOperation, errors: GraphqlError[]): UserError {
  const said = errors
    .slice(0, 3)
    .map((e) => `${e.type ? `${e.type}: ` : ''}${clip(e.message.replace(/\s+/g, ' '), 200)}`)
    .join('; ')
  const types = new Set(errors.map((e) => e.type))
  if (types.has('RATE_LIMITED'))
    return new GraphqlRateLimited(
      `Could not ${op.what}: GitHub's GraphQL rate limit was hit (${said}). Spread the jobs out or use a GitHub App token, which has a higher limit.`,
      undefined,
    )
  if (types.has('NOT_FOUND'))
    return new GraphqlErrors(
      `Could not ${op.what}: GitHub answered NOT_FOUND: the repository or branch does not exist, or the token cannot see it (a fine-grained token must select the repository; an app must be installed on it). (GitHub said: ${said})`,
      errors,
    )
  if (types.has('FORBIDDEN'))
    return new GraphqlErrors(
      `Could not ${op.what}: the token is not allowed to (it needs ${op.permission}; classic: repo). (GitHub said: ${said})`,
      errors,
    )
  return new GraphqlErrors(`Could not ${op.what}: GitHub answered with errors: ${said}`, errors)
}

/** An HTTP failure: a rate limit keeps the wait it asked for; the rest is core's explanation. */
function explainRequestError(octokit: GitHubClient, error: unknown, op: GraphqlOperation): Error {
  const explained = explainGitHubError(error, {
    action: op.what,
    permission: op.permission,
    classicScope: 'repo',
    tokenExpiration: seenTokenExpiration(octokit),
  })
  if (explained instanceof GitHubError && explained.kind === 'rate-limited') {
    const after = header(error, 'retry-after')
    return new GraphqlRateLimited(
      explained.message,
      after === undefined ? undefined : retryAfterMs(after, { maxMs: Infinity }),
    )
  }
  if (explained instanceof GitHubError) return explained
  // Core's own refusals (a redirect not followed, another origin): named with the operation.
  if (explained instanceof UserError)
    return new UserError(`Could not ${op.what}: ${explained.message}`)
  // Not a GitHub answer at all (a body the client could not parse): unreadable, not our bug.
  return new UserError(
    `Could not ${op.what}: the answer could not be read (${isRequestError(error) ? error.status : ((error as Error)?.name ?? 'error')}); nothing was committed. Run the job again; if it persists, check what stands between the runner and the API.`,
  )
}

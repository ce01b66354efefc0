/**
 * What went wrong with one AWS request, in plain words that name the call ("SSM PutParameter",
 * "STS AssumeRole") and the cause. AWS errors carry `$response` and request details: only what
 * is built here leaves the AWS module, and never a response body (GetParameter's holds the token).
 */

/** How a call failed: a clear AWS refusal, or an answer that says nothing about the request. */
export type AwsFailure =
  | 'refused' // an AWS error answer (AccessDenied, ParameterAlreadyExists, ...)
  | 'server' // 5xx after the SDK's retries
  | 'throttled' // throttling after the SDK's retries
  | 'unreadable' // an answer that is not the operation's (HTML, empty, null, wrong shape)
  | 'redirect' // a 3xx: never followed
  | 'timeout' // no answer within the per-request timeout
  | 'deadline' // the step's overall deadline passed
  | 'network' // connection reset, refused, DNS

export class AwsCallError extends Error {
  constructor(
    /** The AWS error code, or what happened: 'Timeout', 'ConnectionReset', 'UnreadableAnswer', ... */
    readonly code: string,
    /** 'SSM PutParameter', 'STS AssumeRole'. */
    readonly operation: string,
    /** The cause, without the operation. */
    readonly detail: string,
    readonly failure: AwsFailure = 'refused',
    readonly status?: number,
  ) {
    super(`${operation}: ${detail}`)
    this.name = 'AwsCallError'
  }
}

/** AWS refused for lack of a permission (IAM, a key policy, a role's trust). */
export const isAccessDenied = (e: unknown): boolean =>
  e instanceof AwsCallError && /AccessDenied/.test(e.code)

/** The outcome of a write answered so: the server may have done it. */
export const outcomeUnknown = (e: AwsCallError): boolean =>
  ['server', 'unreadable', 'timeout', 'deadline', 'network'].includes(e.failure)

export interface CallLimits {
  /** Per attempt. */
  requestTimeoutMs: number
  maxAttempts: number
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
])

interface SdkError {
  name?: string
  code?: string
  Code?: string
  message?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
  $response?: { headers?: Record<string, string>; body?: unknown }
  $responseBodyText?: unknown
}

const headerOf = (headers: Record<string, string> | undefined, name: string) =>
  Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1]

const after = (attempts: number | undefined) =>
  attempts && attempts > 1 ? ` after ${attempts} attempts` : ''

/** Where a redirect points: its host only (a Location may carry a signed query). */
export function redirectError(operation: string, status: number, location: string | undefined) {
  let host = 'an unnamed place'
  try {
    if (location) host = new URL(location, 'http://relative.invalid').host
  } catch {
    host = 'an unreadable Location'
  }
  if (host === 'relative.invalid') host = 'another path on the endpoint'
  return new AwsCallError(
    'Redirect',
    operation,
    `answered HTTP ${status}, a redirect to ${host}, which was not followed: AWS never redirects its API calls, so a proxy or a wrong endpoint (AWS_ENDPOINT_URL) answered; signed requests only go to the configured endpoint.`,
    'redirect',
    status,
  )
}

/** An answer that is not the operation's: what came instead, never its text. */
export function unreadableError(operation: string, status: number | undefined, what: string) {
  return new AwsCallError(
    'UnreadableAnswer',
    operation,
    `unreadable answer: HTTP ${status ?? '?'} with ${what}, not the operation's answer: nothing in it can be trusted.`,
    'unreadable',
    status,
  )
}

/** The SDK's error (or a network error) as an AwsCallError naming the call and the cause. */
export function describeAwsError(
  operation: string,
  error: unknown,
  limits: CallLimits,
): AwsCallError {
  if (error instanceof AwsCallError)
    return error.operation === operation
      ? error
      : new AwsCallError(error.code, operation, error.detail, error.failure, error.status)
  const e = (error ?? {}) as SdkError
  const status = e.$metadata?.httpStatusCode
  const attempts = e.$metadata?.attempts
  const message = String(e.message ?? error)

  if (e.name === 'AbortError')
    return new AwsCallError(
      'DeadlineExceeded',
      operation,
      "timed out: the step's deadline passed before AWS answered (AWS was slow or unreachable); re-run the step.",
      'deadline',
    )
  const code = e.code
  // Node's errors may reach us wrapped ("AWS SDK error wrapper for TimeoutError: socket hang up").
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|ECONNRESET/i.test(message))
    return new AwsCallError(
      'ConnectionReset',
      operation,
      `the connection was reset before an answer came (${code ?? 'socket hang up'})${after(attempts)}: a network fault or a proxy closed it.`,
      'network',
    )
  if (
    code === 'ETIMEDOUT' ||
    /timed out|exceeded the configured \d+ ms requestTimeout|did not establish a connection/i.test(
      message,
    )
  ) {
    const connect = /did not establish/.test(message)
    return new AwsCallError(
      'Timeout',
      operation,
      `timed out: ${connect ? 'no connection' : 'no answer'} within ${limits.requestTimeoutMs / 1000} s${after(attempts ?? limits.maxAttempts)} (AWS or a proxy on the way did not answer).`,
      'timeout',
    )
  }
  if (code && /^E[A-Z]+$/.test(code))
    return new AwsCallError(
      code,
      operation,
      `could not reach the endpoint (${code}: ${message})${after(attempts)}.`,
      'network',
    )

  if (status && status >= 300 && status < 400)
    return redirectError(operation, status, headerOf(e.$response?.headers, 'location'))

  // An HTML page, or an answer the SDK could not parse: what came instead, never its text.
  const type = headerOf(e.$response?.headers, 'content-type') ?? ''
  const text =
    typeof e.$responseBodyText === 'string'
      ? e.$responseBodyText
      : typeof e.$response?.body === 'string'
        ? e.$response.body
        : undefined
  const html =
    (/html/i.test(type) && !/xml/i.test(type)) || /^\s*<(!doctype|html)/i.test(text ?? '')
  if (html || e.name === 'SyntaxError' || /Deserialization error/.test(message)) {
    if (html)
      return new AwsCallError(
        'UnreadableAnswer',
        operation,
        `HTTP ${status ?? '?'} with an HTML page instead of an AWS answer${after(attempts)}: likely a proxy, firewall or load balancer answered instead of AWS (check HTTPS_PROXY / AWS_ENDPOINT_URL).`,
        'unreadable',
        status,
      )
    return unreadableError(
      operation,
      status,
      text !== undefined && !text.trim() ? 'an empty body' : 'a body that is not an AWS answer',
    )
  }

  const name = e.name && e.name !== 'Error' ? e.name : (e.Code ?? 'UnknownError')
  const aws = `${name}${status ? `, HTTP ${status}` : ''}: ${message}`
  if (status !== undefined && status >= 500)
    return new AwsCallError(
      name,
      operation,
      `server error (${aws})${after(attempts)}: AWS failed; re-run the step later.`,
      'server',
      status,
    )
  if (THROTTLING.has(name) || status === 429)
    return new AwsCallError(
      name,
      operation,
      `throttled (${aws})${after(attempts)}: the AWS rate limit for this account and region; re-run the step later or write fewer targets at once.`,
      'throttled',
      status,
    )
  if (name === 'UnknownError' || name === 'Unknown')
    return new AwsCallError(
      'UnknownError',
      operation,
      `HTTP ${status ?? '?'} with no AWS error in the answer: not an AWS answer (a proxy or a wrong endpoint?).`,
      'unreadable',
      status,
    )
  return new AwsCallError(name, operation, `${name}: ${message}`, 'refused', status)
}

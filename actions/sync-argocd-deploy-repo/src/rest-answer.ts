import { UserError } from '@argocd-actions/core'

/**
 * GitHub's REST answers are read only once their shape is checked: a 2xx body that is not what
 * the request documents (`null`, a proxy's page, an object of another shape) is an error naming
 * the request and what came, never a default ("no pull request", "not merged", "not a file").
 */

/** What kind of body came, in words; never the server's text (a hostile one may echo the token). */
export function bodyKind(data: unknown): string {
  if (data === null) return 'a JSON null'
  if (data === undefined || data === '') return 'an empty body'
  if (typeof data === 'string')
    return /^\s*</.test(data) ? 'an HTML page (a proxy or load balancer?)' : 'text that is not JSON'
  if (Array.isArray(data)) return `a JSON list of ${data.length}`
  if (typeof data === 'object') return 'a JSON object of another shape'
  return `a JSON ${typeof data}`
}

/** The error for a 2xx answer of the wrong shape: the request, what came, what it leaves unknown. */
export function unexpectedAnswer(
  request: string,
  data: unknown,
  expected: string,
  unknown: string,
) {
  return new UserError(
    `${request} answered with ${bodyKind(data)}, not the ${expected} GitHub documents (an unexpected answer: a proxy or a server fault), so ${unknown}. Run the job again; if it persists, check what stands between the runner and the API.`,
  )
}

export const isObject = (data: unknown): data is Record<string, unknown> =>
  typeof data === 'object' && data !== null && !Array.isArray(data)

/** A pull request as this action reads it: its number and page. */
export interface PullRef {
  number: number
  html_url: string
}

export const isPull = (data: unknown): data is PullRef =>
  isObject(data) &&
  Number.isSafeInteger(data.number) &&
  (data.number as number) > 0 &&
  typeof data.html_url === 'string' &&
  /^https?:\/\//.test(data.html_url)

import { UserError } from './errors.js'

/**
 * GitHub's REST answers to the actions' own requests are used only once their shape is checked: a
 * 2xx body that is not what the request documents (`null`, a proxy's page, an object of another
 * shape) is an error naming the request and what came, never a default ("no pull request", "not
 * merged", "status set"). The token audits judge their probes with answers.ts instead.
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

export const isObject = (data: unknown): data is Record<string, unknown> =>
  typeof data === 'object' && data !== null && !Array.isArray(data)

/**
 * The error for a 2xx answer of the wrong shape: the request, what came, what GitHub documents,
 * and what that leaves unknown (`consequence`); `what` is the step's own doing, when it helps.
 */
export function unexpectedAnswer(
  request: string,
  data: unknown,
  expected: string,
  consequence: string,
  what?: string,
): UserError {
  return new UserError(
    `${what ? `${what}: ` : ''}${request} answered with ${bodyKind(data)}, not the ${expected} GitHub documents (an unexpected answer: a proxy or a server fault is the likely cause), so ${consequence}. Run the job again; if it persists, check what stands between the runner and the API.`,
  )
}

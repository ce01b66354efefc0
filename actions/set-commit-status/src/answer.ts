import { UserError } from '@argocd-actions/core'

/** What kind of answer came, for errors: never a guess beyond what the body shows. */
export function answerKind(data: unknown): string {
  if (data === null) return 'null'
  if (data === undefined || data === '') return 'an empty body'
  if (typeof data === 'string')
    return /^\s*</.test(data) ? 'an HTML page (a proxy or load balancer?)' : 'text, not JSON'
  if (Array.isArray(data)) return `a list of ${data.length}`
  if (typeof data === 'object') return 'an object of another shape'
  return `a ${typeof data}`
}

/**
 * GitHub answered 2xx with a body we cannot read: not a bug of ours, and not an answer.
 * `request` is what was asked, e.g. "GET /repos/acme/app/commits/main".
 */
export function unreadable(
  what: string,
  request: string,
  data: unknown,
  consequence: string,
): UserError {
  return new UserError(
    `${what}: ${request} was answered with ${answerKind(data)}, an unexpected answer instead of the JSON GitHub documents, so ${consequence}. A proxy or a server fault is the likely cause; run the job again, and check what stands between the runner and the API if it persists.`,
  )
}

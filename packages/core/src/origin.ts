import { UserError } from './errors.js'

/**
 * The token only ever goes to the origin it was configured for. Every URL a client is about to
 * follow (a pagination link, a redirect's Location, a URL found in a body) is checked here first.
 */

/** Scheme, host and port of a URL, as the browser's same-origin rule compares them. */
export function originOf(url: string | URL): string {
  return new URL(url).origin
}

/** host[:port] for messages; the whole URL is never printed (its query could carry anything). */
export function hostOf(url: string | URL): string {
  try {
    return new URL(url).host || String(url)
  } catch {
    return String(url).slice(0, 80)
  }
}

/** A URL without its query and fragment, for messages. */
export function withoutQuery(url: string | URL): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return String(url).slice(0, 80)
  }
}

/** A request to another origin than the configured one was refused before anything was sent. */
export class OffOriginError extends UserError {
  constructor(
    message: string,
    /** host[:port] of the URL that was refused. */
    readonly host: string,
    /** The redirect that was not followed, when that is what this is. */
    readonly redirect?: { status: number; location?: string },
  ) {
    super(message)
    this.name = 'OffOriginError'
  }
}

export interface OriginCheck {
  /** The configured base URL, e.g. https://api.github.com. */
  base: string
  /** What configures it, for errors: "input 'github-api-url'" or "the configured API URL". */
  source: string
  /** What was about to be requested, e.g. 'GET' or 'a pagination link'. */
  method?: string
  /** Whose answer gave the URL, e.g. "the answer to GET /repos/acme/app/commits/1a2b/statuses". */
  pointedBy?: string
}

/** Throws an OffOriginError unless url has the same origin as check.base. */
export function assertSameOrigin(url: string | URL, check: OriginCheck): void {
  let target: URL
  try {
    target = new URL(url, check.base)
  } catch {
    throw new OffOriginError(`Refused to follow a URL that is not valid: '${hostOf(url)}'.`, '')
  }
  const expected = originOf(check.base)
  if (target.origin === expected) return
  const refused = `Refused to send ${check.method ? `${check.method} ` : 'a request '}to ${target.host}`
  const where = `is not on ${expected}, the origin of ${check.source}, and the token is only sent there`
  const cause = `a proxy rewriting answers, or ${check.source} not being the address the server calls itself`
  throw new OffOriginError(
    check.pointedBy
      ? `${refused}: ${check.pointedBy} pointed to ${withoutQuery(target)}, which ${where}: ${cause}.`
      : `${refused}: ${withoutQuery(target)} ${where}. The server's answer pointed elsewhere (a ` +
          `pagination link or a URL in its body): ${cause}.`,
    target.host,
  )
}

/** A redirect that is not followed: a write's, another origin's, or one hop too many. */
export function redirectError(opts: {
  method: string
  url: string
  status: number
  location?: string
  base: string
  source: string
}): UserError {
  const { method, status } = opts
  const path = withoutQuery(opts.url)
  let where = 'without a Location'
  let target: URL | undefined
  if (opts.location) {
    try {
      target = new URL(opts.location, opts.url)
      where = `to ${target.host}${target.origin === originOf(opts.base) ? ` (${target.pathname})` : ''}`
    } catch {
      where = `to an invalid Location`
    }
  }
  const write = !['GET', 'HEAD'].includes(method.toUpperCase())
  const elsewhere = target && target.origin !== originOf(opts.base)
  const why = write
    ? 'a write is never repeated at another address, so nothing was written. If the repository was renamed or transferred, use its new name'
    : elsewhere
      ? `redirects are only followed within ${originOf(opts.base)}, the origin of ${opts.source}, so that the token goes nowhere else. If the API moved, set ${opts.source} to its new address`
      : 'too many redirects'
  return new OffOriginError(
    `${method.toUpperCase()} ${path} was answered with a redirect (${status}) ${where}: ${why}.`,
    target?.host ?? '',
    { status, location: opts.location },
  )
}

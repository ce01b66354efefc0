/**
 * What can go wrong talking to a git server, as types a caller can tell apart without reading
 * the server's text: the status of an HTTP answer, a push the server refused (which ref, why), a
 * capability the server lacks, an answer we cannot read. Every one is a GitError.
 */
export class GitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'GitError'
  }
}

/** The server answered with a status other than 200 (after retries, when it was transient). */
export class GitHttpError extends GitError {
  constructor(
    readonly status: number,
    /** What the server said (its body, or why there was none), for explanations. */
    readonly text: string,
    options?: ErrorOptions & { afterRetries?: boolean },
  ) {
    super(
      `git smart HTTP answered ${status}${options?.afterRetries ? ' (after retries)' : ''}: ${
        bodyKindOf(text) === 'text' ? text.trim().slice(0, 500) : describeHttpBody(text)
      }`,
      options,
    )
    this.name = 'GitHttpError'
    this.afterRetries = options?.afterRetries ?? false
  }

  readonly afterRetries: boolean

  /** What kind of body came with the status: a proxy's page is not the git server's word. */
  get bodyKind(): HttpBodyKind {
    return bodyKindOf(this.text)
  }
}

export type HttpBodyKind = 'html' | 'empty' | 'text'

const bodyKindOf = (text: string): HttpBodyKind =>
  !text.trim() ? 'empty' : /^\s*</.test(text) ? 'html' : 'text'

/** "an HTML page", "an empty body" or "text": for errors, without pasting a proxy's page. */
export function describeHttpBody(text: string): string {
  const kind = bodyKindOf(text)
  return kind === 'html' ? 'an HTML page' : kind === 'empty' ? 'an empty body' : 'text'
}

/** No answer at all: the connection failed or timed out (after retries). */
export class GitNetworkError extends GitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'GitNetworkError'
  }
}

/** The server sent an answer we cannot read: a malformed pkt-line, pack, delta or side band. */
export class GitProtocolError extends GitError {
  constructor(message: string) {
    super(message)
    this.name = 'GitProtocolError'
  }
}

/** The server reported an error in its answer (`ERR` packet, side band 3). */
export class GitRemoteError extends GitError {
  constructor(readonly text: string) {
    super(`remote error: ${text.trim().slice(0, 500)}`)
    this.name = 'GitRemoteError'
  }
}

/** The server lacks something we need (protocol v2, a filter, side-band, SHA-1 objects). */
export class CapabilityMissingError extends GitError {
  constructor(
    readonly capability: string,
    message: string,
  ) {
    super(message)
    this.name = 'CapabilityMissingError'
  }
}

/** The server refused a ref update: `ng <ref> <reason>`, or the whole pack was not unpacked. */
export class PushRejectedError extends GitError {
  constructor(
    readonly ref: string,
    /** The server's reason ("fetch first", "stale info", "protected branch hook declined", ...). */
    readonly reason: string,
    /** What the server printed on side band 2 (GitHub's GH006/GH013 explanations are here). */
    readonly messages: string[] = [],
  ) {
    super(
      [`the server refused to update ${ref}: ${reason}`, ...messages.map((m) => m.trim())]
        .filter(Boolean)
        .join('\n'),
    )
    this.name = 'PushRejectedError'
  }

  /** The ref moved since we read it (compare-and-swap lost): read it again and retry. */
  get isStale(): boolean {
    return /^(fetch first|stale info|non-fast-forward|failed to update ref|failed to lock|cannot lock ref)/i.test(
      this.reason,
    )
  }
}

/** A push was sent but its answer was lost: it may or may not have landed. */
export class PushOutcomeUnknownError extends GitError {
  constructor(
    readonly ref: string,
    readonly cause: unknown,
  ) {
    super(
      `the answer to the update of ${ref} ${cause instanceof GitProtocolError ? 'is unreadable' : 'was lost'} (${cause instanceof Error ? cause.message : String(cause)}): it may have landed`,
    )
    this.name = 'PushOutcomeUnknownError'
  }
}

/** A tree edit met a file where its path needs a directory. */
export class NotATreeError extends GitError {
  constructor(readonly path: string) {
    super(`'${path}' is a file where a directory is needed`)
    this.name = 'NotATreeError'
  }
}

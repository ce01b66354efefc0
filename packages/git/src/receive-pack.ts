/**
 * Pushes one ref update over git's smart HTTP from this process: the command names the value the
 * ref must still have (a compare-and-swap, as `--force-with-lease` does), and the pack carries
 * the objects the update needs. No `git push`: that would spawn four processes and read the
 * remote's refs once more only to learn what we already know.
 */
import {
  GitHttpError,
  GitNetworkError,
  GitProtocolError,
  PushOutcomeUnknownError,
  PushRejectedError,
} from './errors.js'
import type { GitObject } from './objects.js'
import { writePack } from './pack.js'
import { demuxSideband, FLUSH, pktLine, readPackets, type Packet } from './pkt-line.js'
import { smartHttpPost, type SmartHttpOptions } from './smart-http.js'

export const ZERO_OID = '0'.repeat(40)

export interface RefUpdate {
  ref: string
  /** The value the ref must still have ('' or ZERO_OID: it must not exist). */
  old: string
  new: string
}

/**
 * Resolves when the server reports the ref updated. Throws PushRejectedError when it refused
 * (`ng`, or the pack was not unpacked), PushOutcomeUnknownError when the request may have reached
 * it but its answer did not reach us (a lost connection, a 5xx, an answer without a report):
 * the caller reads the ref to learn what happened. A push is never re-sent blindly; only a 429
 * (refused before any work) is retried here.
 */
export async function receivePack(
  opts: SmartHttpOptions,
  update: RefUpdate,
  objects: GitObject[],
): Promise<void> {
  const command = `${update.old || ZERO_OID} ${update.new} ${update.ref}\0report-status side-band-64k quiet agent=${opts.agent ?? 'git/argocd-actions'}\n`
  const request = Buffer.concat([Buffer.from(pktLine(command) + FLUSH, 'utf8'), writePack(objects)])
  let body: Buffer
  try {
    body = await smartHttpPost(
      opts,
      'git-receive-pack',
      request,
      `update ${update.ref}`,
      undefined,
      (status) => status === 429,
    )
  } catch (error) {
    if (error instanceof GitNetworkError || (error instanceof GitHttpError && error.status >= 500))
      throw new PushOutcomeUnknownError(update.ref, error)
    throw error
  }
  parsePushReport(body, update.ref)
}

/**
 * Reads receive-pack's answer for `ref`: returns when it was updated; PushRejectedError when it
 * was refused; PushOutcomeUnknownError when the answer says neither (no report, or one we cannot
 * read): the update may have happened.
 */
export function parsePushReport(body: Buffer, ref: string): void {
  let read: { report: string[]; messages: string[] }
  try {
    read = readReport(body)
  } catch (error) {
    throw new PushOutcomeUnknownError(ref, error)
  }
  const { report, messages } = read
  const unpack = report.find((l) => l.startsWith('unpack '))
  const status = report.find((l) => l.startsWith(`ok ${ref}`) || l.startsWith(`ng ${ref} `))
  if (!unpack || !status)
    throw new PushOutcomeUnknownError(
      ref,
      new GitProtocolError(
        `no report-status for ${ref}${messages.length ? `: ${messages.join(' ')}` : ''}`,
      ),
    )
  if (unpack !== 'unpack ok')
    throw new PushRejectedError(ref, `the server could not unpack: ${unpack.slice(7)}`, messages)
  if (status.startsWith('ng '))
    throw new PushRejectedError(ref, status.slice(4 + ref.length), messages)
}

/**
 * The report-status lines and the server's messages. We ask for side-band-64k; a server that does
 * not offer it answers the report as plain pkt-lines (its first line is 'unpack ...').
 */
function readReport(body: Buffer): { report: string[]; messages: string[] } {
  const packets = [...readPackets(body)]
  const lines = (ps: Iterable<Packet>) =>
    [...ps].filter((p) => p.kind === 'data').map((p) => p.data.toString('utf8').replace(/\n$/, ''))
  const first = packets.find((p) => p.kind === 'data')
  if (first && first.data.toString('latin1', 0, 7) === 'unpack ')
    return { report: lines(packets), messages: [] }
  const { data, messages, errors } = demuxSideband(packets)
  return {
    report: lines(readPackets(data)),
    messages: [
      ...messages.map((m) => m.replace(/\n$/, '')),
      ...errors.map((e) => `error: ${e.replace(/\n$/, '')}`),
    ],
  }
}

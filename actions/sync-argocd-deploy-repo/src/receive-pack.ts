/**
 * Pushes one ref update over git's smart HTTP from this process: the command names the value the
 * ref must still have (a compare-and-swap, as `--force-with-lease` does), and the pack carries
 * the objects the release built. No `git push`: that would spawn four processes and read the
 * remote's refs once more only to learn what we already know.
 */
import type { GitObject } from './git-objects.js'
import { writePack } from './pack.js'
import {
  demuxSideband,
  FLUSH,
  pktLine,
  readPackets,
  smartHttpPost,
  type SmartHttpOptions,
} from './smart-http.js'

export const ZERO_OID = '0'.repeat(40)

export interface PushOutcome {
  ok: boolean
  /** The server's report for the ref ("ok <ref>" or "ng <ref> <reason>"), and its messages. */
  text: string
}

export async function receivePack(
  opts: SmartHttpOptions,
  update: { ref: string; old: string; new: string },
  objects: GitObject[],
): Promise<PushOutcome> {
  const command = `${update.old || ZERO_OID} ${update.new} ${update.ref}\0report-status side-band-64k quiet agent=git/argocd-actions\n`
  const request = Buffer.concat([Buffer.from(pktLine(command) + FLUSH, 'utf8'), writePack(objects)])
  const body = await smartHttpPost(opts, 'git-receive-pack', request, `update ${update.ref}`)
  const { data: report, messages, errors } = demuxSideband(readPackets(body))
  messages.push(...errors.map((e) => `error: ${e}`))
  const lines = [...readPackets(report)]
    .filter((p) => p.kind === 'data')
    .map((p) => p.data.toString('utf8').replace(/\n$/, ''))
  const unpack = lines.find((l) => l.startsWith('unpack '))
  const status = lines.find((l) => l.startsWith('ok ') || l.startsWith('ng '))
  const ok = unpack === 'unpack ok' && status === `ok ${update.ref}`
  return {
    ok,
    text: [
      ...messages.map((m) => m.replace(/\n$/, '')),
      unpack ?? '',
      status ?? 'no report from the server',
    ]
      .filter(Boolean)
      .join('\n'),
  }
}

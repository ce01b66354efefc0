/**
 * Git's object formats, read and written in this process (SHA-1 repositories): ids, trees and
 * commits. Spawning `git hash-object` / `mktree` / `commit-tree` for each object costs more than
 * the work itself.
 */
import { createHash } from 'node:crypto'
import { GitProtocolError } from './errors.js'

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag'

export interface GitObject {
  type: ObjectType
  data: Buffer
}

export interface TreeEntry {
  /** As git writes it in a tree: 40000, 100644, 100755, 120000, 160000. */
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  /** The name for people and paths (UTF-8; a name that is not UTF-8 shows U+FFFD here). */
  name: string
  /** The name's bytes as the tree holds them, when they are not UTF-8: written back as they were. */
  bytes?: Buffer
}

/** The bytes of an entry's name. */
export const nameBytes = (e: Pick<TreeEntry, 'name' | 'bytes'>) =>
  e.bytes ?? Buffer.from(e.name, 'utf8')

const header = (type: ObjectType, size: number) => Buffer.from(`${type} ${size}\0`)

/** The object id git gives this content (SHA-1 repositories). */
export function objectId(type: ObjectType, data: Buffer): string {
  return createHash('sha1').update(header(type, data.length)).update(data).digest('hex')
}

/** `040000` (ls-tree's spelling, and some old tools' in trees) and `40000` are the same mode. */
export const canonicalMode = (mode: string) => mode.replace(/^0+(?=\d)/, '')

const typeOfMode = (mode: string): TreeEntry['type'] => {
  const m = canonicalMode(mode)
  return m === '40000' ? 'tree' : m === '160000' ? 'commit' : 'blob'
}

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  let pos = 0
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos)
    const nul = data.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > data.length)
      throw new GitProtocolError('malformed tree object')
    const mode = data.toString('latin1', pos, space)
    const raw = data.subarray(space + 1, nul)
    const name = raw.toString('utf8')
    entries.push({
      mode,
      type: typeOfMode(mode),
      name,
      // Only a name that UTF-8 cannot round-trip keeps its bytes apart (the rest compare equal).
      ...(!Buffer.from(name, 'utf8').equals(raw) && { bytes: Buffer.from(raw) }),
      sha: data.toString('hex', nul + 1, nul + 21),
    })
    pos = nul + 21
  }
  return entries
}

/** Git's tree order: names compared bytewise, a tree's name as if it ended with '/'. */
const sortKey = (e: TreeEntry) =>
  e.type === 'tree' ? Buffer.concat([nameBytes(e), Buffer.from('/')]) : nameBytes(e)

export function serializeTree(entries: TreeEntry[]): Buffer {
  // A file and a directory of one name are not neighbours in this order ('x', 'x-y', 'x/').
  const names = new Set<string>()
  for (const e of entries) {
    const key = nameBytes(e).toString('latin1')
    if (names.has(key)) throw new Error(`duplicate tree entry '${e.name}'`)
    names.add(key)
  }
  const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)))
  return Buffer.concat(
    sorted.flatMap((e) => [
      Buffer.from(`${canonicalMode(e.mode)} `, 'latin1'),
      nameBytes(e),
      Buffer.from([0]),
      Buffer.from(e.sha, 'hex'),
    ]),
  )
}

/** The root tree a commit names. */
export function commitTree(data: Buffer): string {
  const tree = /^tree ([0-9a-f]{40})$/m.exec(data.toString('utf8', 0, 64))?.[1]
  if (!tree) throw new GitProtocolError('malformed commit object: no tree')
  return tree
}

/** The parents a commit names, in order (its header, up to the first blank line). */
export function commitParents(data: Buffer): string[] {
  const text = data.toString('utf8')
  const end = text.indexOf('\n\n')
  const header = end < 0 ? text : text.slice(0, end)
  return [...header.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]!)
}

export interface Signature {
  name: string
  email: string
  /** Seconds since the epoch. */
  time: number
}

export function serializeCommit(c: {
  tree: string
  parents: string[]
  author: Signature
  committer: Signature
  message: string
}): Buffer {
  const who = (s: Signature) => `${s.name} <${s.email}> ${s.time} +0000`
  return Buffer.from(
    [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      `author ${who(c.author)}`,
      `committer ${who(c.committer)}`,
      '',
      c.message,
    ].join('\n'),
    'utf8',
  )
}

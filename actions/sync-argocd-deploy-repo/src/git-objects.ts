/**
 * Git's object formats, read and written in this process: a release builds a handful of blobs,
 * trees and one commit, and spawning `git hash-object` / `mktree` / `commit-tree` for each costs
 * more than the work itself. Objects are stored loose in the work repository, as git writes them,
 * so `git push` finds them.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deflateSync } from 'node:zlib'

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
  name: string
}

const header = (type: ObjectType, size: number) => Buffer.from(`${type} ${size}\0`)

/** The object id git gives this content (SHA-1 repositories). */
export function objectId(type: ObjectType, data: Buffer): string {
  return createHash('sha1').update(header(type, data.length)).update(data).digest('hex')
}

const typeOfMode = (mode: string): TreeEntry['type'] =>
  mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob'

/** `040000` (ls-tree's spelling) and `40000` (the tree's) are the same mode. */
export const canonicalMode = (mode: string) => mode.replace(/^0+(?=\d)/, '')

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  let pos = 0
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos)
    const nul = data.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('malformed tree object')
    const mode = data.toString('latin1', pos, space)
    entries.push({
      mode,
      type: typeOfMode(mode),
      name: data.toString('utf8', space + 1, nul),
      sha: data.toString('hex', nul + 1, nul + 21),
    })
    pos = nul + 21
  }
  return entries
}

/** Git's tree order: names compared bytewise, a tree's name as if it ended with '/'. */
const sortKey = (e: TreeEntry) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name, 'utf8')

export function serializeTree(entries: TreeEntry[]): Buffer {
  // A file and a directory of one name are not neighbours in this order ('x', 'x-y', 'x/').
  const names = new Set<string>()
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`duplicate tree entry '${e.name}'`)
    names.add(e.name)
  }
  const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)))
  return Buffer.concat(
    sorted.flatMap((e) => [
      Buffer.from(`${canonicalMode(e.mode)} ${e.name}\0`, 'utf8'),
      Buffer.from(e.sha, 'hex'),
    ]),
  )
}

/** The root tree a commit names. */
export function commitTree(data: Buffer): string {
  const tree = /^tree ([0-9a-f]{40})$/m.exec(data.toString('utf8', 0, 64))?.[1]
  if (!tree) throw new Error('malformed commit object: no tree')
  return tree
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

/** Writes an object loose into `<gitDir>/objects`, as `git hash-object -w` would. */
export async function writeLoose(gitDir: string, type: ObjectType, data: Buffer): Promise<string> {
  const oid = objectId(type, data)
  const dir = path.join(gitDir, 'objects', oid.slice(0, 2))
  await mkdir(dir, { recursive: true })
  try {
    // git writes loose objects read-only: one already there is left as it is (same id, same content).
    await writeFile(
      path.join(dir, oid.slice(2)),
      deflateSync(Buffer.concat([header(type, data.length), data])),
      { flag: 'wx', mode: 0o444 },
    )
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return oid
}

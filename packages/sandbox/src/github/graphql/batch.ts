// Git objects for one GraphQL request, read in batches: every object the resolvers of one
// execution step ask for (the query's `object(expression:)` fields, a tree's sub-trees, blobs)
// is written at once to the repository's long-lived `git cat-file --batch` (cat-file.ts), so a
// read starts no process, whatever its depth.
import type { GitObjectData } from '../cat-file.js'
import type { BareRepo, TreeEntry } from '../git.js'

export type { GitObjectData }

/** The entries of a raw tree object (`<mode> <name>\0<20-byte id>`...), git's order kept. */
export function parseTree(data: Buffer): TreeEntry[] {
  const out: TreeEntry[] = []
  let i = 0
  while (i < data.length) {
    const space = data.indexOf(0x20, i)
    const nul = data.indexOf(0, space)
    const mode = data.subarray(i, space).toString('ascii').padStart(6, '0')
    const path = data.subarray(space + 1, nul).toString('utf8')
    const oid = data.subarray(nul + 1, nul + 21).toString('hex')
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob'
    out.push({ mode, type, oid, size: 0, path })
    i = nul + 21
  }
  return out
}

export class ObjectBatch {
  private pending = new Map<string, Array<(o: GitObjectData | undefined) => void>>()
  private scheduled = false
  private readonly cache = new Map<string, Promise<GitObjectData | undefined>>()

  constructor(private readonly git: BareRepo) {}

  /** The object an expression names (`<rev>:<path>`, an oid), or undefined when there is none. */
  load(expression: string): Promise<GitObjectData | undefined> {
    let found = this.cache.get(expression)
    if (!found) {
      found = new Promise((resolve) => {
        const waiting = this.pending.get(expression) ?? []
        waiting.push(resolve)
        this.pending.set(expression, waiting)
      })
      this.cache.set(expression, found)
      if (!this.scheduled) {
        this.scheduled = true
        // After the current execution step has asked for everything it needs.
        setImmediate(() => void this.flush())
      }
    }
    return found
  }

  private async flush(): Promise<void> {
    this.scheduled = false
    const batch = this.pending
    this.pending = new Map()
    const expressions = [...batch.keys()]
    const results = await this.git.reader.read(expressions)
    expressions.forEach((e, n) => {
      for (const resolve of batch.get(e)!) resolve(results[n])
    })
  }
}

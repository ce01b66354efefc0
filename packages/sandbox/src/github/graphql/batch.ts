// Git objects for one GraphQL request, read in batches: every object the resolvers of one
// execution step ask for (the query's `object(expression:)` fields, a tree's sub-trees, blobs)
// goes to one `git cat-file --batch`, so a read costs a few processes, not one per field.
import { spawn } from 'node:child_process'
import { gitEnv, type BareRepo, type TreeEntry } from '../git.js'

export interface GitObjectData {
  oid: string
  type: 'blob' | 'tree' | 'commit' | 'tag'
  data: Buffer
}

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

  constructor(
    private readonly git: BareRepo,
    private readonly home: string,
  ) {}

  /** The object an expression names (`<rev>:<path>`, an oid), or undefined when there is none. */
  load(expression: string): Promise<GitObjectData | undefined> {
    // cat-file reads one expression a line: anything with a line break cannot name an object.
    if (expression === '' || /[\n\r\0]/.test(expression)) return Promise.resolve(undefined)
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
    let results: Array<GitObjectData | undefined>
    try {
      results = parseBatch(await this.catFile(expressions), expressions.length)
    } catch (err) {
      console.error('github sandbox: git cat-file --batch failed', err)
      results = expressions.map(() => undefined)
    }
    expressions.forEach((e, n) => {
      for (const resolve of batch.get(e)!) resolve(results[n])
    })
  }

  private catFile(expressions: string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['--git-dir', this.git.dir, 'cat-file', '--batch'], {
        env: gitEnv(this.home),
      })
      const out: Buffer[] = []
      child.stdout.on('data', (c: Buffer) => out.push(c))
      child.stderr.resume()
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`cat-file exited ${code}`)),
      )
      child.stdin.end(`${expressions.join('\n')}\n`)
    })
  }
}

/** `<oid> <type> <size>\n<data>\n` per object, or `<expression> missing|ambiguous\n`. */
function parseBatch(out: Buffer, count: number): Array<GitObjectData | undefined> {
  const results: Array<GitObjectData | undefined> = []
  let offset = 0
  for (let n = 0; n < count; n++) {
    const nl = out.indexOf(0x0a, offset)
    if (nl < 0) {
      results.push(undefined)
      continue
    }
    const m = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(
      out.subarray(offset, nl).toString('utf8'),
    )
    if (!m) {
      results.push(undefined)
      offset = nl + 1
      continue
    }
    const size = Number(m[3])
    results.push({
      oid: m[1]!,
      type: m[2] as GitObjectData['type'],
      data: out.subarray(nl + 1, nl + 1 + size),
    })
    offset = nl + 1 + size + 1
  }
  return results
}

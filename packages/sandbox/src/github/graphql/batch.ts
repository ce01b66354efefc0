// Git objects for one GraphQL request, read in batches: every object the resolvers of one
// execution step ask for (the query's `object(expression:)` fields, a tree's sub-trees, blobs)
// is written at once to the request's one `git cat-file --batch`, so a read costs one process
// whatever its depth, not one per field or per level.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
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
  /** One `git cat-file --batch` for the whole request, started on the first read. */
  private child: ChildProcessWithoutNullStreams | undefined
  private failed = false
  /** Answers in the order the expressions were written, as cat-file gives them. */
  private readonly awaiting: Array<(o: GitObjectData | undefined) => void> = []
  private chunks: Buffer[] = []

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
        setImmediate(() => this.flush())
      }
    }
    return found
  }

  /** Ends the request's cat-file; reads after this start a new one. */
  close(): void {
    this.child?.stdin.end()
    this.child = undefined
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.pending
    this.pending = new Map()
    const child = this.failed ? undefined : this.start()
    for (const waiting of batch.values()) {
      const answer = (o: GitObjectData | undefined) => waiting.forEach((resolve) => resolve(o))
      if (child) this.awaiting.push(answer)
      else answer(undefined)
    }
    child?.stdin.write(`${[...batch.keys()].join('\n')}\n`)
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child
    const child = spawn('git', ['--git-dir', this.git.dir, 'cat-file', '--batch'], {
      env: gitEnv(this.home),
    })
    this.child = child
    this.chunks = []
    child.stdout.on('data', (c: Buffer) => {
      this.chunks.push(c)
      this.drain()
    })
    child.stderr.resume()
    const fail = (why: unknown) => {
      if (this.awaiting.length === 0) return
      console.error('github sandbox: git cat-file --batch failed', why)
      this.failed = true
      for (const answer of this.awaiting.splice(0)) answer(undefined)
    }
    child.on('error', fail)
    child.on('close', (code) => fail(new Error(`cat-file exited ${code}`)))
    child.stdin.on('error', fail)
    return child
  }

  /** Hands every complete answer read so far to its waiter. */
  private drain(): void {
    let out = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
    while (this.awaiting.length > 0) {
      const nl = out.indexOf(0x0a)
      if (nl < 0) break
      const m = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(
        out.subarray(0, nl).toString('utf8'),
      )
      if (!m) {
        // `<expression> missing` or `ambiguous`.
        out = out.subarray(nl + 1)
        this.awaiting.shift()!(undefined)
        continue
      }
      const size = Number(m[3])
      if (out.length < nl + 1 + size + 1) break
      const data = Buffer.from(out.subarray(nl + 1, nl + 1 + size))
      out = out.subarray(nl + 1 + size + 1)
      this.awaiting.shift()!({ oid: m[1]!, type: m[2] as GitObjectData['type'], data })
    }
    this.chunks = out.length > 0 ? [out] : []
  }
}

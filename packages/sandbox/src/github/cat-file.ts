// One `git cat-file --batch` that stays up for a repository, so a GraphQL read costs no process
// start. It never answers from a stale snapshot: git resolves every line anew (loose refs are
// read from disk, packed-refs is re-validated by stat, and an object not found makes it look
// for new packs), and new loose objects are found by path.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { gitEnv } from './git.js'

export interface GitObjectData {
  oid: string
  type: 'blob' | 'tree' | 'commit' | 'tag'
  data: Buffer
}

export class CatFile {
  private child: ChildProcessWithoutNullStreams | undefined
  /** Answers in the order the expressions were written, as cat-file gives them. */
  private readonly awaiting: Array<(o: GitObjectData | undefined) => void> = []
  private chunks: Buffer[] = []

  constructor(
    private readonly dir: string,
    private readonly home: string,
  ) {}

  /** The objects the expressions name (`<rev>:<path>`, an oid, a ref); undefined: none. */
  read(expressions: string[]): Promise<Array<GitObjectData | undefined>> {
    // One expression a line: anything with a line break cannot name an object.
    const valid = expressions.map((e) => e !== '' && !/[\n\r\0]/.test(e))
    const wanted = expressions.filter((_, n) => valid[n])
    if (wanted.length === 0) return Promise.resolve(expressions.map(() => undefined))
    const child = this.start()
    const answers = wanted.map(
      (): Promise<GitObjectData | undefined> =>
        new Promise((resolve) => this.awaiting.push(resolve)),
    )
    child.stdin.write(`${wanted.join('\n')}\n`)
    return Promise.all(answers).then((found) => {
      let n = 0
      return expressions.map((_, k) => (valid[k] ? found[n++] : undefined))
    })
  }

  /** Ends the process (the sandbox stops); a later read starts another. */
  stop(): void {
    this.child?.kill()
    this.child = undefined
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child
    const child = spawn('git', ['--git-dir', this.dir, 'cat-file', '--batch'], {
      env: gitEnv(this.home),
    })
    this.child = child
    this.chunks = []
    child.stdout.on('data', (c: Buffer) => {
      this.chunks.push(c)
      this.drain()
    })
    child.stderr.resume()
    const ended = (why: unknown) => {
      if (this.child === child) this.child = undefined
      if (this.awaiting.length === 0) return
      console.error('github sandbox: git cat-file --batch failed', why)
      for (const answer of this.awaiting.splice(0)) answer(undefined)
    }
    child.on('error', ended)
    child.on('close', (code) => ended(new Error(`cat-file exited ${code}`)))
    child.stdin.on('error', ended)
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

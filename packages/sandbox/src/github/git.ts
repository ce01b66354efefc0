// Plumbing over real bare repositories (git 2.38+: merge-tree --write-tree). Model operations are
// synchronous (execFileSync): they are short and keep the REST routes synchronous; only the
// smart-HTTP transport (git-http.ts) streams through an asynchronous child process.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { CatFile } from './cat-file.js'

export const ZERO_SHA = '0'.repeat(40)

/** Identity and date of the seed commit: fixed, so seeded repositories have stable shas. */
export const SEED_IDENTITY = {
  name: 'GitHub Sandbox',
  email: 'sandbox@users.noreply.github.com',
  date: '2024-01-01T00:00:00Z',
}

/** The committer GitHub uses for web merges. */
export const WEB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' }

export interface Identity {
  name: string
  email: string
  /** ISO date; default now. */
  date?: string
}

/**
 * Environment of every server-side git process: nothing from the machine's or the user's
 * configuration leaks in, and nothing ever prompts.
 */
export function gitEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  }
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${code}): ${stderr.trim()}`)
  }
}

/** A bare repository on disk, driven through plumbing commands. */
export class BareRepo {
  private catFile: CatFile | undefined

  constructor(
    readonly dir: string,
    private readonly home: string,
  ) {}

  /** The repository's long-lived object reader (asynchronous; started on the first read). */
  get reader(): CatFile {
    return (this.catFile ??= new CatFile(this.dir, this.home))
  }

  /** Ends the reader's process (the sandbox stops). */
  close(): void {
    this.catFile?.stop()
  }

  /** Runs git in the repository; throws GitError on a non-zero exit unless `allowFail`. */
  run(
    args: string[],
    opts: { input?: string | Buffer; env?: Record<string, string>; allowFail?: boolean } = {},
  ): { stdout: Buffer; code: number } {
    const full = ['--git-dir', this.dir, ...args]
    const r = spawnSync('git', full, {
      env: gitEnv(this.home, opts.env),
      ...(opts.input !== undefined ? { input: opts.input } : {}),
      maxBuffer: 256 * 1024 * 1024,
    })
    if (r.error) throw r.error
    const code = r.status ?? -1
    if (code !== 0 && !opts.allowFail) throw new GitError(args, code, r.stderr.toString('utf8'))
    return { stdout: r.stdout, code }
  }

  text(args: string[], input?: string): string {
    return this.run(args, input !== undefined ? { input } : {}).stdout.toString('utf8')
  }

  /** `git init --bare` with the settings GitHub has (partial clone, any-sha wants, http push, fsck). */
  static init(dir: string, home: string, defaultBranch: string): BareRepo {
    execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, dir], {
      env: gitEnv(home),
    })
    const repo = new BareRepo(dir, home)
    for (const [key, value] of [
      ['uploadpack.allowFilter', 'true'],
      // GitHub serves blob:none, blob:limit and tree:0, not deeper tree:<n> or sparse filters.
      ['uploadpackfilter.tree.maxDepth', '0'],
      ['uploadpackfilter.sparse:oid.allow', 'false'],
      ['uploadpack.allowAnySHA1InWant', 'true'],
      ['http.receivepack', 'true'],
      // GitHub checks every pushed object (fsck --strict): a tree with .git, .GIT or git~1 is
      // refused, so no test can land a tree that git clone would then refuse.
      ['receive.fsckObjects', 'true'],
      ['http.uploadpack', 'true'],
      ['receive.denyNonFastForwards', 'false'],
      ['core.logAllRefUpdates', 'false'],
      ['gc.auto', '0'],
    ] as const)
      repo.run(['config', key, value])
    return repo
  }

  /** Peeled refs: refname -> commit sha (annotated tags resolved to their commit). */
  refs(): Map<string, string> {
    const out = new Map<string, string>()
    const text = this.text([
      'for-each-ref',
      '--format=%(refname)%00%(objectname)%00%(*objectname)%00%(objecttype)',
    ])
    for (const line of text.split('\n')) {
      if (!line) continue
      const [ref, oid, peeled, type] = line.split('\0')
      const sha = peeled || oid!
      if (type === 'commit' || peeled) out.set(ref!, sha)
    }
    return out
  }

  /** Commits reachable from `tips` but not from `known`, parsed. */
  commits(tips: string[], known: string[]): GitCommit[] {
    if (tips.length === 0) return []
    const args = ['log', `--format=${COMMIT_FORMAT}`, ...tips]
    if (known.length > 0) args.push('--not', ...known)
    return parseCommits(this.text(args))
  }

  /** Resolves a revision to a sha, or undefined. */
  revParse(rev: string): string | undefined {
    const r = this.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
      allowFail: true,
    })
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined
  }

  /** Entries of a tree (`rev` a commit or tree id; `path` '' for the root). */
  lsTree(treeish: string): TreeEntry[] {
    const out: TreeEntry[] = []
    for (const rec of this.text(['ls-tree', '-l', '-z', treeish]).split('\0')) {
      const e = parseLsTree(rec)
      if (e) out.push(e)
    }
    return out
  }

  /** The entry at `path` in commit `rev`, or undefined. */
  entry(rev: string, path: string): TreeEntry | undefined {
    const text = this.text(['ls-tree', '-l', '-z', rev, '--', path])
    for (const rec of text.split('\0')) {
      const e = parseLsTree(rec)
      if (e && e.path === path) return e
    }
    return undefined
  }

  blob(oid: string): Buffer {
    return this.run(['cat-file', 'blob', oid]).stdout
  }

  /** Every file of commit `rev`: path -> bytes. */
  files(rev: string): Map<string, Buffer> {
    const entries: Array<{ path: string; oid: string }> = []
    for (const rec of this.text(['ls-tree', '-r', '-z', rev]).split('\0')) {
      const e = parseLsTree(rec, false)
      if (e && e.type === 'blob') entries.push({ path: e.path, oid: e.oid })
    }
    const out = new Map<string, Buffer>()
    if (entries.length === 0) return out
    const batch = this.run(['cat-file', '--batch'], {
      input: entries.map((e) => e.oid).join('\n') + '\n',
    }).stdout
    let offset = 0
    for (const e of entries) {
      const nl = batch.indexOf(0x0a, offset)
      const header = batch.subarray(offset, nl).toString('utf8').split(' ')
      const size = Number(header[2])
      out.set(e.path, batch.subarray(nl + 1, nl + 1 + size))
      offset = nl + 1 + size + 1
    }
    return out
  }

  /** Paths changed between two commits (`before` zero: every file of `after`). */
  changedPaths(before: string, after: string): string[] {
    if (after === ZERO_SHA) return []
    const text =
      before === ZERO_SHA
        ? this.text(['ls-tree', '-r', '--name-only', '-z', after])
        : this.text(['diff-tree', '-r', '--name-only', '--no-renames', '-z', before, after])
    return text.split('\0').filter((p) => p !== '')
  }

  /**
   * Writes a commit whose tree is `parent`'s (or empty) with `files` applied (text or bytes;
   * null deletes). Does not move any ref.
   */
  commit(opts: {
    parents: string[]
    files?: Record<string, string | Buffer | null>
    /** Use this tree instead of building one. */
    tree?: string
    message: string
    author: Identity
    committer?: Identity
  }): string {
    const tree = opts.tree ?? this.buildTree(opts.parents[0], opts.files ?? {})
    const committer = opts.committer ?? opts.author
    const now = new Date().toISOString()
    const env = {
      GIT_AUTHOR_NAME: opts.author.name,
      GIT_AUTHOR_EMAIL: opts.author.email,
      GIT_AUTHOR_DATE: opts.author.date ?? now,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: committer.date ?? opts.author.date ?? now,
    }
    const args = ['commit-tree', tree]
    for (const p of opts.parents) args.push('-p', p)
    return this.run(args, {
      input: opts.message.endsWith('\n') ? opts.message : `${opts.message}\n`,
      env,
    })
      .stdout.toString('utf8')
      .trim()
  }

  /**
   * Writes the tree of `base` (a commit or tree; none: empty) with `files` applied (text or
   * bytes as 100644 files; null deletes) and returns its id. Moves nothing.
   */
  buildTree(base: string | undefined, files: Record<string, string | Buffer | null>): string {
    const index = mkdtempSync(join(tmpdir(), 'gh-sandbox-index-'))
    try {
      const env = { GIT_INDEX_FILE: join(index, 'index') }
      if (base) this.run(['read-tree', base], { env })
      else this.run(['read-tree', '--empty'], { env })
      // One --index-info batch: mode 0 removes (--force-remove wants a work tree).
      const lines: string[] = []
      const written = Object.entries(files).filter(
        (e): e is [string, string | Buffer] => e[1] !== null,
      )
      for (const [path, content] of Object.entries(files))
        if (content === null) lines.push(`0 ${ZERO_SHA}\t${path}`)
      // One hash-object for all blobs: a seed of thousands of files is one process, not thousands.
      const blobFiles = written.map(([, content], n) => {
        const file = join(index, `blob-${n}`)
        writeFileSync(file, content)
        return file
      })
      const blobs = blobFiles.length
        ? this.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
            input: `${blobFiles.join('\n')}\n`,
          })
            .stdout.toString('utf8')
            .trim()
            .split('\n')
        : []
      written.forEach(([path], n) => lines.push(`100644 ${blobs[n]}\t${path}`))
      if (lines.length > 0)
        this.run(['update-index', '--index-info'], { input: `${lines.join('\n')}\n`, env })
      return this.run(['write-tree'], { env }).stdout.toString('utf8').trim()
    } finally {
      rmSync(index, { recursive: true, force: true })
    }
  }

  /**
   * `base` (a tree or a commit; none: empty) with `files` applied (bytes as 100644 files; null
   * deletes), rewriting only the trees on the changed paths, so the cost follows the change, not
   * the size of the repository: the caller reads those trees (`editTreeReads`) in its own batch,
   * and the new objects are written in-process.
   * Throws TreeEditError for a change that cannot be applied (a file where a directory is, a
   * directory under a file), and first MissingFileError for a deletion of a path that is not a
   * file (absent, a directory or a submodule).
   */
  editTree(
    base: string | undefined,
    files: Record<string, Buffer | null>,
    /** What `editTreeReads(base, files)` names, as read (CatFile.read); empty without a base. */
    existing: Map<string, { type: string; data: Buffer }>,
  ): string {
    const added = Object.entries(files).filter((e): e is [string, Buffer] => e[1] !== null)
    const blobOids = this.writeObjects(
      'blob',
      added.map(([, content]) => content),
    )
    const root: DirChange = { files: new Map(), dirs: new Map() }
    const place = (path: string, change: string | null) => {
      const parts = path.split('/')
      let node = root
      for (const part of parts.slice(0, -1)) {
        let next = node.dirs.get(part)
        if (!next) node.dirs.set(part, (next = { files: new Map(), dirs: new Map() }))
        node = next
      }
      node.files.set(parts[parts.length - 1]!, change)
    }
    for (const [path, content] of Object.entries(files)) if (content === null) place(path, null)
    added.forEach(([path], n) => place(path, blobOids[n]!))
    for (const [path, content] of Object.entries(files)) {
      if (content !== null) continue
      const slash = path.lastIndexOf('/')
      const parent = existing.get(`${base}:${slash < 0 ? '' : path.slice(0, slash)}`)
      const name = path.slice(slash + 1)
      const at =
        parent?.type === 'tree' ? treeEntries(parent.data).find((e) => e.path === name) : undefined
      if (!at || at.mode === '040000' || at.mode === '160000') throw new MissingFileError(path)
    }
    const written: Buffer[] = []
    const apply = (dir: string, change: DirChange): Buffer | undefined => {
      const old = existing.get(`${base}:${dir}`)
      if (old && old.type !== 'tree') throw new TreeEditError(`${dir} is a file, not a directory`)
      const entries = new Map<string, { mode: string; oid: string }>()
      for (const e of old ? treeEntries(old.data) : []) entries.set(e.path, e)
      const prefix = dir ? `${dir}/` : ''
      for (const [name, blob] of change.files) {
        if (entries.get(name)?.mode === '040000')
          throw new TreeEditError(`${prefix}${name} is a directory, not a file`)
        if (blob === null) entries.delete(name)
        else entries.set(name, { mode: '100644', oid: blob })
      }
      for (const [name, sub] of change.dirs) {
        const at = entries.get(name)
        if (at && at.mode !== '040000')
          throw new TreeEditError(`${prefix}${name} is a file, not a directory`)
        const tree = apply(`${prefix}${name}`, sub)
        if (tree) entries.set(name, { mode: '040000', oid: objectIdOf('tree', tree) })
        else entries.delete(name)
      }
      if (entries.size === 0) return undefined
      const tree = serializeTree(entries)
      written.push(tree)
      return tree
    }
    const top = apply('', root) ?? Buffer.alloc(0)
    if (!top.length) written.push(top)
    this.writeObjects('tree', written)
    return objectIdOf('tree', top)
  }

  /** Writes objects of one type; returns their ids in order. */
  private writeObjects(type: 'blob' | 'tree', contents: Buffer[]): string[] {
    return contents.map((content) => this.writeObject(type, content))
  }

  /**
   * Writes a loose object of `type` (e.g. a commit built by hand) and returns its id. Written
   * here as git writes one (zlib of "<type> <size>\0<content>", to a temporary file renamed into
   * objects/xx/): a process per object would cost more than the edit it serves.
   */
  writeObject(type: 'commit' | 'blob' | 'tree', content: string | Buffer): string {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    const header = Buffer.from(`${type} ${bytes.length}\0`)
    const oid = createHash('sha1').update(header).update(bytes).digest('hex')
    const dir = join(this.dir, 'objects', oid.slice(0, 2))
    const file = join(dir, oid.slice(2))
    if (existsSync(file)) return oid
    mkdirSync(dir, { recursive: true })
    const temp = join(dir, `tmp_obj_${process.pid}_${randomBytes(6).toString('hex')}`)
    writeFileSync(temp, deflateSync(Buffer.concat([header, bytes])), { mode: 0o444 })
    renameSync(temp, file)
    return oid
  }

  /** Compare-and-swap of a ref (`old` zero: must not exist). Returns false when it lost. */
  updateRef(ref: string, next: string, old: string): boolean {
    return this.run(['update-ref', ref, next, old], { allowFail: true }).code === 0
  }

  /** The tree a three-way merge of `ours` and `theirs` gives, or undefined on conflict. */
  mergeTree(ours: string, theirs: string): string | undefined {
    const r = this.run(['merge-tree', '--write-tree', '--no-messages', ours, theirs], {
      allowFail: true,
    })
    if (r.code !== 0) return undefined
    return r.stdout.toString('utf8').split('\n')[0]!.trim()
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return (
      this.run(['merge-base', '--is-ancestor', ancestor, descendant], { allowFail: true }).code ===
      0
    )
  }

  /** Commits in `head` not in `base`, oldest first. */
  revList(base: string, head: string): string[] {
    return this.text(['rev-list', '--reverse', head, '--not', base])
      .split('\n')
      .filter((s) => s !== '')
  }

  mergeBase(a: string, b: string): string | undefined {
    const r = this.run(['merge-base', a, b], { allowFail: true })
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined
  }

  treeOf(commit: string): string {
    return this.text(['rev-parse', `${commit}^{tree}`]).trim()
  }
}

const COMMIT_FORMAT = '%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e'

function parseCommits(text: string): GitCommit[] {
  const out: GitCommit[] = []
  for (const chunk of text.split('\x1e')) {
    const rec = chunk.replace(/^\n/, '')
    if (!rec) continue
    const [sha, tree, parents, an, ae, ad, cn, ce, cd, ...msg] = rec.split('\0')
    out.push({
      sha: sha!,
      tree: tree!,
      parents: parents ? parents.split(' ') : [],
      author: { name: an!, email: ae!, date: ad! },
      committer: { name: cn!, email: ce!, date: cd! },
      message: msg.join('\0').replace(/\n$/, ''),
    })
  }
  return out
}

export interface GitCommit {
  sha: string
  tree: string
  parents: string[]
  author: Required<Identity>
  committer: Required<Identity>
  message: string
}

/**
 * What editTree reads to apply `files` to `base` (a tree, or a commit: `<commit>:`
 * is its root tree): every directory on a changed path, in one batch.
 */
export function editTreeReads(base: string, files: Record<string, unknown>): string[] {
  const dirs = new Set([''])
  for (const path of Object.keys(files)) {
    const parts = path.split('/')
    for (let k = 1; k < parts.length; k++) dirs.add(parts.slice(0, k).join('/'))
  }
  return [...dirs].map((d) => `${base}:${d}`)
}

/** Changes under one directory: file name -> blob oid (null deletes), sub-directory -> its changes. */
interface DirChange {
  files: Map<string, string | null>
  dirs: Map<string, DirChange>
}

/** A raw tree's entries (`<mode> <name>\0<20-byte id>`), modes as 6 digits. */
function treeEntries(data: Buffer): Array<{ mode: string; oid: string; path: string }> {
  const out: Array<{ mode: string; oid: string; path: string }> = []
  let i = 0
  while (i < data.length) {
    const space = data.indexOf(0x20, i)
    const nul = data.indexOf(0, space)
    out.push({
      mode: data.subarray(i, space).toString('ascii').padStart(6, '0'),
      path: data.subarray(space + 1, nul).toString('utf8'),
      oid: data.subarray(nul + 1, nul + 21).toString('hex'),
    })
    i = nul + 21
  }
  return out
}

/** A tree object's bytes, entries in git's order (a directory sorts as if its name ended in '/'). */
function serializeTree(entries: Map<string, { mode: string; oid: string }>): Buffer {
  const key = (name: string, mode: string) => Buffer.from(mode === '040000' ? `${name}/` : name)
  const sorted = [...entries].sort(([a, x], [b, y]) =>
    Buffer.compare(key(a, x.mode), key(b, y.mode)),
  )
  return Buffer.concat(
    sorted.map(([name, e]) =>
      Buffer.concat([
        Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${name}\0`),
        Buffer.from(e.oid, 'hex'),
      ]),
    ),
  )
}

function objectIdOf(type: string, content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex')
}

/** A tree edit that cannot be applied. */
export class TreeEditError extends Error {}

/** A deletion of a path that is not a file in the base tree. */
export class MissingFileError extends TreeEditError {
  constructor(readonly path: string) {
    super(`${path} is not a file`)
  }
}

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  oid: string
  /** Bytes; 0 for trees and submodules. */
  size: number
  path: string
}

function parseLsTree(rec: string, long = true): TreeEntry | undefined {
  if (!rec) return undefined
  const tab = rec.indexOf('\t')
  const meta = rec.slice(0, tab).trim().split(/\s+/)
  const path = rec.slice(tab + 1)
  const [mode, type, oid, size] = meta
  return {
    mode: mode!,
    type: type as TreeEntry['type'],
    oid: oid!,
    size: long && size && size !== '-' ? Number(size) : 0,
    path,
  }
}

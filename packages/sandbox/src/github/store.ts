// In-memory state of the double: orgs, users, repositories, commits, statuses and tokens.
// Names are case-insensitive, as on GitHub; keys are lowercased, display names kept.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BareRepo, SEED_IDENTITY, ZERO_SHA, type GitCommit } from './git.js'
import { derivedSha, isoSeconds, nodeId, randomSha } from './ids.js'
import { createTokenRecord, type TokenRecord } from './tokens.js'
import type {
  CommitOptions,
  DeployKeyRecord,
  HookInput,
  HookRecord,
  OrgOptions,
  PushEvent,
  PushHandler,
  RepoModel,
  RepoOptions,
  StatusInput,
  StatusRecord,
  TokenSpec,
} from './types.js'

export interface OrgRecord extends Omit<OrgOptions, 'members' | 'publicMembers'> {
  login: string
  id: number
  /** Lowercased login -> display login, in the order given. */
  members: Map<string, string>
  /** Lowercased logins of members whose membership is public. */
  publicMembers: Set<string>
}

export interface UserRecord {
  login: string
  id: number
  type: 'User' | 'Organization' | 'Bot'
  createdAt: string
}

export interface CommitRecord {
  sha: string
  treeSha: string
  message: string
  author: string
  date: string
  parents: string[]
  /** Git-backed commits: identities as recorded in the commit object. */
  git?: GitCommit
}

export interface PullRecord {
  number: number
  id: number
  title: string
  body: string | null
  /** Branch names in this repository (cross-repo pulls are not modelled). */
  head: string
  base: string
  user: string
  draft: boolean
  state: 'open' | 'closed'
  merged: boolean
  mergedAt: string | null
  mergedBy: string | null
  mergeCommitSha: string | null
  /** Frozen when the pull request is closed or merged; live from the branch while open. */
  headSha: string
  baseSha: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
}

export interface RepoRecord extends RepoModel {
  commits: Map<string, CommitRecord>
  /** sha -> statuses in creation order */
  statuses: Map<string, StatusRecord[]>
  updatedAt: string
  hooks: HookRecord[]
  deployKeys: DeployKeyRecord[]
  /** Files of the default branch: path -> text. */
  files: Map<string, string>
  /** Refs created through the API outside refs/heads and refs/tags ('refs/x/y' -> sha). */
  otherRefs: Map<string, string>
  /** Set for git-backed repositories. */
  git?: BareRepo
  protectedBranches: Set<string>
  /** Branches whose updates must be verified commits, and how the rule is set. */
  signedCommitRules: Map<string, 'branch-protection' | 'ruleset'>
  /** Commits the sandbox signed (created through createCommitOnBranch): sha -> signature. */
  signatures: Map<string, CommitSignature>
  pulls: PullRecord[]
  pushHandlers: Set<PushHandler>
}

/** A commit GitHub signed with its web-flow key (the sandbox's stand-in signature). */
export interface CommitSignature {
  /** The armored signature as stored in the commit's gpgsig header. */
  signature: string
  /** The commit object without its gpgsig header: what was signed. */
  payload: string
  verifiedAt: string
}

/** The login behind a GitHub noreply address ('<id>+<login>@users.noreply.github.com'). */
function loginOf(email: string): string | undefined {
  return /^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$/i.exec(email)?.[1]
}

/** A relative path without empty, '.' or '..' segments. */
function isFilePath(path: string): boolean {
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..')
}

export const STATUS_STATES = ['error', 'failure', 'pending', 'success'] as const
const SHA_RE = /^[0-9a-f]{40}$/

export class Store {
  readonly orgs = new Map<string, OrgRecord>()
  readonly users = new Map<string, UserRecord>()
  readonly repos = new Map<string, RepoRecord>()
  readonly tokens = new Map<string, TokenRecord>()
  private nextId = 1
  private nextRepoId = 1_000_001
  private nextStatusId = 30_000_000_001
  private nextTokenId = 100_001
  private nextHookId = 400_000_001
  private nextKeyId = 90_000_001
  private nextPullId = 1_500_000_001
  private gitRoot: string | undefined
  /** Promises of asynchronous push handlers still running. */
  readonly pending = new Set<Promise<void>>()

  /** Safety net for a process that exits without stop(). */
  private readonly removeOnExit = (): void => this.dispose()

  /** GIT_PROJECT_ROOT: created on the first git-backed repository. */
  gitProjectRoot(): string {
    if (!this.gitRoot) {
      this.gitRoot = mkdtempSync(join(tmpdir(), 'gh-sandbox-git-'))
      process.once('exit', this.removeOnExit)
    }
    return this.gitRoot
  }

  /** Ends their readers and removes the bare repositories. */
  dispose(): void {
    process.off('exit', this.removeOnExit)
    for (const repo of this.repos.values()) repo.git?.close()
    if (this.gitRoot) rmSync(this.gitRoot, { recursive: true, force: true })
    this.gitRoot = undefined
  }

  /** Path of a repository under GIT_PROJECT_ROOT (lowercased, as names are case-insensitive). */
  static gitPath(fullName: string): string {
    return `${fullName.toLowerCase()}.git`
  }

  addOrg(login: string, opts: OrgOptions = {}): OrgRecord {
    const account = this.account(login, 'Organization')
    const { members = [], publicMembers = [], ...policies } = opts
    const org: OrgRecord = {
      ...policies,
      login: account.login,
      id: account.id,
      members: new Map(),
      publicMembers: new Set(),
    }
    for (const m of [...members, ...publicMembers]) {
      const user = this.account(m)
      org.members.set(m.toLowerCase(), user.login)
    }
    for (const m of publicMembers) org.publicMembers.add(m.toLowerCase())
    this.orgs.set(login.toLowerCase(), org)
    return org
  }

  org(login: string): OrgRecord | undefined {
    return this.orgs.get(login.toLowerCase())
  }

  /** Users are created on first mention, so any login can act or own repos. */
  account(login: string, type: UserRecord['type'] = 'User'): UserRecord {
    const key = login.toLowerCase()
    let user = this.users.get(key)
    if (!user) {
      user = { login, id: this.nextId++, type, createdAt: isoSeconds() }
      this.users.set(key, user)
    } else if (type === 'Organization') {
      user.type = 'Organization'
    }
    return user
  }

  addRepo(fullName: string, opts: RepoOptions = {}): RepoRecord {
    const [owner, name, ...rest] = fullName.split('/')
    if (!owner || !name || rest.length > 0)
      throw new Error(`addRepo: expected "owner/name", got "${fullName}"`)
    if (this.repos.has(fullName.toLowerCase()))
      throw new Error(`addRepo: ${fullName} already exists`)
    const ownerAccount = this.account(owner)
    const now = isoSeconds()
    const repo: RepoRecord = {
      id: this.nextRepoId++,
      owner: ownerAccount.login,
      name,
      fullName: `${ownerAccount.login}/${name}`,
      private: opts.private ?? true,
      defaultBranch: opts.defaultBranch ?? 'main',
      branches: new Map(),
      tags: new Map(),
      createdAt: now,
      updatedAt: now,
      commits: new Map(),
      statuses: new Map(),
      hooks: [],
      deployKeys: [],
      files: new Map(Object.entries(opts.files ?? { 'README.md': `# ${name}\n` })),
      otherRefs: new Map(),
      protectedBranches: new Set(),
      signedCommitRules: new Map(),
      signatures: new Map(),
      pulls: [],
      pushHandlers: new Set(),
    }
    for (const path of repo.files.keys())
      if (!isFilePath(path)) throw new Error(`addRepo: invalid file path "${path}"`)
    if (opts.git) {
      const root = this.gitProjectRoot()
      const dir = join(root, Store.gitPath(repo.fullName))
      mkdirSync(join(dir, '..'), { recursive: true })
      repo.git = BareRepo.init(dir, root, repo.defaultBranch)
      const sha = repo.git.commit({
        parents: [],
        files: Object.fromEntries(repo.files),
        message: 'Initial commit',
        author: SEED_IDENTITY,
      })
      repo.git.updateRef(`refs/heads/${repo.defaultBranch}`, sha, ZERO_SHA)
    }
    // A repository added again replaces the old one: its reader goes with it.
    this.repos.get(fullName.toLowerCase())?.git?.close()
    this.repos.set(fullName.toLowerCase(), repo)
    if (repo.git) this.syncFromGit(repo, 'seed')
    return repo
  }

  /** Adds commits read from (or just written to) the bare repository to the model, parents first. */
  private recordCommits(repo: RepoRecord, commits: GitCommit[]): void {
    for (const c of commits) {
      repo.commits.set(c.sha, {
        sha: c.sha,
        treeSha: c.tree,
        message: c.message,
        author: loginOf(c.author.email) ?? c.author.name,
        date: isoSeconds(c.author.date),
        parents: c.parents,
        git: c,
      })
    }
  }

  /**
   * Brings branches, tags, other refs and commits of the model in line with the bare
   * repository; emits a PushEvent per moved ref. Synchronous, so calls never interleave.
   */
  syncFromGit(
    repo: RepoRecord,
    source: PushEvent['source'],
    pusher?: string,
    /**
     * A ref the caller has just moved itself (update-ref from `from` succeeded) to a commit it
     * wrote: when the model had the ref at `from` too, that move alone is synced, without a git
     * process; whatever else moved on disk meanwhile (a push whose own sync is still to run) is
     * caught up by that sync. When the model lags (it had another value), everything is read
     * from git.
     */
    moved?: { ref: string; from: string; commit: GitCommit },
  ): PushEvent[] {
    const git = repo.git
    if (!git) return []
    const before = this.refs(repo)
    const inStep = moved !== undefined && before.get(moved.ref) === moved.from
    if (inStep) this.recordCommits(repo, [moved.commit])
    const after = inStep ? new Map(before).set(moved.ref, moved.commit.sha) : git.refs()
    const known = [...new Set(before.values())].filter((sha) => repo.commits.has(sha))
    const tips = [...new Set(after.values())].filter((sha) => !repo.commits.has(sha))
    // Oldest first, so parents are in the map before children.
    this.recordCommits(repo, git.commits(tips, known).reverse())
    repo.branches.clear()
    repo.tags.clear()
    repo.otherRefs.clear()
    for (const [ref, sha] of after) this.createRef(repo, ref, sha)
    const events: PushEvent[] = []
    for (const ref of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(ref) ?? ZERO_SHA
      const now = after.get(ref) ?? ZERO_SHA
      if (was === now) continue
      events.push({
        repo: repo.fullName,
        ref,
        before: was,
        after: now,
        source,
        ...(pusher ? { pusher } : {}),
      })
    }
    if (events.length > 0) repo.updatedAt = isoSeconds()
    for (const event of events) this.emitPush(repo, event)
    return events
  }

  private emitPush(repo: RepoRecord, event: PushEvent): void {
    for (const handler of repo.pushHandlers) {
      let result: void | Promise<void>
      try {
        result = handler(event)
      } catch (err) {
        console.error('github sandbox: push handler failed', err)
        continue
      }
      if (result instanceof Promise) {
        const p: Promise<void> = result
          .catch((err: unknown) => console.error('github sandbox: push handler failed', err))
          .finally(() => this.pending.delete(p))
        this.pending.add(p)
      }
    }
  }

  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase())
  }

  repoById(id: number): RepoRecord | undefined {
    for (const repo of this.repos.values()) if (repo.id === id) return repo
    return undefined
  }

  mustRepo(fullName: string): RepoRecord {
    const repo = this.repo(fullName)
    if (!repo) throw new Error(`unknown repository ${fullName}: call addRepo first`)
    return repo
  }

  addCommit(fullName: string, opts: CommitOptions = {}): string {
    const repo = this.mustRepo(fullName)
    if (repo.git) return this.addGitCommit(repo, opts)
    if (opts.files) throw new Error('addCommit: `files` needs a git-backed repository')
    const sha = (opts.sha ?? randomSha()).toLowerCase()
    if (!SHA_RE.test(sha))
      throw new Error(`addCommit: sha must be 40 hex characters, got "${opts.sha}"`)
    const branch = opts.branch ?? repo.defaultBranch
    const parent = repo.branches.get(branch)
    const author = opts.author ?? 'octocat'
    this.account(author)
    repo.commits.set(sha, {
      sha,
      treeSha: derivedSha('tree', sha),
      message: opts.message ?? `Commit ${repo.commits.size + 1}`,
      author,
      date: isoSeconds(opts.date ?? new Date()),
      parents: parent ? [parent] : [],
    })
    repo.branches.set(branch, sha)
    if (opts.tag) repo.tags.set(opts.tag, sha)
    repo.updatedAt = isoSeconds()
    return sha
  }

  private addGitCommit(repo: RepoRecord, opts: CommitOptions): string {
    const git = repo.git!
    if (opts.sha) throw new Error('addCommit: a git-backed repository cannot take a chosen sha')
    const branch = opts.branch ?? repo.defaultBranch
    const parent = repo.branches.get(branch)
    // A new branch starts from the default branch, as `git switch -c` would.
    const base = parent ?? repo.branches.get(repo.defaultBranch)
    const login = opts.author ?? 'octocat'
    const user = this.account(login)
    const sha = git.commit({
      parents: base ? [base] : [],
      files: opts.files ?? {},
      message: opts.message ?? `Commit ${repo.commits.size + 1}`,
      author: {
        name: login,
        email: `${user.id}+${login}@users.noreply.github.com`,
        date: isoSeconds(opts.date ?? new Date()),
      },
    })
    if (!git.updateRef(`refs/heads/${branch}`, sha, parent ?? ZERO_SHA))
      throw new Error(`addCommit: ${branch} moved concurrently`)
    if (opts.tag) git.updateRef(`refs/tags/${opts.tag}`, sha, '')
    this.syncFromGit(repo, 'api', login)
    return sha
  }

  /** Adds a commit to a model-only repository without moving any ref (for Argo CD statuses). */
  ensureCommit(repo: RepoRecord, sha: string): void {
    const key = sha.toLowerCase()
    if (repo.commits.has(key)) return
    this.account('octocat')
    repo.commits.set(key, {
      sha: key,
      treeSha: derivedSha('tree', key),
      message: `Commit ${key.slice(0, 7)}`,
      author: 'octocat',
      date: isoSeconds(),
      parents: [],
    })
  }

  /** Creates a pull request record; the caller has validated it. */
  addPull(
    repo: RepoRecord,
    input: Pick<PullRecord, 'title' | 'body' | 'head' | 'base' | 'user' | 'draft'>,
  ): PullRecord {
    const now = isoSeconds()
    const pull: PullRecord = {
      ...input,
      number: repo.pulls.length + 1,
      id: this.nextPullId++,
      state: 'open',
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      headSha: repo.branches.get(input.head) ?? ZERO_SHA,
      baseSha: repo.branches.get(input.base) ?? ZERO_SHA,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    }
    this.account(input.user)
    repo.pulls.push(pull)
    return pull
  }

  /**
   * Resolves what GitHub accepts as {ref}: a full sha, a unique sha prefix (7+), a branch,
   * a tag, or heads/<b>, tags/<t>, refs/heads/<b>, refs/tags/<t>.
   */
  resolveRef(repo: RepoRecord, ref: string): CommitRecord | undefined {
    const lower = ref.toLowerCase()
    if (SHA_RE.test(lower)) return repo.commits.get(lower)
    // GitHub resolves HEAD to the default branch (api.github.com/repos/o/r/commits/HEAD).
    if (ref === 'HEAD') return this.resolveRef(repo, repo.defaultBranch)
    const named = (name: string): string | undefined => {
      const m = /^(?:refs\/)?(heads|tags)\/(.+)$/.exec(name)
      if (m) return m[1] === 'heads' ? repo.branches.get(m[2]!) : repo.tags.get(m[2]!)
      return repo.branches.get(name) ?? repo.tags.get(name)
    }
    const sha = named(ref)
    if (sha) return repo.commits.get(sha)
    if (/^[0-9a-f]{7,39}$/.test(lower)) {
      const matches = [...repo.commits.keys()].filter((s) => s.startsWith(lower))
      if (matches.length === 1) return repo.commits.get(matches[0]!)
    }
    return undefined
  }

  addToken(spec: TokenSpec): TokenRecord {
    const record = createTokenRecord(spec, this.nextTokenId++)
    if (this.tokens.has(record.value))
      throw new Error('addToken: a token with this value already exists')
    if (record.login) this.account(record.login)
    if (record.appSlug) this.account(`${record.appSlug}[bot]`, 'Bot')
    this.tokens.set(record.value, record)
    return record
  }

  addHook(repo: RepoRecord, input: HookInput): HookRecord {
    const now = isoSeconds()
    const hook: HookRecord = {
      id: this.nextHookId++,
      name: 'web',
      active: input.active ?? true,
      events: input.events && input.events.length > 0 ? [...input.events] : ['push'],
      config: {
        url: input.url,
        content_type: input.contentType ?? 'form',
        insecure_ssl: input.insecureSsl ?? '0',
        ...(input.secret !== undefined ? { secret: input.secret } : {}),
      },
      created_at: now,
      updated_at: now,
    }
    repo.hooks.push(hook)
    return hook
  }

  addDeployKey(
    repo: RepoRecord,
    input: { key: string; title: string; readOnly: boolean; addedBy: string },
  ): DeployKeyRecord {
    const record: DeployKeyRecord = {
      id: this.nextKeyId++,
      key: input.key,
      title: input.title,
      read_only: input.readOnly,
      created_at: isoSeconds(),
      added_by: input.addedBy,
    }
    repo.deployKeys.push(record)
    return record
  }

  /** Every ref of the repository, fully qualified. */
  refs(repo: RepoRecord): Map<string, string> {
    const out = new Map<string, string>()
    for (const [b, sha] of repo.branches) out.set(`refs/heads/${b}`, sha)
    for (const [t, sha] of repo.tags) out.set(`refs/tags/${t}`, sha)
    for (const [r, sha] of repo.otherRefs) out.set(r, sha)
    return out
  }

  /** Creates a fully qualified ref; the caller has validated the name and the object. */
  createRef(repo: RepoRecord, ref: string, sha: string): void {
    const heads = /^refs\/heads\/(.+)$/.exec(ref)
    const tags = /^refs\/tags\/(.+)$/.exec(ref)
    if (heads) repo.branches.set(heads[1]!, sha)
    else if (tags) repo.tags.set(tags[1]!, sha)
    else repo.otherRefs.set(ref, sha)
  }

  addStatus(repo: RepoRecord, sha: string, s: StatusInput): StatusRecord {
    const key = sha.toLowerCase()
    const creator = this.account(s.creator ?? 'octocat')
    const created = isoSeconds(s.created_at ?? new Date())
    const id = this.nextStatusId++
    const record: StatusRecord = {
      id,
      node_id: nodeId('SC', id),
      sha: key,
      state: s.state,
      context: s.context ?? 'default',
      description: s.description ?? null,
      target_url: s.target_url ?? null,
      created_at: created,
      updated_at: created,
      creator: creator.login,
    }
    const list = repo.statuses.get(key) ?? []
    list.push(record)
    repo.statuses.set(key, list)
    return record
  }

  /** Newest first: by created_at, then by id for statuses created in the same second. */
  statusesNewestFirst(repo: RepoRecord, sha: string): StatusRecord[] {
    const list = repo.statuses.get(sha.toLowerCase()) ?? []
    return [...list].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
  }
}

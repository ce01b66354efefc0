// The GraphQL objects the sandbox executes, read from the same bare repositories git serves.
// Each object is a plain record whose keys are the schema's field names (values, or functions
// of the field's arguments); a field without a key is an error "not modelled by the sandbox"
// (endpoint.ts fieldResolver), never a silent null. Git objects are read through one batch per
// request (batch.ts): a query costs a few processes, whatever the number of fields.
import type { GitCommit, TreeEntry } from '../git.js'
import { legacyNodeId } from '../ids.js'
import type { RepoRecord, Store } from '../store.js'
import type { TokenRecord } from '../tokens.js'
import { requireContents } from './access.js'
import { ObjectBatch, parseTree, type GitObjectData } from './batch.js'

/** What every resolver of one request shares: who asks, and the request's git reader. */
export interface GraphqlContext {
  store: Store
  token: TokenRecord
  /** REST base (http://127.0.0.1:port), for the `url` fields. */
  api: string
  /** One batch reader per repository for this request. */
  batches: Map<RepoRecord, ObjectBatch>
}

export type GqlObject = { __typename: string } & Record<string, unknown>

const HTML = 'https://github.com'
/** GitHub truncates Blob.text at 512,000 bytes and says so in isTruncated (observed). */
export const BLOB_TEXT_LIMIT = 512_000
/** git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
const isBinary = (data: Buffer): boolean => data.subarray(0, 8000).includes(0)

function batchOf(ctx: GraphqlContext, repo: RepoRecord): ObjectBatch {
  let batch = ctx.batches.get(repo)
  if (!batch) {
    batch = new ObjectBatch(repo.git!)
    ctx.batches.set(repo, batch)
  }
  return batch
}

export function repositoryObject(ctx: GraphqlContext, repo: RepoRecord): GqlObject {
  return {
    __typename: 'Repository',
    id: legacyNodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.private,
    url: `${HTML}/${repo.fullName}`,
    defaultBranchRef: () => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'defaultBranchRef')
      return refObject(ctx, repo, `refs/heads/${repo.defaultBranch}`)
    },
    /** GitHub takes a qualified name or a bare branch (then tag) name; unknown: null. */
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'ref')
      const candidates = qualifiedName.startsWith('refs/')
        ? [qualifiedName]
        : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`]
      const found = await Promise.all(candidates.map((name) => refObject(ctx, repo, name)))
      return found.find((r) => r !== null) ?? null
    },
    object: async ({ expression, oid }: { expression?: string | null; oid?: string | null }) => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'object')
      const wanted = oid ?? expression
      if (!wanted || !repo.git) return null
      const found = await batchOf(ctx, repo).load(wanted)
      if (!found) return null
      // "<rev>:<path>" names an object at a path: its entries' paths continue from there.
      const colon = oid ? -1 : wanted.indexOf(':')
      const path = colon < 0 ? undefined : wanted.slice(colon + 1).replace(/\/+$/, '')
      return objectFrom(ctx, repo, found, path)
    },
  }
}

/** A ref by its qualified name, or null when it does not exist. */
export async function refObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  qualified: string,
): Promise<GqlObject | null> {
  if (!repo.git || !/^refs\/(heads|tags)\/./.test(qualified)) return null
  const target = await batchOf(ctx, repo).load(`${qualified}^{commit}`)
  if (!target) return null
  const prefix = qualified.startsWith('refs/heads/') ? 'refs/heads/' : 'refs/tags/'
  return {
    __typename: 'Ref',
    id: refNodeId(repo, qualified),
    name: qualified.slice(prefix.length),
    prefix,
    target: () => objectFrom(ctx, repo, target),
    repository: () => repositoryObject(ctx, repo),
  }
}

/** A Ref's node id; `parseRefNodeId` reads it back (CommittableBranch.id). */
export function refNodeId(repo: RepoRecord, qualified: string): string {
  return `REF_${Buffer.from(`${repo.id}:${qualified}`).toString('base64url')}`
}

export function parseRefNodeId(id: string): { repoId: number; qualified: string } | undefined {
  const m = /^REF_([A-Za-z0-9_-]+)$/.exec(id)
  if (!m) return undefined
  const decoded = /^(\d+):(refs\/heads\/.+)$/.exec(Buffer.from(m[1]!, 'base64url').toString())
  return decoded ? { repoId: Number(decoded[1]), qualified: decoded[2]! } : undefined
}

/** A git object as read; `path` is where it sits in the tree (for TreeEntry.path), if known. */
export function objectFrom(
  ctx: GraphqlContext,
  repo: RepoRecord,
  o: GitObjectData,
  path?: string,
): GqlObject {
  switch (o.type) {
    case 'commit':
      return commitObject(ctx, repo, repo.commits.get(o.oid)?.git ?? parseCommit(o))
    case 'tree':
      return treeObject(ctx, repo, o.oid, path)
    case 'blob':
      return blobObject(ctx, repo, o.oid)
    default:
      // Annotated tags: outside the subset (their fields answer "not modelled").
      return { __typename: 'Tag' }
  }
}

/** A commit of the model (every commit on a ref is there after syncFromGit). */
export function knownCommit(ctx: GraphqlContext, repo: RepoRecord, sha: string): GqlObject | null {
  const c = repo.commits.get(sha)?.git
  return c ? commitObject(ctx, repo, c) : null
}

/** A raw commit object: headers, a blank line, the message. */
function parseCommit(o: GitObjectData): GitCommit {
  const text = o.data.toString('utf8')
  const split = text.indexOf('\n\n')
  const head = split < 0 ? text : text.slice(0, split)
  const message = split < 0 ? '' : text.slice(split + 2).replace(/\n$/, '')
  const parents: string[] = []
  let tree = ''
  const who: Pick<GitCommit, 'author' | 'committer'> = {
    author: { name: '', email: '', date: '' },
    committer: { name: '', email: '', date: '' },
  }
  for (const line of head.split('\n')) {
    const space = line.indexOf(' ')
    const key = line.slice(0, space)
    const value = line.slice(space + 1)
    if (key === 'tree') tree = value
    else if (key === 'parent') parents.push(value)
    else if (key === 'author' || key === 'committer') {
      const m = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(value)
      if (m)
        who[key] = {
          name: m[1]!,
          email: m[2]!,
          date: new Date(Number(m[3]) * 1000).toISOString(),
        }
    }
  }
  return { sha: o.oid, tree, parents, ...who, message }
}

function common(repo: RepoRecord, type: string, oid: string): Record<string, unknown> {
  return {
    oid,
    abbreviatedOid: oid.slice(0, 7),
    id: legacyNodeId(type, `${repo.id}:${oid}`),
    commitUrl: `${HTML}/${repo.fullName}/commit/${oid}`,
    commitResourcePath: `/${repo.fullName}/commit/${oid}`,
  }
}

function actor(who: GitCommit['author']): GqlObject {
  return { __typename: 'GitActor', name: who.name, email: who.email, date: who.date }
}

function commitObject(ctx: GraphqlContext, repo: RepoRecord, c: GitCommit): GqlObject {
  const [headline, ...rest] = c.message.split('\n')
  const signed = repo.signatures.get(c.sha)
  return {
    __typename: 'Commit',
    ...common(repo, 'Commit', c.sha),
    url: `${HTML}/${repo.fullName}/commit/${c.sha}`,
    message: c.message,
    messageHeadline: headline ?? '',
    messageBody: rest.join('\n').replace(/^\n+/, ''),
    author: actor(c.author),
    committer: actor(c.committer),
    authoredDate: c.author.date,
    committedDate: c.committer.date,
    committedViaWeb: signed !== undefined,
    authoredByCommitter: c.author.name === c.committer.name && c.author.email === c.committer.email,
    tree: () => treeObject(ctx, repo, c.tree, ''),
    parents: async () => {
      const nodes = await Promise.all(c.parents.map((p) => batchOf(ctx, repo).load(p)))
      return {
        __typename: 'CommitConnection',
        totalCount: c.parents.length,
        nodes: nodes.map((o) => (o ? objectFrom(ctx, repo, o) : null)),
      }
    },
    file: async ({ path }: { path: string }) => {
      const clean = path.replace(/^\/+|\/+$/g, '')
      if (!clean) return null
      const slash = clean.lastIndexOf('/')
      const dir = slash < 0 ? '' : clean.slice(0, slash)
      const tree = await batchOf(ctx, repo).load(`${c.sha}:${dir}`)
      const name = clean.slice(slash + 1)
      const e =
        tree?.type === 'tree' ? parseTree(tree.data).find((x) => x.path === name) : undefined
      return e ? treeEntryObject(ctx, repo, e, dir) : null
    },
    signature: signed
      ? {
          // The web-flow key's signature: valid, and GitHub's own.
          __typename: 'GpgSignature',
          isValid: true,
          state: 'VALID',
          wasSignedByGitHub: true,
          email: 'noreply@github.com',
          keyId: 'B5690EEEBB952194',
          signature: signed.signature,
          payload: signed.payload,
          signer: null,
        }
      : null,
    repository: () => repositoryObject(ctx, repo),
  }
}

function treeObject(ctx: GraphqlContext, repo: RepoRecord, oid: string, path?: string): GqlObject {
  return {
    __typename: 'Tree',
    ...common(repo, 'Tree', oid),
    // One level per tree: a root tree's whole listing would cost the size of the repository.
    entries: async () => {
      const tree = await batchOf(ctx, repo).load(oid)
      return tree ? parseTree(tree.data).map((e) => treeEntryObject(ctx, repo, e, path)) : null
    },
    repository: () => repositoryObject(ctx, repo),
  }
}

function treeEntryObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  e: TreeEntry,
  dir: string | undefined,
): GqlObject {
  const full = dir === undefined ? undefined : dir ? `${dir}/${e.path}` : e.path
  const dot = e.path.lastIndexOf('.')
  return {
    __typename: 'TreeEntry',
    name: e.path,
    nameRaw: Buffer.from(e.path).toString('base64'),
    path: full ?? null,
    pathRaw: full === undefined ? null : Buffer.from(full).toString('base64'),
    // GraphQL gives git's octal modes as decimal numbers (100644 -> 33188).
    mode: Number.parseInt(e.mode, 8),
    type: e.type,
    oid: e.oid,
    size: async () =>
      e.type === 'blob' ? ((await batchOf(ctx, repo).load(e.oid))?.data.length ?? 0) : 0,
    extension: e.type === 'blob' && dot > 0 ? e.path.slice(dot) : null,
    object: () => {
      if (e.type === 'tree') return treeObject(ctx, repo, e.oid, full)
      if (e.type === 'blob') return blobObject(ctx, repo, e.oid)
      return null // a submodule's commit is not in this repository
    },
    repository: () => repositoryObject(ctx, repo),
  }
}

/** A blob; its bytes are read (with whatever else this step asks for) when first asked. */
function blobObject(ctx: GraphqlContext, repo: RepoRecord, oid: string): GqlObject {
  const data = async (): Promise<Buffer> =>
    (await batchOf(ctx, repo).load(oid))?.data ?? Buffer.alloc(0)
  return {
    __typename: 'Blob',
    ...common(repo, 'Blob', oid),
    byteSize: async () => (await data()).length,
    isBinary: async () => isBinary(await data()),
    isTruncated: async () => (await data()).length > BLOB_TEXT_LIMIT,
    text: async () => {
      const bytes = await data()
      if (isBinary(bytes)) return null
      return bytes.subarray(0, BLOB_TEXT_LIMIT).toString('utf8')
    },
    repository: () => repositoryObject(ctx, repo),
  }
}

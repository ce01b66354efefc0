// createCommitOnBranch: a compare-and-swap on the branch (expectedHeadOid), file additions
// (base64) and deletions, a commit authored as the token's user or app bot, committed and signed
// by "GitHub" (web-flow), written with git plumbing into the bare repository the smart-HTTP side
// serves, so a fetch sees it and the same onPush handlers fire.
import { createHash } from 'node:crypto'
import {
  editTreeReads,
  MissingFileError,
  TreeEditError,
  WEB_COMMITTER,
  type GitCommit,
  type Identity,
} from '../git.js'
import { actorOf } from '../git-http.js'
import { isoSeconds } from '../ids.js'
import type { RepoRecord } from '../store.js'
import { requireContents, visibleRepo } from './access.js'
import { GraphqlFieldError } from './errors.js'
import {
  knownCommit,
  parseRefNodeId,
  refObject,
  type GqlObject,
  type GraphqlContext,
} from './objects.js'

export interface CreateCommitOnBranchInput {
  branch: {
    repositoryNameWithOwner?: string | null
    branchName?: string | null
    id?: string | null
  }
  clientMutationId?: string | null
  expectedHeadOid: string
  fileChanges?: {
    additions?: Array<{ path: string; contents: string }> | null
    deletions?: Array<{ path: string }> | null
  } | null
  message: { headline: string; body?: string | null }
}

const OID = /^[0-9a-f]{40}$/

/** RFC 4648 base64 with its padding, as the schema's FileChanges documentation demands. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const unprocessable = (message: string) => new GraphqlFieldError('UNPROCESSABLE', message)

export async function createCommitOnBranch(
  ctx: GraphqlContext,
  input: CreateCommitOnBranchInput,
): Promise<GqlObject> {
  const { repo, branch } = targetBranch(ctx, input.branch)
  requireContents(ctx.store, ctx.token, repo, 'write', 'createCommitOnBranch')
  const git = repo.git
  if (!git)
    throw new Error('createCommitOnBranch needs a git-backed repository (addRepo git: true)')
  const ref = `refs/heads/${branch}`
  const expected = input.expectedHeadOid.toLowerCase()
  // Checked now (the read needs the paths), refused after the branch checks: a stale head is
  // what a client must hear first.
  let files: Record<string, Buffer | null> = {}
  let invalid: GraphqlFieldError | undefined
  try {
    files = fileChanges(input)
  } catch (err) {
    if (!(err instanceof GraphqlFieldError)) throw err
    invalid = err
  }
  // One read: the tip, and the trees the edit needs taken from the expected head, so they are
  // that commit's whatever moves meanwhile (the edit is used only when the tip is that commit,
  // and update-ref swaps only from it, so a request running in between cannot mix in). A ':'
  // cannot be in a branch name: none is looked up.
  const wanted = branch.includes(':')
    ? []
    : [ref, ...(OID.test(expected) ? editTreeReads(expected, files) : [])]
  const found = await git.reader.read(wanted)
  const read = new Map(wanted.flatMap((e, n) => (found[n] ? [[e, found[n]]] : [])))
  const tip = read.get(ref)
  const head = tip?.type === 'commit' ? tip.oid : undefined
  // Guessed wording: GitHub's answer for a branch that does not exist is not recorded here.
  if (!tip || !head)
    throw new GraphqlFieldError('NOT_FOUND', `Could not resolve to a Ref with the name '${ref}'.`)
  if (head !== expected) throw staleHead(input.expectedHeadOid)
  if (repo.protectedBranches.has(branch))
    // Guessed wording, modelled on the push's GH006 answer (protectBranch requires pull requests).
    throw unprocessable(
      `Protected branch update failed for ${ref}. Changes must be made through a pull request.`,
    )

  if (invalid) throw invalid
  let tree: string
  try {
    tree = git.editTree(head, files, read)
  } catch (err) {
    if (err instanceof MissingFileError)
      // Observed wording; the type is a guess.
      throw unprocessable(
        `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
      )
    if (!(err instanceof TreeEditError)) throw err
    // Guessed wording: a file added where a directory is, or under a file.
    throw unprocessable(`The file changes cannot be applied: ${err.message}.`)
  }
  const message = input.message.body
    ? `${input.message.headline}\n\n${input.message.body}`
    : input.message.headline
  const commit = writeSignedCommit(repo, tree, head, authorOf(ctx), message)
  // The compare-and-swap itself: a push between the check above and here loses us the race.
  if (!git.updateRef(ref, commit.sha, head)) throw staleHead(input.expectedHeadOid)
  // The model learns the commit and the ref from what was just written: no git process when
  // it was in step.
  ctx.store.syncFromGit(repo, 'api', actorOf(ctx.token), { ref, from: head, commit })
  const sha = commit.sha
  return {
    __typename: 'CreateCommitOnBranchPayload',
    clientMutationId: input.clientMutationId ?? null,
    commit: knownCommit(ctx, repo, sha),
    ref: () => refObject(ctx, repo, ref),
  }
}

/** GitHub's answer to a stale expectedHeadOid (observed: type STALE_DATA, two spaces). */
function staleHead(expected: string): GraphqlFieldError {
  return new GraphqlFieldError(
    'STALE_DATA',
    `Expected branch to point to "${expected}" but it did not.  Pull and try again.`,
  )
}

function targetBranch(
  ctx: GraphqlContext,
  b: CreateCommitOnBranchInput['branch'],
): { repo: RepoRecord; branch: string } {
  if (b.id) {
    const parsed = parseRefNodeId(b.id)
    const repo = parsed ? ctx.store.repoById(parsed.repoId) : undefined
    // Guessed wording (GitHub's for an unknown node id).
    if (!parsed || !repo)
      throw new GraphqlFieldError(
        'NOT_FOUND',
        `Could not resolve to a node with the global id of '${b.id}'`,
      )
    visibleRepo(ctx.store, ctx.token, repo.fullName)
    return { repo, branch: parsed.qualified.slice('refs/heads/'.length) }
  }
  if (!b.repositoryNameWithOwner || !b.branchName)
    // Guessed wording.
    throw unprocessable(
      'A branch must be given by id, or by repositoryNameWithOwner and branchName.',
    )
  const repo = visibleRepo(ctx.store, ctx.token, b.repositoryNameWithOwner)
  return { repo, branch: b.branchName.replace(/^refs\/heads\//, '') }
}

/** The changes as BareRepo.editTree takes them, checked as GitHub documents. */
function fileChanges(input: CreateCommitOnBranchInput): Record<string, Buffer | null> {
  const additions = input.fileChanges?.additions ?? []
  const deletions = input.fileChanges?.deletions ?? []
  const out: Record<string, Buffer | null> = {}
  const seen = new Set<string>()
  for (const { path } of [...additions, ...deletions]) {
    // Guessed wordings for a bad or repeated path (the schema documents both as errors).
    if (!isRepoPath(path)) throw unprocessable(`The path "${path}" is not a valid file path.`)
    if (seen.has(path))
      throw unprocessable(`The path "${path}" appears more than once in the file changes.`)
    seen.add(path)
  }
  // Whether each deletion names a file is checked against the tree (editTree).
  for (const { path } of deletions) out[path] = null
  for (const { path, contents } of additions) {
    // Guessed wording; the rule (RFC 4648, padding required) is documented on FileChanges.
    if (!BASE64.test(contents))
      throw unprocessable(`The contents of "${path}" are not valid base64.`)
    out[path] = Buffer.from(contents, 'base64')
  }
  return out
}

/** Unix separators, no leading slash, no empty, '.', '..' or '.git' segment. */
function isRepoPath(path: string): boolean {
  if (path === '' || path.includes('\0')) return false
  return path
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git')
}

/** The token's user, or for an installation token the app's bot, with GitHub's noreply email. */
function authorOf(ctx: GraphqlContext): Identity {
  const name = actorOf(ctx.token)
  const account = ctx.store.account(name, ctx.token.kind === 'installation' ? 'Bot' : 'User')
  return { name, email: `${account.id}+${name}@users.noreply.github.com` }
}

/**
 * A commit object with a gpgsig header, written by hand: the sandbox's stand-in for the
 * web-flow signature (not a real PGP signature; what counts is that the sandbox records it as
 * verified, as GitHub does for the commits it signs).
 */
function writeSignedCommit(
  repo: RepoRecord,
  tree: string,
  parent: string,
  author: Identity,
  message: string,
): GitCommit {
  const seconds = Math.floor(Date.now() / 1000)
  const stamp = `${seconds} +0000`
  const payload =
    `tree ${tree}\nparent ${parent}\n` +
    `author ${author.name} <${author.email}> ${stamp}\n` +
    `committer ${WEB_COMMITTER.name} <${WEB_COMMITTER.email}> ${stamp}\n\n${message}\n`
  const digest = createHash('sha256').update(payload).digest('base64')
  const signature = [
    '-----BEGIN PGP SIGNATURE-----',
    '',
    `wsBcBAABCAAQBQJsandbox${digest}`,
    '=sbox',
    '-----END PGP SIGNATURE-----',
  ].join('\n')
  const header = `gpgsig ${signature.split('\n').join('\n ')}\n`
  const [head, body] = [
    payload.slice(0, payload.indexOf('\n\n') + 1),
    payload.slice(payload.indexOf('\n\n') + 1),
  ]
  const sha = repo.git!.writeObject('commit', `${head}${header}${body}`)
  repo.signatures.set(sha, { signature, payload, verifiedAt: isoSeconds() })
  // As `git log --format=%aI` gives the date.
  const date = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
  return {
    sha,
    tree,
    parents: [parent],
    author: { ...author, date },
    committer: { ...WEB_COMMITTER, date },
    message,
  }
}

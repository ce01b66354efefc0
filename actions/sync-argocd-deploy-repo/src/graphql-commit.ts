import { isObject, UserError } from '@argocd-actions/core'
import { diffTrees, type ObjectStore } from '@argocd-actions/git'
import type { SyncInputs } from './inputs.js'
import { GraphqlUnreadable, type GraphqlOperation } from './graphql-request.js'

/**
 * The GraphQL transport's write: the release's changes to the app directory as one
 * `createCommitOnBranch`, guarded by `expectedHeadOid` (the compare-and-swap our pushes make).
 */

/**
 * The largest mutation request sent, in bytes. GitHub documents no limit for createCommitOnBranch;
 * commits of about 40 MB are reported to fail (grafana/github-api-commit-action#66), and a
 * request's contents travel base64-encoded (4/3 of the files' size). Larger releases use git.
 */
export const MAX_MUTATION_BYTES = 32 * 1024 * 1024

export interface FileChanges {
  additions: { path: string; contents: string }[]
  deletions: { path: string }[]
}

/** GitHub's answer to a stale expectedHeadOid: STALE_DATA, "Expected branch to point to ...". */
export const isStaleHead = (errors: { type?: string; message: string }[]) =>
  errors.some((e) => e.type === 'STALE_DATA' || /expected branch to point to/i.test(e.message))

const MODE_WORDS: Record<string, string> = {
  '100755': 'an executable file',
  '120000': 'a symbolic link',
  '160000': 'a submodule',
}

/**
 * The changes from the app directory's current tree to its new one, as additions (full contents,
 * base64) and deletions. A mutation writes plain files only: a change that touches a symbolic
 * link, an executable bit or a submodule cannot be expressed, and is refused.
 */
export async function fileChanges(
  objects: ObjectStore,
  i: SyncInputs,
  existing: string | undefined,
  appTree: string | null,
): Promise<FileChanges> {
  const dir = `${i.path}/${i.namespace}/${i.application}`
  const changes = await diffTrees(objects, existing, appTree)
  const out: FileChanges = { additions: [], deletions: [] }
  for (const c of changes) {
    const odd = [c.before?.mode, c.after?.mode].find((m) => m && m !== '100644')
    if (odd)
      throw new UserError(
        `${dir}/${c.path} is ${MODE_WORDS[odd] ?? `a file of mode ${odd}`} in ${i.repository.owner}/${i.repository.repo}@${i.branch}, which the release ${c.after ? 'rewrites' : 'removes'}: GitHub's createCommitOnBranch writes plain files only (no symbolic link, executable bit or submodule). Use transport: git for this release, or make it a plain file. Nothing was committed.`,
      )
    if (c.after) {
      const blob = objects.get(c.after.sha)
      if (!blob) throw new Error(`the release's file ${c.path} is not in memory`)
      out.additions.push({ path: `${dir}/${c.path}`, contents: blob.data.toString('base64') })
    } else out.deletions.push({ path: `${dir}/${c.path}` })
  }
  return out
}

/** The mutation for one attempt: the message split as GitHub takes it (headline, body). */
export function commitMutation(
  i: SyncInputs,
  branch: string,
  expectedHeadOid: string,
  message: string,
  changes: FileChanges,
): GraphqlOperation {
  const [headline, ...rest] = message.split('\n')
  const op: GraphqlOperation = {
    name: 'ArgocdReleaseCommit',
    query: [
      'mutation ArgocdReleaseCommit($input: CreateCommitOnBranchInput!) {',
      '  createCommitOnBranch(input: $input) { commit { oid url signature { isValid } } }',
      '}',
    ].join('\n'),
    variables: {
      input: {
        branch: {
          repositoryNameWithOwner: `${i.repository.owner}/${i.repository.repo}`,
          branchName: branch,
        },
        message: { headline, body: rest.join('\n').trim() },
        expectedHeadOid,
        fileChanges: changes,
      },
    },
    what: `commit the release to ${i.repository.owner}/${i.repository.repo}@${branch} (createCommitOnBranch)`,
    permission: 'contents=write',
    // Not retried blindly: an answer lost on the way is settled by reading the branch again.
    retries: 0,
  }
  const size = Buffer.byteLength(JSON.stringify({ query: op.query, variables: op.variables }))
  if (size > MAX_MUTATION_BYTES)
    throw new UserError(
      `the release is ${mib(size)} MiB as a createCommitOnBranch request (${changes.additions.length} file(s), base64), over the ${mib(MAX_MUTATION_BYTES)} MiB this action sends through GitHub's GraphQL API (GitHub documents no limit; larger commits are reported to fail). Use transport: git for this release. Nothing was committed.`,
    )
  return op
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')

export interface CommitAnswer {
  oid: string
  url: string
  verified: boolean
}

/** The mutation's answer: the commit it made, checked. */
export function readCommitAnswer(
  data: Record<string, unknown>,
  op: GraphqlOperation,
): CommitAnswer {
  const payload = data.createCommitOnBranch
  const commit = isObject(payload) ? payload.commit : undefined
  if (!isObject(commit) || typeof commit.oid !== 'string' || !/^[0-9a-f]{40}$/.test(commit.oid))
    throw new GraphqlUnreadable(
      'POST /graphql (createCommitOnBranch)',
      data,
      'commit (with its oid)',
      'whether the release was committed cannot be told from it (it is read again from the branch)',
      `Could not ${op.what}`,
    )
  const signature = commit.signature
  return {
    oid: commit.oid,
    url: typeof commit.url === 'string' ? commit.url : '',
    verified: isObject(signature) && signature.isValid === true,
  }
}

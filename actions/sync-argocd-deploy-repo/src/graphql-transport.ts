import {
  explained,
  isObject,
  unexpectedAnswer,
  UserError,
  withRetry,
  type GitHubClient,
} from '@argocd-actions/core'
import { GitError, NotATreeError, ObjectStore } from '@argocd-actions/git'
import { commitMutation, fileChanges, isStaleHead, readCommitAnswer } from './graphql-commit.js'
import { graphqlObjects, readRelease, ReadMoved, type ReleaseRead } from './graphql-read.js'
import {
  GraphqlErrors,
  GraphqlRateLimited,
  isServerFault,
  postGraphql,
  type GraphqlOperation,
} from './graphql-request.js'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'
import type { Manifests } from './release-files.js'
import {
  appDir,
  appDirectoryOn,
  commitMessage,
  planRelease,
  pushBackoffCeilingMs,
  releaseDiff,
  SERVER_FAULT_PUSHES,
  type Reader,
  type SyncDeps,
  type SyncResult,
} from './sync.js'

/**
 * `transport: graphql`: a release in two requests when it wins its race. One query reads the
 * tip and the app directory (graphql-read.ts), the release is computed by the code the git
 * transport uses (planRelease), and one `createCommitOnBranch` writes it with the tip as
 * `expectedHeadOid` (graphql-commit.ts). GitHub creates the commit itself: it is signed
 * (verified) and authored by the token's owner (an app's bot for an installation token).
 */

/** GitHub said the branch moved (STALE_DATA), or our read saw it move: read and apply again. */
class LostRace extends Error {
  constructor(readonly expected: string) {
    super(`the branch moved from ${expected}`)
  }
}

/** The mutation failed without an answer (5xx, timeout): it may have landed; the read tells. */
class CommitLost extends LostRace {
  constructor(
    expected: string,
    readonly fault: UserError,
  ) {
    super(expected)
  }
}

export async function syncByGraphql(
  octokit: GitHubClient,
  i: SyncInputs,
  manifests: Manifests | undefined,
  deps: SyncDeps,
): Promise<SyncResult> {
  const now = deps.now ?? Date.now
  const log = deps.log ?? (() => {})
  const query = (op: GraphqlOperation) => postGraphql(octokit, i.apiUrl, op)
  // Trees never change: one store for every attempt (a retry reads only what is new).
  const objects: ObjectStore = new ObjectStore(graphqlObjects(query, i, () => objects))
  const read: Reader = async (step) => {
    try {
      return await step()
    } catch (e) {
      throw explainRead(e, i)
    }
  }
  const appTrees = new Map<string, string | null>()
  const message = commitMessage(i)
  const deadline = now() + i.timeoutSeconds * 1000
  let attempts = 0
  let last: LostRace | undefined
  // The files of the last commit sent: a commit found landed after its answer was lost has them.
  let sent: SyncResult['files'] = []
  const faults: UserError[] = []

  return withRetry(
    async () => {
      attempts++
      let tip: ReleaseRead
      try {
        tip = await read(() => readRelease(query, objects, i))
      } catch (e) {
        if (e instanceof ReadMoved) {
          log(`read ${attempts}: ${e.message}: reading again`)
          throw new LostRace('')
        }
        throw e
      }
      // Pull-request mode: a commit whose answer was lost is on the release branch, on this tip.
      if (last instanceof CommitLost && releaseCommitLanded(tip, message)) {
        log(`the release branch's tip ${tip.releaseTip} is this release's commit: it landed`)
        return landed(tip.releaseTip!, tip.releaseCommit!.verified, sent, attempts, now)
      }
      // GitHub's word that the branch moved is checked against the branch itself.
      const moved = i.mode === 'pull-request' ? tip.releaseTip : tip.tip
      if (last && !(last instanceof CommitLost) && last.expected && last.expected === moved)
        throw new UserError(
          `GitHub refused the commit to ${i.repository.owner}/${i.repository.repo}@${targetBranch(i)} as stale (the branch moved), but it still points to ${moved} when read again: an answer that contradicts the branch; nothing was committed. Run the job again; if it persists, check what stands between the runner and the API.`,
        )
      const existing = await appDirectoryOn(objects, read, i, tip.rootTree)
      const plan = await planRelease(
        objects,
        read,
        i,
        manifests,
        { rootTree: tip.rootTree, existing },
        appTrees,
      )
      if (!plan.changed) {
        // An earlier attempt's commit whose answer was lost (or called stale after it landed).
        if (last && tip.tipMessage.trim() === message.trim()) {
          log(`the branch's tip ${tip.tip} is this release's commit: it landed`)
          return landed(tip.tip, tip.tipVerified, sent, attempts, now)
        }
        log(`${appDir(i)} is already up to date at ${tip.tip}: nothing to commit.`)
        return { changed: false, sha: tip.tip, files: [], attempts, verified: false }
      }
      if (i.dryRun) {
        const diff = await releaseDiff(objects, read, i, existing, plan.appTree)
        return { changed: true, sha: tip.tip, files: plan.files, attempts, diff, verified: false }
      }
      const changes = await read(() => fileChanges(objects, i, existing, plan.appTree))
      const branch = targetBranch(i)
      const op = commitMutation(i, branch, tip.tip, message, changes)
      if (i.mode === 'pull-request') await prepareReleaseBranch(octokit, i, tip)
      sent = plan.files
      try {
        const commit = readCommitAnswer(await query(op), op)
        return {
          changed: true,
          sha: commit.oid,
          files: plan.files,
          attempts,
          pushedAt: new Date(now()).toISOString(),
          verified: commit.verified,
        }
      } catch (e) {
        last = settle(e, tip.tip, attempts, faults, log, i)
        throw last
      }
    },
    {
      attempts: i.maxAttempts,
      baseMs: 200,
      maxDelayMs: pushBackoffCeilingMs(i),
      deadline,
      retryable: (e) =>
        e instanceof LostRace ||
        // A rate limit is waited only when its wait ends before the deadline.
        (e instanceof GraphqlRateLimited && (e.waitMs ?? 0) < deadline - now()),
      delayOf: (e) => (e instanceof GraphqlRateLimited ? e.waitMs : undefined),
      onRetry: ({ delayMs, error }) => {
        if (error instanceof GraphqlRateLimited)
          log(`GitHub's rate limit: waiting ${Math.ceil(delayMs / 1000)} s as it asked`)
      },
      sleep: deps.sleep,
      now,
    },
  ).catch((error: unknown) => {
    throw givenUp(error, i, attempts, faults, deadline, now)
  })
}

/** In pull-request mode the commit goes on the release's own branch. */
const targetBranch = (i: SyncInputs) => (i.mode === 'pull-request' ? releaseBranch(i) : i.branch)

/** What a failed mutation means for the loop: a lost race, a lost answer, or the end. */
function settle(
  e: unknown,
  expected: string,
  attempts: number,
  faults: UserError[],
  log: (m: string) => void,
  i: SyncInputs,
): LostRace {
  if (e instanceof GraphqlErrors && isStaleHead(e.errors)) {
    log(
      `commit ${attempts} lost a race with another writer (${targetBranch(i)} moved from ${expected}): reading the new tip and applying the release again`,
    )
    return new LostRace(expected)
  }
  if (isServerFault(e)) {
    faults.push(e as UserError)
    if (faults.length >= SERVER_FAULT_PUSHES) throw commitKeptFailing(i, faults, attempts)
    log(
      `commit ${attempts}: its answer was lost or unreadable: reading the branch to see whether it landed`,
    )
    return new CommitLost(expected, e as UserError)
  }
  throw e
}

/** The release branch holds our commit, made on the tip just read (its answer was lost). */
function releaseCommitLanded(tip: ReleaseRead, message: string): boolean {
  const c = tip.releaseCommit
  return (
    c !== undefined &&
    tip.releaseTip !== tip.tip &&
    c.parent === tip.tip &&
    c.message.trim() === message.trim()
  )
}

/** Our commit, found on the branch after its answer was lost: the release is there. */
function landed(
  sha: string,
  verified: boolean,
  files: SyncResult['files'],
  attempts: number,
  now: () => number,
): SyncResult {
  return { changed: true, sha, files, attempts, pushedAt: new Date(now()).toISOString(), verified }
}

/**
 * Pull-request mode: the release branch must point at the tip the release was computed on
 * before the commit is appended to it (createCommitOnBranch appends to a branch's head). It is
 * created, or moved back, by REST: it belongs to this release.
 */
async function prepareReleaseBranch(
  octokit: GitHubClient,
  i: SyncInputs,
  tip: ReleaseRead,
): Promise<void> {
  const repo = { owner: i.repository.owner, repo: i.repository.repo }
  const branch = releaseBranch(i)
  if (tip.releaseTip === tip.tip) return
  const ctx = {
    action: `${tip.releaseTip ? 'reset' : 'create'} the release branch ${branch} at ${tip.tip}`,
    permission: 'contents=write',
    classicScope: 'repo',
  }
  let answer: unknown
  try {
    answer = (
      await explained(octokit, ctx, (): Promise<{ data: unknown }> =>
        tip.releaseTip
          ? octokit.rest.git.updateRef({
              ...repo,
              ref: `heads/${branch}`,
              sha: tip.tip,
              force: true,
            })
          : octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: tip.tip }),
      )
    ).data
  } catch (e) {
    // Created by another run of this release since the read: read and apply again.
    if ((e as { status?: number }).status === 422 && !tip.releaseTip) throw new LostRace('')
    throw e
  }
  const object = isObject(answer) ? answer.object : undefined
  if (!isObject(object) || object.sha !== tip.tip)
    throw unexpectedAnswer(
      `${tip.releaseTip ? 'PATCH' : 'POST'} /repos/${repo.owner}/${repo.repo}/git/refs (${branch})`,
      answer,
      `ref pointing at ${tip.tip}`,
      'where the release branch points cannot be told; nothing was committed',
    )
}

/** A read's failure in words: the transport's own errors pass, git's object checks are named. */
function explainRead(e: unknown, i: SyncInputs): unknown {
  if (e instanceof NotATreeError)
    return new UserError(
      `'${e.path.split('/').pop()}' is a file in the deploy repository where the app's path needs a directory (${e.path}): check 'path'.`,
    )
  if (e instanceof GitError)
    return new UserError(
      `read of ${i.repository.owner}/${i.repository.repo} through GitHub's GraphQL API: ${e.message}; nothing was committed.`,
    )
  return e
}

/** The server failed the commit every time (or the last time, when time ran out). */
function commitKeptFailing(i: SyncInputs, faults: UserError[], attempts: number): UserError {
  return new UserError(
    `commit to ${i.repository.owner}/${i.repository.repo}@${targetBranch(i)}: GitHub failed createCommitOnBranch ${faults.length} time(s) in ${attempts} attempt(s), and the branch did not hold the release when read after it. Last: ${faults.at(-1)!.message}`,
  )
}

/** What the step says when the retries end. */
function givenUp(
  error: unknown,
  i: SyncInputs,
  attempts: number,
  faults: UserError[],
  deadline: number,
  now: () => number,
): unknown {
  if (error instanceof GraphqlRateLimited) {
    const wait =
      error.waitMs === undefined ? '' : ` (it asked to wait ${Math.ceil(error.waitMs / 1000)} s)`
    return new UserError(
      `${error.message} The rate limit${wait} outlasts timeout-seconds (${i.timeoutSeconds}): nothing was committed. Run the job again later, or raise timeout-seconds.`,
    )
  }
  if (error instanceof CommitLost) return commitKeptFailing(i, faults, attempts)
  if (error instanceof LostRace)
    return new UserError(
      `the commit was refused ${attempts} times because the branch moved (concurrent writers; max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}${now() >= deadline ? ', which ran out' : ''}): raise them, or serialise the jobs.`,
    )
  return error
}

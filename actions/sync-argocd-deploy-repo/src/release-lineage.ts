/**
 * Whether a commit Argo CD reports instead of ours still runs our release. Argo CD compares an
 * app at the tip of the branch it watches, so when another release lands right after ours, the
 * app is reported Synced at that later commit and never at ours. That later commit carries our
 * release when ours is one of its ancestors and the app's directory is the same in both.
 */
import { UserError } from '@argocd-actions/core'
import {
  commitParents,
  createHttpClient,
  entryAt,
  ObjectStore,
  rootTreeOf,
  SmartHttpRemote,
} from '@argocd-actions/git'
import type { SyncInputs } from './inputs.js'
import { appDir, deployAuthorization, deployRemote, explainGit } from './sync.js'

export type Lineage =
  /** A later commit, with the app's directory as our release left it. */
  | { kind: 'carries'; commits: number }
  /** A later commit that changed the app's directory again: our release was superseded. */
  | { kind: 'replaced'; commits: number }
  /** Not a descendant of ours: an older commit, or another line of history. */
  | { kind: 'unrelated' }

/** Tells, for a revision Argo CD reports, how it relates to the release we pushed. */
export interface LineageReader {
  lineage(revision: string): Promise<Lineage>
  close(): void
}

/** Reads the deploy repository over smart HTTP with the release's token, until `deadline`. */
export function deployRepoLineage(i: SyncInputs, ours: string, deadline: number): LineageReader {
  // Told apart from the release's own reads in the server's logs (and the fault matrix).
  const agent = 'git/argocd-actions-wait'
  const client = createHttpClient(30_000, agent)
  const remote = new SmartHttpRemote({
    url: deployRemote(i),
    authorization: deployAuthorization(i),
    deadline,
    client,
    agent,
  })
  const objects = new ObjectStore(remote)
  const segments = appDir(i).split('/')
  return {
    lineage: async (revision) => {
      try {
        return await lineageOf(objects, segments, ours, revision)
      } catch (error) {
        const e = explainGit('read', error, i)
        throw new UserError(
          `Argo CD reports the app at ${revision.slice(0, 12)}, not at the release's ${ours.slice(0, 12)}, and whether that commit carries the release cannot be verified: ${(e as Error).message}`,
        )
      }
    },
    close: () => client.dispose(),
  }
}

/**
 * One read for the commits after ours up to `later` (the server leaves out what ours reaches);
 * when ours is among them, the app directory's tree on both commits (a read per tree not here).
 */
export async function lineageOf(
  objects: ObjectStore,
  dir: string[],
  ours: string,
  later: string,
): Promise<Lineage> {
  await objects.commitsSince(later, ours)
  const commits = commitsAfter(objects, later, ours)
  if (commits === undefined) return { kind: 'unrelated' }
  await objects.fetchTip(ours)
  const [before, after] = await Promise.all(
    [ours, later].map((c) => entryAt(objects, rootTreeOf(objects, c), dir)),
  )
  return { kind: before && before.sha === after?.sha ? 'carries' : 'replaced', commits }
}

/**
 * How many commits `tip` is after `base`, walking the parents of the commits that are here;
 * undefined when `base` is not an ancestor. A parent the server did not send is one that `base`
 * reaches: the walk stops there. Commits are keyed by their hash: a server cannot forge a path.
 */
function commitsAfter(objects: ObjectStore, tip: string, base: string): number | undefined {
  const seen = new Set<string>()
  const queue = [tip]
  let found = false
  while (queue.length) {
    const oid = queue.pop()!
    const commit = objects.get(oid)
    if (seen.has(oid) || commit?.type !== 'commit') continue
    seen.add(oid)
    for (const parent of commitParents(commit.data))
      if (parent === base) found = true
      else queue.push(parent)
  }
  return found ? seen.size : undefined
}

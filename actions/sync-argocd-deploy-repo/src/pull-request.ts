import {
  UserError,
  explained,
  isObject,
  unexpectedAnswer,
  type GitHubClient,
} from '@argocd-actions/core'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'
import { isPull, type PullRef } from './pull-ref.js'

export interface PullRequestResult {
  url: string
  number: number
  merged: boolean
  mergeSha?: string
}

/**
 * For protected branches: the release commit is on its own branch; open (or reuse) the pull
 * request into the deploy branch, and merge it when asked.
 */
export async function openPullRequest(
  octokit: GitHubClient,
  i: SyncInputs,
  title: string,
  body: string,
): Promise<PullRequestResult> {
  const repo = { owner: i.repository.owner, repo: i.repository.repo }
  const head = releaseBranch(i)
  const ctx = {
    action: `open a pull request from ${head} into ${i.branch}`,
    permission: 'pull_requests=write',
    classicScope: 'repo',
  }
  const listed = await explained(octokit, ctx, () =>
    octokit.rest.pulls.list({
      ...repo,
      head: `${repo.owner}:${head}`,
      base: i.branch,
      state: 'open',
      per_page: 1,
    }),
  )
  // Checked before use: a body of another shape is not "no open pull request".
  const open: unknown = listed.data
  if (!Array.isArray(open) || (open.length > 0 && !isPull(open[0])))
    throw unexpectedAnswer(
      `GET /repos/${repo.owner}/${repo.repo}/pulls?head=${repo.owner}:${head}&base=${i.branch}`,
      open,
      'list of pull requests',
      'whether this release already has an open pull request cannot be told; none was opened or merged',
    )
  let pr: PullRef
  if (open.length) pr = open[0] as PullRef
  else {
    const created: unknown = (
      await explained(octokit, ctx, () =>
        octokit.rest.pulls.create({ ...repo, head, base: i.branch, title, body }),
      )
    ).data
    if (!isPull(created))
      throw unexpectedAnswer(
        `POST /repos/${repo.owner}/${repo.repo}/pulls (from ${head} into ${i.branch})`,
        created,
        'pull request (with its number and html_url)',
        `whether the pull request was opened cannot be told (look for one from ${head}); nothing was merged`,
      )
    pr = created
  }
  if (!i.autoMerge) return { url: pr.html_url, number: pr.number, merged: false }
  const merge = await explained(
    octokit,
    { ...ctx, action: `merge pull request #${pr.number}` },
    () => octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'squash' }),
  ).catch((error: unknown) => {
    throw new UserError(
      `pull request ${pr.html_url} was opened but could not be merged: ${(error as Error).message}`,
    )
  })
  // GitHub answers 200 only for a merge that happened, with its commit: anything else is no merge.
  const merged: unknown = merge.data
  if (!isObject(merged) || merged.merged !== true || !OID.test(String(merged.sha)))
    throw unexpectedAnswer(
      `PUT /repos/${repo.owner}/${repo.repo}/pulls/${pr.number}/merge`,
      merged,
      "merge result ('merged: true' and the merge commit's sha)",
      `whether pull request ${pr.html_url} was merged cannot be told (look at it); the release is not reported as deployed`,
    )
  return { url: pr.html_url, number: pr.number, merged: true, mergeSha: merged.sha as string }
}

const OID = /^[0-9a-f]{40}$/

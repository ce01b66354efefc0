import { UserError, explained, type GitHubClient } from '@argocd-actions/core'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'

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
  const existing = await explained(octokit, ctx, () =>
    octokit.rest.pulls.list({
      ...repo,
      head: `${repo.owner}:${head}`,
      base: i.branch,
      state: 'open',
      per_page: 1,
    }),
  )
  const pr =
    existing.data[0] ??
    (
      await explained(octokit, ctx, () =>
        octokit.rest.pulls.create({ ...repo, head, base: i.branch, title, body }),
      )
    ).data
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
  return {
    url: pr.html_url,
    number: pr.number,
    merged: merge.data.merged,
    mergeSha: merge.data.sha,
  }
}

import { explained, type GitHubClient, type Repository } from '@argocd-actions/core'
import type { State } from './inputs.js'

export interface NewStatus {
  state: State
  context: string
  description?: string
  targetUrl?: string
}

export interface StatusResult {
  id: number
  state: string
  context: string
  description: string | null
  targetUrl: string | null
  createdAt: string
}

export async function setCommitStatus(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
  status: NewStatus,
): Promise<StatusResult> {
  const { data } = await explained(
    octokit,
    {
      action: `create a commit status on ${repo.owner}/${repo.repo}@${sha.slice(0, 12)}`,
      permission: 'statuses=write',
      classicScope: 'repo:status',
    },
    () =>
      octokit.rest.repos.createCommitStatus({
        ...repo,
        sha,
        state: status.state,
        context: status.context,
        ...(status.description !== undefined && { description: status.description }),
        ...(status.targetUrl !== undefined && { target_url: status.targetUrl }),
      }),
  )
  return {
    id: data.id,
    state: data.state,
    context: data.context,
    description: data.description,
    targetUrl: data.target_url,
    createdAt: data.created_at,
  }
}

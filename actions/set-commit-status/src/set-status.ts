import {
  explained,
  requestName,
  unexpectedAnswer,
  type GitHubClient,
  type Repository,
} from '@argocd-actions/core'
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
  const created = data as unknown as Partial<typeof data> | null
  if (
    !created ||
    typeof created !== 'object' ||
    !Number.isSafeInteger(created.id) ||
    created.state !== status.state ||
    created.context !== status.context
  ) {
    throw unexpectedAnswer(
      requestName('POST /repos/{owner}/{repo}/statuses/{sha}', { ...repo, sha }),
      data,
      'status (with its id, state and context)',
      `whether the status '${status.state}' was set cannot be told (look at the commit's statuses)`,
      `Could not confirm the commit status on ${repo.owner}/${repo.repo}@${sha.slice(0, 12)}`,
    )
  }
  return {
    id: data.id,
    state: data.state,
    context: data.context,
    description: data.description,
    targetUrl: data.target_url,
    createdAt: data.created_at,
  }
}

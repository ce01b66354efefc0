import {
  GitHubError,
  InputError,
  clip,
  explained,
  requestName,
  type GitHubClient,
  type Repository,
  unexpectedAnswer,
} from '@argocd-actions/core'

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i

/** A full SHA is used as given; a branch, tag or short SHA is resolved through the API. */
export async function resolveSha(
  octokit: GitHubClient,
  repo: Repository,
  ref: string,
): Promise<string> {
  if (FULL_SHA.test(ref)) return ref.toLowerCase()
  try {
    const { data } = await explained(
      octokit,
      {
        action: `resolve '${clip(ref)}' to a commit in ${repo.owner}/${repo.repo}`,
        permission: 'contents=read',
      },
      () =>
        octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
          ...repo,
          ref,
          // Only the SHA is needed: skip the diff GitHub would otherwise compute and send.
          mediaType: { format: 'sha' },
        }),
    )
    // With the sha media type GitHub answers with the bare SHA as text.
    const body = data as unknown
    const sha = typeof body === 'string' ? body.trim() : (body as { sha?: unknown } | null)?.sha
    if (typeof sha !== 'string' || !FULL_SHA.test(sha)) {
      throw unexpectedAnswer(
        requestName('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref }),
        body,
        'commit (its SHA)',
        'no SHA was read',
        `Could not resolve '${clip(ref)}' to a commit`,
      )
    }
    return sha.toLowerCase()
  } catch (error) {
    if (error instanceof GitHubError && error.kind === 'not-found') {
      // The usual cause: a status-only token (classic repo:status) cannot read commits.
      throw new GitHubError(
        error.kind,
        error.status,
        error.githubMessage,
        `${error.message} Resolving a branch or short SHA also needs read access to the repository's contents (classic 'repo', fine-grained 'Contents: read'); pass a full 40-character SHA in 'sha' to avoid it.`,
      )
    }
    if (error instanceof GitHubError && error.kind === 'validation') {
      throw new InputError(
        'sha',
        `names no commit in ${repo.owner}/${repo.repo}: '${clip(ref)}'`,
        '${{ github.sha }}',
      )
    }
    throw error
  }
}

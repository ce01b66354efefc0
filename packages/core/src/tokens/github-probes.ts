import { eitherOf, isJsonObject, listOf, objectWith, type AnswerRules } from '../answers.js'
import type { Repository } from '../inputs.js'

/**
 * What the GitHub audit asks per repository: a read probe and an invalid-write probe per
 * permission GitHub lets us observe, and the answer each must give to count as "present".
 */

export const REPOSITORY: AnswerRules = { provider: 'GitHub', shape: objectWith('full_name') }
export const USER: AnswerRules = { provider: 'GitHub', shape: objectWith('login') }
/** What each read probe must answer to count as "the permission is there". */
export const READ_RULES: Record<string, AnswerRules> = {
  contents: {
    provider: 'GitHub',
    // The root of a repository is a directory listing (a file or submodule object elsewhere).
    shape: {
      ...eitherOf(listOf('type', 'path'), objectWith('type', 'path')),
      is: "a directory listing or a content object, each with a string 'type' and 'path'",
    },
    // An empty repository answers 404 "This repository is empty." or 409: reachable, so read is there.
    presentToo: (a) =>
      (a.status === 409 || a.status === 404) &&
      isJsonObject(a.body) &&
      /empty/i.test(String(a.body.message ?? '')),
  },
  statuses: { provider: 'GitHub', shape: listOf('state', 'context') },
  repository_hooks: { provider: 'GitHub', shape: listOf('type') },
  administration: { provider: 'GitHub', shape: listOf('key') },
}
/** An invalid write: 422 shows the permission (GitHub validated it), a proven 403 its absence. */
export const WRITE_RULES: AnswerRules = {
  provider: 'GitHub',
  presentToo: (a) => a.status === 422 && isJsonObject(a.body),
  // A 2xx to an invalid write is no answer GitHub gives: not taken for anything.
  shape: { test: () => false, is: 'a refusal (422 or 403), which an invalid write gets' },
}

const ZERO_SHA = '0'.repeat(40)

/** A read probe and an invalid-write probe per permission that GitHub lets us observe. */
export const PROBES: Record<string, { read: (r: RepoRef) => Call; write: (r: RepoRef) => Call }> = {
  contents: {
    read: (r) => ['GET /repos/{owner}/{repo}/contents/', { owner: r.owner, repo: r.repo }],
    // A ref to a commit that cannot exist: 422 with the permission, 403 without; nothing is created.
    write: (r) => [
      'POST /repos/{owner}/{repo}/git/refs',
      { ...r, ref: 'refs/heads/argocd-actions-permission-probe', sha: ZERO_SHA },
    ],
  },
  statuses: {
    read: (r) => [
      'GET /repos/{owner}/{repo}/commits/{ref}/statuses',
      { ...r, ref: r.branch, per_page: 1 },
    ],
    write: (r) => [
      'POST /repos/{owner}/{repo}/statuses/{sha}',
      { ...r, sha: ZERO_SHA, state: 'pending' },
    ],
  },
  repository_hooks: {
    read: (r) => ['GET /repos/{owner}/{repo}/hooks', { ...r, per_page: 1 }],
    // A hook without a URL is invalid.
    write: (r) => ['POST /repos/{owner}/{repo}/hooks', { ...r, config: {} }],
  },
  administration: {
    read: (r) => ['GET /repos/{owner}/{repo}/keys', { ...r, per_page: 1 }],
    // A deploy key that is not a key is invalid.
    write: (r) => [
      'POST /repos/{owner}/{repo}/keys',
      { ...r, title: 'argocd-actions permission probe', key: 'not-a-key', read_only: true },
    ],
  },
}
export const PROBED_PERMISSIONS = Object.keys(PROBES)

export type RepoRef = Repository & { branch: string }
type Call = [string, Record<string, unknown>]

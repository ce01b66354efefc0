import type { GitHubClient } from '@argocd-actions/core'
import type { Inputs } from './inputs.js'
import { resolveSha } from './resolve-sha.js'
import { setCommitStatus, type StatusResult } from './set-status.js'
import { waitForCommitStatus, type WaitResult } from './wait-for-status.js'

export { parseInputs, type Inputs } from './inputs.js'
export type { StatusResult } from './set-status.js'
export { WaitError, type WaitResult } from './wait-for-status.js'

export type StatusOutcome =
  { mode: 'set'; sha: string; status: StatusResult } | ({ mode: 'wait'; sha: string } & WaitResult)

export interface StatusHooks {
  /** The wait's progress lines. */
  log: (message: string) => void
  /** Called once the ref is resolved, before the status is set or waited for. */
  onCommit?: (sha: string) => void
}

/**
 * The action's work, for its entrypoint and the CLI alike: resolve the ref, then set the status
 * (mode `set`) or wait for it (mode `wait`).
 */
export async function setOrWaitForStatus(
  octokit: GitHubClient,
  inputs: Inputs,
  hooks: StatusHooks,
): Promise<StatusOutcome> {
  const sha = await resolveSha(octokit, inputs.repository, inputs.ref)
  hooks.onCommit?.(sha)
  if (inputs.mode === 'set')
    return {
      mode: 'set',
      sha,
      status: await setCommitStatus(octokit, inputs.repository, sha, inputs),
    }
  const result = await waitForCommitStatus(octokit, inputs.repository, sha, inputs, {
    log: hooks.log,
  })
  return { mode: 'wait', sha, ...result }
}

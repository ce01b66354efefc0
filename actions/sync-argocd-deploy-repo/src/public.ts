import type { SyncInputs } from './inputs.js'
import type { SyncResult } from './sync.js'

export { parseInputs, type SyncInputs } from './inputs.js'
export type { SyncResult } from './sync.js'

export interface ReleaseContext {
  /** The directory `manifests` is read relative to. */
  workspace: string
  log: (message: string) => void
  debug?: (message: string) => void
}

/**
 * The action's work, for its entrypoint and the CLI alike: read the rendered manifests, then
 * write the release into the deploy repository (pushed, or only computed on a dry run).
 */
export async function releaseToDeployRepo(
  inputs: SyncInputs,
  ctx: ReleaseContext,
): Promise<SyncResult> {
  // Loaded once inputs are valid: the YAML parser and git plumbing are not needed to fail fast.
  // One chunk, named for webpack, wherever these are imported (main.ts too): sync.ts imports
  // release-files.ts, and two chunks would each carry a copy (the build refuses that).
  const { readManifests } = await import(/* webpackChunkName: "sync" */ './release-files.js')
  const { syncToDeployRepo } = await import(/* webpackChunkName: "sync" */ './sync.js')
  const manifests = inputs.manifests
    ? await readManifests(ctx.workspace, inputs.manifests, inputs.maxManifestBytes)
    : undefined
  if (inputs.transport === 'graphql') {
    const { createGitHubClient } = await import('@argocd-actions/core/github')
    const { syncByGraphql } = await import(/* webpackChunkName: "sync" */ './graphql-transport.js')
    const octokit = createGitHubClient({
      token: inputs.token,
      baseUrl: inputs.apiUrl,
      baseUrlSource: "input 'github-api-url'",
      userAgent: 'argocd-actions/sync-argocd-deploy-repo',
      // Rate limits are waited in the release's own loop, within timeout-seconds.
      throttling: false,
      maxRateLimitWaitSeconds: inputs.timeoutSeconds,
      requestTimeoutMs: Math.min(30_000, inputs.timeoutSeconds * 1000),
      log: { debug: ctx.debug ?? (() => {}), info: ctx.log, warn: ctx.log },
    })
    return syncByGraphql(octokit, inputs, manifests, { log: ctx.log })
  }
  return syncToDeployRepo(inputs, manifests, { log: ctx.log, debug: ctx.debug })
}

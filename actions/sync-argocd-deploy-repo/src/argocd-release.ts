import { argoCdAppClient } from './argocd-client.js'
import type { ArgoCdWaitInputs } from './argocd-inputs.js'
import type { ArgoCdOutcome } from './argocd-summary.js'
import { ArgoCdWaitError, waitForArgoCd, type WaitDeps } from './argocd-wait.js'
import type { SyncInputs } from './inputs.js'
import { deployRepoLineage } from './release-lineage.js'

/**
 * After the release reached the branch Argo CD watches: wait for Argo CD to run it. A later
 * commit Argo CD reports instead is read from the deploy repository (with the release's token)
 * to tell whether it carries the release. What ended the wait comes back either way (the
 * outputs and summary show it); the caller throws `error`.
 */
export async function waitForArgoCdRelease(
  inputs: ArgoCdWaitInputs,
  release: SyncInputs,
  appName: string,
  revision: string,
  deps: WaitDeps = {},
): Promise<ArgoCdOutcome> {
  const url = `${inputs.url}/applications/${inputs.appNamespace ? `${inputs.appNamespace}/` : ''}${appName}`
  deps.log?.(
    `Waiting up to ${inputs.timeoutSeconds} s for Argo CD application ${appName} to be Synced to ${revision.slice(0, 12)} and Healthy${inputs.refresh ? ' (refresh requested)' : ''}`,
  )
  const started = Date.now()
  const repo = deployRepoLineage(release, revision, started + inputs.timeoutSeconds * 1000)
  try {
    const r = await waitForArgoCd(
      argoCdAppClient(inputs, appName),
      { appName, revision, timeoutSeconds: inputs.timeoutSeconds, refresh: inputs.refresh },
      { lineage: repo.lineage, ...deps },
    )
    return {
      appName,
      revision,
      app: r.app,
      carriedBy: r.carriedBy,
      waitedSeconds: r.waitedSeconds,
      url,
    }
  } catch (error) {
    const waitedSeconds =
      error instanceof ArgoCdWaitError
        ? error.waitedSeconds
        : Math.round((Date.now() - started) / 1000)
    const app = error instanceof ArgoCdWaitError ? error.lastSeen : undefined
    return { appName, revision, app, waitedSeconds, url, error: error as Error }
  } finally {
    repo.close()
  }
}

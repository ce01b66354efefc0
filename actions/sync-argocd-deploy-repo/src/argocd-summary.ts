import type { AppObservation } from './argocd-app.js'

/** How the wait ended, for the outputs and the job summary. */
export interface ArgoCdOutcome {
  appName: string
  /** The commit waited for. */
  revision: string
  /** What Argo CD last reported; undefined when nothing was read. */
  app?: AppObservation
  /** The later commit Argo CD reported Synced, which carries `revision` unchanged. */
  carriedBy?: string
  waitedSeconds: number
  /** Why it did not end Synced and Healthy; undefined when it did. */
  error?: Error
  /** The application's page, e.g. https://argocd.example.com/applications/argocd/web.app. */
  url: string
}

/** The outputs `sync-status`, `health-status`, `argocd-revision` ('' when not waited for). */
export function argoCdOutputs(o: ArgoCdOutcome | undefined): Record<string, string> {
  return {
    'sync-status': o?.app?.sync ?? '',
    'health-status': o?.app?.health ?? '',
    'argocd-revision': o?.app?.revision ?? '',
  }
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/** The summary's Argo CD section: the verdict, then every resource that is not healthy. */
export function argoCdSummary(o: ArgoCdOutcome): string {
  const ok = !o.error
  const lines = [
    `#### ${ok ? '✅' : '❌'} Argo CD: ${o.appName} ${ok ? `Synced to ${o.revision.slice(0, 12)}${o.carriedBy ? ` (at ${o.carriedBy.slice(0, 12)}, a later commit that carries it)` : ''} and Healthy` : 'not Synced and Healthy'}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Application | ${esc(o.url)} |`,
    `| Sync | ${esc(o.app ? `${o.app.sync} at ${o.app.revision || 'no revision'}` : 'not read')} |`,
    `| Health | ${esc(o.app ? `${o.app.health}${o.app.healthMessage ? `: ${o.app.healthMessage}` : ''}` : 'not read')} |`,
    ...(o.app?.operation?.phase
      ? [
          `| Last operation | ${esc(`${o.app.operation.phase}${o.app.operation.message ? `: ${o.app.operation.message}` : ''}`)} |`,
        ]
      : []),
    `| Waited | ${o.waitedSeconds} s |`,
    ...(o.error ? [`| Why | ${esc(o.error.message)} |`] : []),
  ]
  const unhealthy = o.app?.unhealthy ?? []
  if (unhealthy.length) {
    lines.push(
      '',
      '| Kind | Namespace/name | Health | Message |',
      '| --- | --- | --- | --- |',
      ...unhealthy.map(
        (r) =>
          `| ${esc(r.kind)} | ${esc(r.namespace ? `${r.namespace}/${r.name}` : r.name)} | ${esc(r.health)} | ${esc(r.message)} |`,
      ),
    )
  }
  return `${lines.join('\n')}\n`
}

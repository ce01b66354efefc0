import { isObject, type FailureContext } from '@argocd-actions/core'

type Shape = NonNullable<FailureContext['expected']>

/**
 * What the wait reads from Argo CD's Application (`v1alpha1Application`, the answer to
 * `GET /api/v1/applications/{name}`): its sync and health, the last operation, the conditions
 * and the resources that are not healthy. An answer without a readable `status.sync.status` and
 * `status.health.status` is not an Application (the client explains it as such), never "not
 * synced yet": a proxy's page or a `null` must not be waited on as if Argo CD said "later".
 */
export interface AppObservation {
  /** `Synced`, `OutOfSync`, `Unknown`. */
  sync: string
  /** The commit the comparison was made at (`status.sync.revision`); '' before any. */
  revision: string
  /** Multi-source apps: one revision per source. */
  revisions: string[]
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`. */
  health: string
  healthMessage: string
  operation?: { phase: string; message: string; revision: string }
  /** Error conditions (`SyncError`, `ComparisonError`, `InvalidSpecError`, ...). */
  errors: Array<{ type: string; message: string }>
  unhealthy: UnhealthyResource[]
}

export interface UnhealthyResource {
  kind: string
  namespace: string
  name: string
  health: string
  message: string
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** What Argo CD documents and the wait needs, for the explainer of a 2xx it cannot read. */
export const APPLICATION_SHAPE: Shape = {
  test: (b) => readApplication(b) !== undefined,
  is: "an Application with string 'status.sync.status' and 'status.health.status'",
}

/** The Application's readable parts; undefined when the body is not an Application. */
export function readApplication(body: unknown): AppObservation | undefined {
  const status = isObject(body) && isObject(body.status) ? body.status : undefined
  const sync = status && isObject(status.sync) ? status.sync : undefined
  const health = status && isObject(status.health) ? status.health : undefined
  if (!sync || !health || typeof sync.status !== 'string' || typeof health.status !== 'string')
    return undefined
  const op = isObject(status!.operationState) ? status!.operationState : undefined
  const opSync =
    op && isObject(op.operation) && isObject(op.operation.sync) ? op.operation.sync : {}
  const result = op && isObject(op.syncResult) ? op.syncResult : {}
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : [])
  return {
    sync: sync.status,
    revision: str(sync.revision),
    revisions: Array.isArray(sync.revisions) ? sync.revisions.map(str).filter(Boolean) : [],
    health: health.status,
    healthMessage: str(health.message),
    operation: op && {
      phase: str(op.phase),
      message: str(op.message),
      revision: str(result.revision) || str(opSync.revision),
    },
    errors: list(status!.conditions)
      .filter((c) => /Error$/.test(str(c.type)))
      .map((c) => ({ type: str(c.type), message: str(c.message) })),
    unhealthy: list(status!.resources)
      .filter((r) => isObject(r.health) && str(r.health.status) && r.health.status !== 'Healthy')
      .map((r) => ({
        kind: str(r.kind),
        namespace: str(r.namespace),
        name: str(r.name),
        health: str((r.health as Record<string, unknown>).status),
        message: str((r.health as Record<string, unknown>).message),
      })),
  }
}

/** Whether Argo CD compared the app at this commit. */
export const isAt = (app: AppObservation, sha: string): boolean =>
  app.revision.toLowerCase() === sha.toLowerCase() ||
  app.revisions.some((r) => r.toLowerCase() === sha.toLowerCase())

/** `Deployment web/web-app: Degraded (…)`, one line per resource. */
export const describeResource = (r: UnhealthyResource): string =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.health}${r.message ? ` (${r.message})` : ''}`

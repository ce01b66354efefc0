// Argo CD Applications as the double keeps them, and their rendering as `v1alpha1Application`
// (field names from Argo CD's swagger: metadata, spec.source, spec.destination, spec.project,
// status.sync, status.health, status.operationState, status.resources, status.conditions,
// status.reconciledAt, status.history).
import { randomUUID } from 'node:crypto'
import { isoSeconds } from '../github/ids.js'
import type { ArgoCdOutcome } from './types.js'

/** The control plane's namespace: apps there are `<project>/<app>` to RBAC. */
export const CONTROL_PLANE_NAMESPACE = 'argocd'

export interface Operation {
  phase: 'Running' | 'Succeeded' | 'Failed'
  message: string
  revision: string
  startedAt: string
  finishedAt?: string
  /** Set once the sync has run (syncResult). */
  result?: { status: 'Synced' | 'SyncFailed'; message: string }[]
}

export interface AppRecord {
  name: string
  /** Namespace of the Application object. */
  namespace: string
  project: string
  deployRepo: string
  /** Path of its config.yaml in the deploy repo. */
  configPath: string
  repoURL: string
  path: string
  branch: string
  /** Post commit statuses as argocd-notifications does. */
  notifications: boolean
  /** Where its resources go (config.yaml `namespace`). */
  destNamespace: string
  uid: string
  createdAt: string
  resourceVersion: number
  outcome: ArgoCdOutcome
  /** The newest revision the controller has noticed (may be ahead of sync.revision). */
  target?: string
  sync: { status: 'Synced' | 'OutOfSync' | 'Unknown'; revision?: string }
  health: { status: string; message?: string; since: string }
  /** Health of the Deployment (the Service is always Healthy once synced). */
  workload: { status: string; message?: string } | undefined
  operation?: Operation
  conditions: { type: string; message: string; at: string }[]
  reconciledAt: string
  history: { id: number; revision: string; deployedAt: string; deployStartedAt: string }[]
  refreshes: number
}

export function newApp(fields: {
  name: string
  namespace: string
  project: string
  deployRepo: string
  configPath: string
  repoURL: string
  path: string
  branch: string
  notifications: boolean
  destNamespace: string
  outcome: ArgoCdOutcome
}): AppRecord {
  const now = isoSeconds()
  return {
    ...fields,
    uid: randomUUID(),
    createdAt: now,
    resourceVersion: 1,
    sync: { status: 'OutOfSync' },
    health: { status: 'Missing', since: now },
    workload: undefined,
    conditions: [],
    reconciledAt: now,
    history: [],
    refreshes: 0,
  }
}

/** The RBAC object of an application (security.RBACName). */
export function rbacName(app: Pick<AppRecord, 'project' | 'namespace' | 'name'>): string {
  return app.namespace === CONTROL_PLANE_NAMESPACE
    ? `${app.project}/${app.name}`
    : `${app.project}/${app.namespace}/${app.name}`
}

/** The app's Deployment and Service: named after `<app>` of `<namespace>.<app>`. */
export const workloadName = (app: Pick<AppRecord, 'name'>): string =>
  app.name.split('.').at(-1) ?? app.name

function resources(app: AppRecord): Record<string, unknown>[] {
  const synced = app.sync.status === 'Synced' ? 'Synced' : 'OutOfSync'
  const base = { namespace: app.destNamespace, name: workloadName(app), status: synced }
  const service: Record<string, unknown> = { version: 'v1', kind: 'Service', ...base }
  const deployment: Record<string, unknown> = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    ...base,
  }
  if (app.workload) {
    service['health'] = { status: 'Healthy' }
    deployment['health'] = {
      status: app.workload.status,
      ...(app.workload.message ? { message: app.workload.message } : {}),
    }
  } else {
    service['health'] = { status: 'Missing' }
    deployment['health'] = { status: 'Missing' }
  }
  return [service, deployment]
}

function source(app: AppRecord): Record<string, unknown> {
  return { repoURL: app.repoURL, path: app.path, targetRevision: app.branch }
}

function destination(app: AppRecord): Record<string, unknown> {
  return { server: 'https://kubernetes.default.svc', namespace: app.destNamespace }
}

function operationState(app: AppRecord, op: Operation): Record<string, unknown> {
  const name = workloadName(app)
  return {
    operation: {
      sync: { revision: op.revision, syncStrategy: { hook: {} } },
      initiatedBy: { automated: true },
      retry: { limit: 5 },
    },
    phase: op.phase,
    message: op.message,
    ...(op.result
      ? {
          syncResult: {
            resources: op.result.map((r, i) => ({
              ...(i === 1 ? { group: 'apps' } : { group: '' }),
              version: 'v1',
              kind: i === 1 ? 'Deployment' : 'Service',
              namespace: app.destNamespace,
              name,
              status: r.status,
              message: r.message,
              hookPhase: r.status === 'Synced' ? 'Running' : 'Failed',
              syncPhase: 'Sync',
            })),
            revision: op.revision,
            source: source(app),
          },
        }
      : {}),
    startedAt: op.startedAt,
    ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
  }
}

/** One Application as GET /api/v1/applications/{name} answers it. */
export function renderApp(app: AppRecord): Record<string, unknown> {
  const status: Record<string, unknown> = {
    resources: resources(app),
    sync: {
      status: app.sync.status,
      comparedTo: { source: source(app), destination: destination(app) },
      ...(app.sync.revision ? { revision: app.sync.revision } : {}),
    },
    health: {
      status: app.health.status,
      ...(app.health.message ? { message: app.health.message } : {}),
      lastTransitionTime: app.health.since,
    },
    ...(app.history.length
      ? {
          history: app.history.map((h) => ({
            revision: h.revision,
            deployedAt: h.deployedAt,
            id: h.id,
            source: source(app),
            deployStartedAt: h.deployStartedAt,
            initiatedBy: { automated: true },
          })),
        }
      : {}),
    reconciledAt: app.reconciledAt,
    ...(app.operation ? { operationState: operationState(app, app.operation) } : {}),
    ...(app.conditions.length
      ? {
          conditions: app.conditions.map((c) => ({
            type: c.type,
            message: c.message,
            lastTransitionTime: c.at,
          })),
        }
      : {}),
    sourceType: 'Directory',
    summary: {},
    controllerNamespace: CONTROL_PLANE_NAMESPACE,
  }
  return {
    metadata: {
      name: app.name,
      namespace: app.namespace,
      uid: app.uid,
      resourceVersion: String(app.resourceVersion),
      generation: 1,
      creationTimestamp: app.createdAt,
      labels: { 'app.kubernetes.io/managed-by': 'applicationset-controller' },
    },
    spec: {
      source: source(app),
      destination: destination(app),
      project: app.project,
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status,
  }
}

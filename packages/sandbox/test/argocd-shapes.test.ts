// Every answer of the Argo CD double uses only field names Argo CD's OpenAPI document declares,
// and carries the ones clients read. The table below was derived from Argo CD's
// assets/swagger.json (commit 37ee0097cf85): for each definition the double emits, its property
// names and, for objects, the definition they hold (`<definition>[]` for arrays of them; null: a
// scalar, a map, or a definition the double never emits).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startArgoCdSandbox,
  startGitHubSandbox,
  type ArgoCdSandbox,
  type GitHubSandbox,
} from '../src/index.js'
import { argoGet, forgedJwt } from './helpers/argocd.js'

const SWAGGER: Record<string, Record<string, string | null>> = {
  v1alpha1ApplicationList: { items: 'v1alpha1Application[]', metadata: 'v1ListMeta' },
  v1ListMeta: {
    continue: null,
    remainingItemCount: null,
    resourceVersion: null,
    selfLink: null,
    shardInfo: null,
  },
  v1alpha1Application: {
    metadata: 'v1ObjectMeta',
    operation: 'v1alpha1Operation',
    spec: 'v1alpha1ApplicationSpec',
    status: 'v1alpha1ApplicationStatus',
  },
  v1ObjectMeta: {
    annotations: null,
    creationTimestamp: null,
    deletionGracePeriodSeconds: null,
    deletionTimestamp: null,
    finalizers: null,
    generateName: null,
    generation: null,
    labels: null,
    managedFields: null,
    name: null,
    namespace: null,
    ownerReferences: null,
    resourceVersion: null,
    selfLink: null,
    uid: null,
  },
  v1alpha1ApplicationSpec: {
    destination: 'v1alpha1ApplicationDestination',
    ignoreDifferences: null,
    info: null,
    project: null,
    revisionHistoryLimit: null,
    source: 'v1alpha1ApplicationSource',
    sourceHydrator: null,
    sources: 'v1alpha1ApplicationSource[]',
    syncPolicy: 'v1alpha1SyncPolicy',
  },
  v1alpha1ApplicationSource: {
    chart: null,
    directory: null,
    helm: null,
    kustomize: null,
    name: null,
    path: null,
    plugin: null,
    ref: null,
    repoURL: null,
    tagPrefix: null,
    targetRevision: null,
  },
  v1alpha1ApplicationDestination: { name: null, namespace: null, server: null },
  v1alpha1SyncPolicy: {
    automated: 'v1alpha1SyncPolicyAutomated',
    managedNamespaceMetadata: null,
    retry: 'v1alpha1RetryStrategy',
    syncOptions: null,
  },
  v1alpha1SyncPolicyAutomated: { allowEmpty: null, enabled: null, prune: null, selfHeal: null },
  v1alpha1ApplicationStatus: {
    conditions: 'v1alpha1ApplicationCondition[]',
    controllerNamespace: null,
    health: 'v1alpha1AppHealthStatus',
    history: 'v1alpha1RevisionHistory[]',
    observedAt: null,
    operationState: 'v1alpha1OperationState',
    reconciledAt: null,
    resourceHealthSource: null,
    resources: 'applicationv1alpha1ResourceStatus[]',
    sourceHydrator: null,
    sourceType: null,
    sourceTypes: null,
    summary: 'v1alpha1ApplicationSummary',
    sync: 'v1alpha1SyncStatus',
  },
  applicationv1alpha1ResourceStatus: {
    group: null,
    health: 'v1alpha1HealthStatus',
    hook: null,
    kind: null,
    name: null,
    namespace: null,
    requiresDeletionConfirmation: null,
    requiresPruning: null,
    status: null,
    syncWave: null,
    version: null,
  },
  v1alpha1HealthStatus: { lastTransitionTime: null, message: null, status: null },
  v1alpha1SyncStatus: {
    comparedTo: 'v1alpha1ComparedTo',
    revision: null,
    revisions: null,
    status: null,
  },
  v1alpha1ComparedTo: {
    destination: 'v1alpha1ApplicationDestination',
    ignoreDifferences: null,
    source: 'v1alpha1ApplicationSource',
    sources: 'v1alpha1ApplicationSource[]',
  },
  v1alpha1AppHealthStatus: { lastTransitionTime: null, message: null, status: null },
  v1alpha1RevisionHistory: {
    deployStartedAt: null,
    deployedAt: null,
    id: null,
    initiatedBy: 'v1alpha1OperationInitiator',
    revision: null,
    revisions: null,
    source: 'v1alpha1ApplicationSource',
    sources: 'v1alpha1ApplicationSource[]',
  },
  v1alpha1OperationInitiator: { automated: null, username: null },
  v1alpha1OperationState: {
    finishedAt: null,
    message: null,
    operation: 'v1alpha1Operation',
    phase: null,
    retryCount: null,
    startedAt: null,
    syncResult: 'v1alpha1SyncOperationResult',
  },
  v1alpha1Operation: {
    info: null,
    initiatedBy: 'v1alpha1OperationInitiator',
    retry: 'v1alpha1RetryStrategy',
    sync: 'v1alpha1SyncOperation',
  },
  v1alpha1SyncOperation: {
    autoHealAttemptsCount: null,
    dryRun: null,
    manifests: null,
    prune: null,
    resources: null,
    revision: null,
    revisions: null,
    source: 'v1alpha1ApplicationSource',
    sources: 'v1alpha1ApplicationSource[]',
    syncOptions: null,
    syncStrategy: 'v1alpha1SyncStrategy',
  },
  v1alpha1SyncStrategy: { apply: null, hook: 'v1alpha1SyncStrategyHook' },
  v1alpha1SyncStrategyHook: { syncStrategyApply: null },
  v1alpha1RetryStrategy: { backoff: null, limit: null, refresh: null },
  v1alpha1SyncOperationResult: {
    managedNamespaceMetadata: null,
    resources: 'v1alpha1ResourceResult[]',
    revision: null,
    revisions: null,
    source: 'v1alpha1ApplicationSource',
    sources: 'v1alpha1ApplicationSource[]',
  },
  v1alpha1ResourceResult: {
    group: null,
    hookPhase: null,
    hookType: null,
    images: null,
    kind: null,
    message: null,
    name: null,
    namespace: null,
    status: null,
    syncPhase: null,
    version: null,
  },
  v1alpha1ApplicationSummary: { externalURLs: null, images: null, isAppOfApps: null },
  v1alpha1ApplicationCondition: { lastTransitionTime: null, message: null, type: null },
  sessionGetUserInfoResponse: { groups: null, iss: null, loggedIn: null, username: null },
  accountCanIResponse: { value: null },
  runtimeError: { code: null, details: null, error: null, message: null },
}

/** The paths of fields the swagger does not declare for `definition`, walking nested objects. */
function undeclared(value: unknown, definition: string, at = '$'): string[] {
  const fields = SWAGGER[definition]
  if (!fields) throw new Error(`no table entry for ${definition}`)
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [`${at}: expected an object (${definition})`]
  const out: string[] = []
  for (const [key, child] of Object.entries(value)) {
    if (!(key in fields)) {
      out.push(`${at}.${key} (not in ${definition})`)
      continue
    }
    const inner = fields[key]
    if (!inner) continue
    if (inner.endsWith('[]')) {
      if (!Array.isArray(child)) out.push(`${at}.${key}: expected an array (${inner})`)
      else
        child.forEach((item, i) =>
          out.push(...undeclared(item, inner.slice(0, -2), `${at}.${key}[${i}]`)),
        )
    } else out.push(...undeclared(child, inner, `${at}.${key}`))
  }
  return out
}

const REPO = 'acme/deploy'
let gh: GitHubSandbox
let argo: ArgoCdSandbox
let admin: string

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(REPO, {
    git: true,
    files: {
      'c1/apps/web/ok/config.yaml': 'name: web.ok\nnamespace: web\n',
      'c1/apps/web/failing/config.yaml': 'name: web.failing\nnamespace: web\n',
      'c1/apps/web/sick/config.yaml': 'name: web.sick\nnamespace: web\n',
    },
  })
  argo = await startArgoCdSandbox({ github: gh, syncDelayMs: 10, pollIntervalMs: 60_000 })
  argo.watchDeployRepo(REPO, {
    project: 'shapes',
    outcome: (name) =>
      name === 'web.failing' ? 'SyncFailed' : name === 'web.sick' ? 'Degraded' : 'Healthy',
  })
  argo.addAccount('bot')
  argo.setPolicy('g, bot, role:admin')
  admin = argo.accountToken('bot')
}, 60_000)

afterAll(async () => {
  await argo?.stop()
  await gh?.stop()
})

describe('answers follow the swagger', () => {
  it('the swagger table itself: the definitions clients read have the fields they read', () => {
    expect(Object.keys(SWAGGER['v1alpha1ApplicationStatus']!)).toEqual(
      expect.arrayContaining([
        'sync',
        'health',
        'operationState',
        'resources',
        'conditions',
        'reconciledAt',
      ]),
    )
    expect(SWAGGER['runtimeError']).toEqual({
      code: null,
      details: null,
      error: null,
      message: null,
    })
  })

  it('applications in every phase: generated, Running, Succeeded, Failed, Degraded', async () => {
    const seen: unknown[] = []
    const app = async (name: string, query = '') => {
      const res = await argoGet(argo.url, `/api/v1/applications/${name}${query}`, admin)
      expect(res.status).toBe(200)
      seen.push(res.json)
      return res.json
    }
    await app('web.ok')
    // A push every app notices on refresh: Running first, then each outcome.
    gh.addCommit(REPO, {
      message: 'release',
      files: { 'c1/apps/web/ok/manifests/a.yaml': 'kind: ConfigMap\n' },
    })
    for (const name of ['web.ok', 'web.failing', 'web.sick'])
      expect((await app(name, '?refresh=normal')).status.operationState.phase).toBe('Running')
    const deadline = Date.now() + 5000
    while (
      argo.application('web.ok')?.health !== 'Healthy' ||
      argo.application('web.ok')?.sync !== 'Synced' ||
      argo.application('web.sick')?.health !== 'Degraded' ||
      argo.application('web.failing')?.operationPhase !== 'Failed'
    ) {
      if (Date.now() > deadline) throw new Error('the apps never settled')
      await new Promise((r) => setTimeout(r, 20))
    }
    const ok = await app('web.ok')
    const failing = await app('web.failing')
    const sick = await app('web.sick')
    for (const a of seen) expect(undeclared(a, 'v1alpha1Application')).toEqual([])
    // What clients read is there.
    for (const a of [ok, failing, sick]) {
      expect(a.metadata).toEqual(
        expect.objectContaining({ name: expect.any(String), namespace: 'argocd' }),
      )
      expect(a.spec).toEqual(
        expect.objectContaining({ project: 'shapes', source: expect.any(Object) }),
      )
      expect(a.status).toEqual(
        expect.objectContaining({
          sync: expect.objectContaining({
            status: expect.any(String),
            revision: expect.stringMatching(/^[0-9a-f]{40}$/),
          }),
          health: expect.objectContaining({ status: expect.any(String) }),
          operationState: expect.objectContaining({
            phase: expect.any(String),
            startedAt: expect.any(String),
          }),
          resources: expect.any(Array),
          reconciledAt: expect.stringMatching(/Z$/),
        }),
      )
    }
    expect(failing.status.conditions).toHaveLength(1)
    expect(undeclared(failing.status.conditions[0], 'v1alpha1ApplicationCondition')).toEqual([])
    expect(sick.status.health.message).toEqual(expect.any(String))
  })

  it('the list, userinfo, can-i and the errors', async () => {
    const list = await argoGet(argo.url, '/api/v1/applications', admin)
    expect(list.json.items).toHaveLength(3)
    expect(undeclared(list.json, 'v1alpha1ApplicationList')).toEqual([])
    const user = await argoGet(argo.url, '/api/v1/session/userinfo', admin)
    expect(undeclared(user.json, 'sessionGetUserInfoResponse')).toEqual([])
    expect(Object.keys(user.json).sort()).toEqual(['iss', 'loggedIn', 'username'])
    const can = await argoGet(argo.url, '/api/v1/account/can-i/clusters/get/x', admin)
    expect(undeclared(can.json, 'accountCanIResponse')).toEqual([])
    const errors = await Promise.all([
      argoGet(
        argo.url,
        '/api/v1/applications/web.ok',
        forgedJwt({ iss: 'argocd', sub: 'bot:apiKey', iat: 1 }),
      ),
      argoGet(argo.url, '/api/v1/applications/nope', admin),
      argoGet(argo.url, '/api/v1/applications/nope?project=shapes', admin),
      argoGet(argo.url, '/api/v1/account/can-i/pods/get/x', admin),
    ])
    expect(errors.map((e) => e.status)).toEqual([401, 403, 404, 400])
    for (const e of errors) {
      expect(undeclared(e.json, 'runtimeError')).toEqual([])
      expect(e.json).toEqual({
        error: expect.any(String),
        code: expect.any(Number),
        message: e.json.error,
      })
    }
  })

  it('the walker catches an undeclared field (it can fail)', () => {
    expect(
      undeclared(
        { metadata: { name: 'x', nme: 'typo' }, status: { health: [] } },
        'v1alpha1Application',
      ),
    ).toEqual([
      '$.metadata.nme (not in v1ObjectMeta)',
      '$.status.health: expected an object (v1alpha1AppHealthStatus)',
    ])
  })
})

// A loopback double of the Argo CD API server (argo-cd server/: session, account, application
// services behind the grpc-gateway): its own HS256 tokens, RBAC by casbin with Argo CD's model,
// and the application controller of controller.ts. Errors carry the grpc-gateway body
// {"error", "code", "message"} with the HTTP status the gateway maps the gRPC code to.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Delays, payloadOf, readRequest, sendWhole, serveOnLoopback } from '../serve.js'
import { CONTROL_PLANE_NAMESPACE, rbacName, renderApp, type AppRecord } from './applications.js'
import { AppController } from './controller.js'
import { Identities, type Caller } from './identities.js'
import {
  ACTIONS,
  enforceClaims,
  parsePolicy,
  PROJECT_SCOPED,
  RESOURCES,
  type RbacConfig,
} from './rbac.js'
import type { ArgoCdRequest, ArgoCdSandbox, ArgoCdSandboxOptions } from './types.js'

/** gRPC codes the gateway answers, and their HTTP statuses (runtime.HTTPStatusFromCode). */
const GRPC = {
  InvalidArgument: [3, 400],
  NotFound: [5, 404],
  PermissionDenied: [7, 403],
  Unauthenticated: [16, 401],
} as const

interface Answer {
  status: number
  body: unknown
}

const grpcError = (code: keyof typeof GRPC, message: string): Answer => ({
  status: GRPC[code][1],
  body: { error: message, code: GRPC[code][0], message },
})
const PERMISSION_DENIED = grpcError('PermissionDenied', 'permission denied')

// What the server answers outside /api: the UI's index page (a single-page app).
const UI_INDEX =
  '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Argo CD</title>' +
  '<base href="/"></head><body><noscript><p>Your browser does not support JavaScript.</p>' +
  '</noscript><div id="app"></div></body></html>'

/** A path segment as the gateway decodes it; undefined when its %-escapes are broken. */
function segment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

/** getToken: `Authorization: Bearer <jwt>` first, else the argocd.token cookie. */
function tokenOf(headers: IncomingMessage['headers']): string | undefined {
  const auth = headers['authorization']
  if (auth?.startsWith('Bearer ')) {
    const t = auth.slice(7)
    if (t.split('.').length === 3) return t
  }
  for (const part of (headers['cookie'] ?? '').split(/;\s*/)) {
    const [name, ...value] = part.split('=')
    if (name === 'argocd.token' && value.join('=').split('.').length === 3) return value.join('=')
  }
  return undefined
}

export async function startArgoCdSandbox(opts: ArgoCdSandboxOptions = {}): Promise<ArgoCdSandbox> {
  const delays = new Delays()
  const ids = new Identities()
  let base = ''
  let policy = opts.policy ?? ''
  let defaultRole = opts.defaultRole ?? ''
  parsePolicy(policy)
  const rbac = (): RbacConfig => ({ policy, defaultRole, project: (n) => ids.project(n) })
  const controller = new AppController({
    github: opts.github,
    pollIntervalMs: opts.pollIntervalMs ?? 3000,
    syncDelayMs: opts.syncDelayMs ?? 100,
    sleep: delays.sleep,
    ensureProject: (name) => {
      if (!ids.projects.has(name)) ids.addProject(name)
    },
    url: () => base,
  })
  const requests: ArgoCdRequest[] = []

  const can = (caller: Caller, res: string, act: string, obj: string) =>
    enforceClaims(rbac(), caller, res, act, obj)

  async function getApp(caller: Caller, name: string, q: URLSearchParams): Promise<Answer> {
    const namespace = q.get('appNamespace') || CONTROL_PLANE_NAMESPACE
    const projects = [...q.getAll('project'), ...q.getAll('projects')].filter((p) => p !== '')
    if (projects.length > 1)
      return grpcError(
        'InvalidArgument',
        'multiple projects specified - the get endpoint accepts either zero or one project',
      )
    const project = projects[0]
    const notFound = grpcError('NotFound', `applications.argoproj.io "${name}" not found`)
    // getAppEnforceRBAC: never tell a caller who may not see an app whether it exists.
    if (
      project !== undefined &&
      !(await can(caller, 'applications', 'get', rbacName({ project, namespace, name })))
    )
      return PERMISSION_DENIED
    const app = controller.app(name, namespace)
    if (!app) return project !== undefined ? notFound : PERMISSION_DENIED
    if (!(await can(caller, 'applications', 'get', rbacName(app))))
      return project !== undefined ? notFound : PERMISSION_DENIED
    if (project !== undefined && app.project !== project) return notFound
    // Any `refresh` (even empty) asks for one; only 'hard' differs, and not here.
    if (q.has('refresh')) controller.refresh(app)
    return { status: 200, body: renderApp(app) }
  }

  async function listApps(caller: Caller, q: URLSearchParams): Promise<Answer> {
    const projects = [...q.getAll('project'), ...q.getAll('projects')].filter((p) => p !== '')
    const namespace = q.get('appNamespace')
    const name = q.get('name')
    const items: AppRecord[] = []
    for (const app of controller.apps.values()) {
      if (projects.length && !projects.includes(app.project)) continue
      if (namespace && app.namespace !== namespace) continue
      if (name && app.name !== name) continue
      if (await can(caller, 'applications', 'get', rbacName(app))) items.push(app)
    }
    const version = Math.max(0, ...[...controller.apps.values()].map((a) => a.resourceVersion))
    return {
      status: 200,
      body: { metadata: { resourceVersion: String(version) }, items: items.map(renderApp) },
    }
  }

  async function route(
    method: string,
    url: URL,
    headers: IncomingMessage['headers'],
    record: ArgoCdRequest,
  ): Promise<Answer> {
    const path = url.pathname
    if (!path.startsWith('/api/')) return { status: 200, body: UI_INDEX }
    if (method !== 'GET') return grpcError('NotFound', 'Not Found')
    const auth = ids.authenticate(tokenOf(headers))
    record.authorized = auth.ok
    if (path === '/api/v1/session/userinfo') {
      // AuthFuncOverride: userinfo never refuses; an unauthenticated caller is just not logged in.
      if (!auth.ok) return { status: 200, body: {} }
      const { sub, iss, groups } = auth.caller
      return {
        status: 200,
        body: { loggedIn: true, username: sub, iss, ...(groups.length ? { groups } : {}) },
      }
    }
    const canI = /^\/api\/v1\/account\/can-i\/([^/]+)\/([^/]+)\/(.+)$/.exec(path)
    const appGet = /^\/api\/v1\/applications\/([^/]+)$/.exec(path)
    const known = canI || appGet || path === '/api/v1/applications'
    if (!known) return grpcError('NotFound', 'Not Found')
    if (!auth.ok) return grpcError('Unauthenticated', auth.message)
    if (canI) {
      const [resource, action, subresource] = canI.slice(1).map(segment)
      if (resource === undefined || action === undefined || subresource === undefined)
        return grpcError('InvalidArgument', 'invalid URL escape in the path')
      if (!ACTIONS.includes(action))
        return grpcError('InvalidArgument', `[${ACTIONS.join(' ')}] does not contain ${action}`)
      if (!RESOURCES.includes(resource))
        return grpcError('InvalidArgument', `[${RESOURCES.join(' ')}] does not contain ${resource}`)
      // rollback is judged as sync unless server.rbac.rollback.enforce.enable (off by default).
      const act = action === 'rollback' ? 'sync' : action
      // project/<control-plane namespace>/name is project/name to RBAC.
      let object = subresource
      const parts = subresource.split('/')
      if (
        PROJECT_SCOPED.has(resource) &&
        parts.length === 3 &&
        parts[1] === CONTROL_PLANE_NAMESPACE
      )
        object = `${parts[0]}/${parts[2]}`
      const yes = await can(auth.caller, resource, act, object)
      return { status: 200, body: { value: yes ? 'yes' : 'no' } }
    }
    if (appGet) {
      const name = segment(appGet[1]!)
      if (name === undefined) return grpcError('InvalidArgument', 'invalid URL escape in the path')
      return getApp(auth.caller, name, url.searchParams)
    }
    return listApps(auth.caller, url.searchParams)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = await readRequest(req)
    const url = new URL(head.path, base)
    const record: ArgoCdRequest = {
      method: head.method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      authorized: false,
    }
    requests.push(record)
    let answer: Answer
    try {
      answer = await route(head.method, url, req.headers, record)
    } catch (err) {
      // A bug in the double: say so loudly rather than pass for the real server.
      console.error('argocd sandbox: internal error', err)
      answer = { status: 500, body: { error: String(err), code: 13, message: String(err) } }
    }
    const { payload, isText } = payloadOf(answer.body)
    sendWhole(
      res,
      { status: 0 },
      answer.status,
      { 'content-type': isText ? 'text/html; charset=utf-8' : 'application/json' },
      payload,
    )
  }

  const served = await serveOnLoopback({
    name: 'argocd sandbox',
    ...(opts.host ? { host: opts.host } : {}),
    handle,
    delays,
    onStop: () => controller.stop(),
  })
  base = served.url

  return {
    url: served.url,
    stop: () => served.stop(),
    addProject: (name, o) => ids.addProject(name, o?.roles),
    projectToken: (project, role, o) => ids.projectToken(project, role, o),
    addAccount: (name, o) => ids.addAccount(name, o),
    accountToken: (account, o) => ids.accountToken(account, o),
    revokeToken: (token) => ids.revokeToken(token),
    setPolicy(csv, role) {
      parsePolicy(csv)
      policy = csv
      if (role !== undefined) defaultRole = role
    },
    watchDeployRepo: (fullName, o) => controller.watch(fullName, o),
    application(name, appNamespace) {
      const app = controller.app(name, appNamespace)
      if (!app) return undefined
      return {
        ...(app.sync.revision ? { revision: app.sync.revision } : {}),
        sync: app.sync.status,
        health: app.health.status,
        ...(app.operation ? { operationPhase: app.operation.phase } : {}),
        refreshes: app.refreshes,
      }
    },
    requests,
    clearRequests() {
      requests.length = 0
    },
  }
}

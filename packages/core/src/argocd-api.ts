import {
  describeBody,
  isJsonObject,
  unreadableReason,
  withoutTokens,
  type Answer,
  type Shape,
} from './answers.js'
import { UserError } from './errors.js'
import { getJson } from './http.js'
import { assertSameOrigin } from './origin.js'

/**
 * Argo CD's REST API (the gRPC gateway under /api/v1), shared by the token audit
 * (validate-pat-scopes) and the release's wait (sync-argocd-deploy-repo): one GET through core's
 * getJson (bearer token, per-attempt timeout, transient retries, no redirects, same origin only),
 * the URL builders, and one explainer of Argo CD's error answers.
 */

/** Where the server is and what configured it (for messages), e.g. input 'argocd-url'. */
export interface ArgoCdServer {
  /** e.g. https://argocd.example.com (a trailing /api/v1 is accepted and dropped). */
  url: string
  token: string
  /** Names the setting in errors: "input 'api-url'". */
  source: string
}

export interface ArgoCdGetOptions {
  attempts?: number
  timeoutMs?: number
  baseMs?: number
  deadlineMs?: number
}

/** The server's base URL without trailing slashes and without the API prefix. */
export function argoCdBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v1$/, '')
}

const seg = (value: string) => encodeURIComponent(value)
const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v)
  const text = q.toString()
  return text ? `?${text}` : ''
}

/** The paths of the requests the suite makes (Argo CD's swagger.json). */
export const argoCdPaths = {
  userInfo: (): string => '/api/v1/session/userinfo',
  /** Each segment encoded whole: `action/*` and `my-proj/nonprod.web` travel as one segment. */
  canI: (resource: string, action: string, object: string): string =>
    `/api/v1/account/can-i/${seg(resource)}/${seg(action)}/${seg(object)}`,
  application: (
    name: string,
    opts: { appNamespace?: string; refresh?: 'normal' | 'hard' } = {},
  ): string =>
    `/api/v1/applications/${seg(name)}${query({ refresh: opts.refresh, appNamespace: opts.appNamespace })}`,
  applications: (opts: { projects?: string[]; appNamespace?: string } = {}): string => {
    const q = new URLSearchParams()
    for (const p of opts.projects ?? []) q.append('projects', p)
    if (opts.appNamespace) q.set('appNamespace', opts.appNamespace)
    const text = q.toString()
    return `/api/v1/applications${text ? `?${text}` : ''}`
  },
}

/**
 * GET `path` (from argoCdPaths) on the server. Never throws for what the server did: the answer
 * (status 0 when none came) goes back to be judged (readCanI, argoCdFailure, answers.ts).
 */
export async function argoCdGet(
  server: ArgoCdServer,
  path: string,
  opts: ArgoCdGetOptions = {},
): Promise<Answer> {
  const url = `${argoCdBase(server.url)}${path}`
  // Built from the configured URL, so this holds by construction; checked all the same, since
  // the token must never leave that origin.
  assertSameOrigin(url, { base: server.url, source: server.source, method: 'GET' })
  return getJson(
    url,
    {
      Authorization: `Bearer ${server.token}`,
      Accept: 'application/json',
      'User-Agent': 'argocd-actions',
    },
    opts,
  )
}

/** Argo CD's gRPC codes that come back in the gateway's error body. */
const GRPC_CODES: Record<number, string> = {
  2: 'Unknown',
  3: 'InvalidArgument',
  4: 'DeadlineExceeded',
  5: 'NotFound',
  7: 'PermissionDenied',
  9: 'FailedPrecondition',
  13: 'Internal',
  14: 'Unavailable',
  16: 'Unauthenticated',
}

/** The gRPC-gateway error body `{ error, code, message }`, when that is what came. */
export function grpcError(answer: Answer): { code?: number; message: string } | undefined {
  const body = answer.body
  if (!isJsonObject(body)) return undefined
  const message = typeof body.message === 'string' ? body.message : body.error
  if (typeof message !== 'string') return undefined
  return { code: typeof body.code === 'number' ? body.code : undefined, message }
}

/** What a request needs from the token's role, to name the policy line that would grant it. */
export interface ArgoCdPermission {
  resource: string
  action: string
  /** e.g. `my-proj/nonprod.web` for applications, `*` for clusters. */
  object: string
}

/**
 * The RBAC subject a token's `sub` claim stands for: a project role's token is
 * `proj:<project>:<role>` in policies; a local account's `<account>:apiKey` (or `:login`) is the
 * account name (Argo CD's sessionmanager drops the capability).
 */
export function rbacSubject(sub: string): string {
  if (sub.startsWith('proj:')) return sub
  const m = /^(.+):(apiKey|login)$/.exec(sub)
  return m ? m[1] : sub
}

/** The policy line that grants `need` to `subject` (argocd-rbac-cm policy.csv or the project role). */
export function policyLine(subject: string, need: ArgoCdPermission): string {
  return `p, ${subject}, ${need.resource}, ${need.action}, ${need.object}, allow`
}

/** Where that line goes: a project role's policies, or argocd-rbac-cm's policy.csv. */
export function policyHome(subject: string): string {
  const m = /^proj:([^:]+):(.+)$/.exec(subject)
  return m
    ? `the role '${m[2]}' of project '${m[1]}' (spec.roles[].policies of the AppProject)`
    : 'the ConfigMap argocd-rbac-cm (policy.csv)'
}

/** A failed Argo CD request, explained; status and gRPC code for callers that branch on them. */
export class ArgoCdError extends UserError {
  constructor(
    message: string,
    readonly status: number,
    readonly grpcCode?: number,
  ) {
    super(message)
    this.name = 'ArgoCdError'
  }
}

export interface FailureContext {
  /** What was being done, e.g. "reading application nonprod.web". */
  doing: string
  /** What the request needs, for a 403. */
  needs?: ArgoCdPermission
  /** The token's RBAC subject (from rbacSubject), for the policy line. */
  subject?: string
  /** The token's expiry from its claims, to tell "expired" from "revoked" on a 401. */
  expiresAt?: Date | null
  /** Where the server URL came from, e.g. "input 'argocd-url'". */
  source?: string
  /** For a 2xx of the wrong shape. */
  expected?: Shape
  now?: Date
}

/**
 * One explanation for every answer that is not what was asked for: 401 (invalid, expired or
 * revoked), 403 (the role lacks the permission, with the policy line that would grant it), 404,
 * an HTML page from a proxy, a redirect not followed, 5xx or no answer after retries, a 2xx of the
 * wrong shape. Argo CD's own words are quoted (scrubbed of anything token-shaped), never the token.
 */
export function argoCdFailure(answer: Answer, ctx: FailureContext): ArgoCdError {
  const grpc = answer.bodyKind === 'json' ? grpcError(answer) : undefined
  const said = grpc ? ` Argo CD said: "${withoutTokens(grpc.message).slice(0, 300)}"` : ''
  const codeName = grpc?.code !== undefined ? GRPC_CODES[grpc.code] : undefined
  const head = `${ctx.doing}: ${answer.request} `
  const fail = (text: string) => new ArgoCdError(text, answer.status, grpc?.code)
  const { status } = answer

  if (status === 401 && (answer.bodyKind === 'json' || answer.bodyKind === 'empty')) {
    const now = ctx.now ?? new Date()
    const expired = ctx.expiresAt && ctx.expiresAt <= now
    const why = expired
      ? `the token expired on ${ctx.expiresAt!.toISOString()}`
      : 'the token is invalid, expired or revoked (or was signed by another Argo CD)'
    return fail(
      `${head}was refused with 401${codeName ? ` (${codeName})` : ''}: ${why}.${said} Create a new token (argocd proj role create-token, or argocd account generate-token) and update the secret.`,
    )
  }
  if (status === 403 && grpc) {
    const subject = ctx.subject ?? '<role>'
    const lacks = ctx.needs
      ? `the token's role lacks '${ctx.needs.resource}, ${ctx.needs.action}' on '${ctx.needs.object}' (or that object does not exist: Argo CD answers 403 to a role that may not see it). The policy line that grants it, in ${policyHome(subject)}: ${policyLine(subject, ctx.needs)}`
      : "the token's role lacks the permission"
    return fail(`${head}was refused with 403${codeName ? ` (${codeName})` : ''}: ${lacks}.${said}`)
  }
  if (status === 404 && grpc) {
    return fail(
      `${head}answered 404${codeName ? ` (${codeName})` : ''}: not found on this Argo CD; check the name, the app namespace and ${ctx.source ?? 'the server URL'}.${said}`,
    )
  }
  if (status >= 200 && status < 300) {
    return fail(
      `${head}${unreadableReason(answer, 'Argo CD', ctx.expected)}; nothing was concluded from it.`,
    )
  }
  if (status >= 400 && status < 500 && grpc && status !== 429) {
    return fail(`${head}was refused with ${status}${codeName ? ` (${codeName})` : ''}.${said}`)
  }
  const reason = unreadableReason(answer, 'Argo CD')
  const server = grpc && status >= 500 ? `${said}` : ''
  return fail(`${head}${reason}.${server}`)
}

/** can-i's answer: only `{"value":"yes"|"no"}` counts. */
export const CAN_I_SHAPE: Shape = {
  test: (b) => isJsonObject(b) && (b.value === 'yes' || b.value === 'no'),
  is: `a JSON object with 'value' "yes" or "no"`,
}

export type CanIReading =
  | { state: 'yes' }
  | { state: 'no' }
  | { state: 'rejected' }
  | { state: 'unreadable'; reason: string }

/**
 * Only a readable `{"value":"no"}` proves "no": can-i answers for the caller and refuses nothing
 * it can evaluate, so a 403, a 404, a 5xx, HTML, null or another shape is unreadable (never "no").
 * A 401 from Argo CD itself says the token is not accepted at all.
 */
export function readCanI(answer: Answer): CanIReading {
  if (answer.status === 401 && (answer.bodyKind === 'json' || answer.bodyKind === 'empty'))
    return { state: 'rejected' }
  if (answer.status >= 200 && answer.status < 300 && CAN_I_SHAPE.test(answer.body))
    return { state: (answer.body as { value: 'yes' | 'no' }).value }
  if (answer.status >= 200 && answer.status < 300)
    return { state: 'unreadable', reason: unreadableReason(answer, 'Argo CD', CAN_I_SHAPE) }
  const grpc = answer.bodyKind === 'json' ? grpcError(answer) : undefined
  if (grpc && answer.status >= 400 && answer.status < 500 && answer.status !== 429)
    return {
      state: 'unreadable',
      reason: `answered ${answer.status} with ${describeBody(answer)}: can-i answers "yes" or "no" for the caller, so a refusal proves nothing either way`,
    }
  return { state: 'unreadable', reason: unreadableReason(answer, 'Argo CD') }
}

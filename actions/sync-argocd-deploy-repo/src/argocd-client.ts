import {
  argoCdFailure,
  argoCdGet,
  argoCdPaths,
  readJwtClaims,
  rbacSubject,
  type ArgoCdServer,
} from '@argocd-actions/core'
import { APPLICATION_SHAPE, readApplication } from './argocd-app.js'
import type { ArgoCdWaitInputs } from './argocd-inputs.js'
import type { ArgoCdAppClient } from './argocd-wait.js'

// Per attempt, and all retries of one GET (core's getJson retries 5xx, 429 and no answer; a 401
// or 403 is an answer and is never retried).
const REQUEST_TIMEOUT_MS = 30_000
const REQUEST_DEADLINE_MS = 60_000

/**
 * The wait's one request, through core's Argo CD client (bearer token to `argocd-url`'s origin
 * only, no redirects followed) and its explainer: a 403 names the policy line that would grant
 * `applications, get` on the app to the token's role.
 */
export function argoCdAppClient(inputs: ArgoCdWaitInputs, appName: string): ArgoCdAppClient {
  const server: ArgoCdServer = {
    url: inputs.url,
    token: inputs.token,
    source: "input 'argocd-url'",
  }
  const read = readJwtClaims(inputs.token)
  const claims = 'claims' in read ? read.claims : {}
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  const subject = sub ? rbacSubject(sub) : undefined
  // A project role's token names its project; any other gets a placeholder in the policy line.
  const tokenProject = /^proj:([^:]+):/.exec(sub)?.[1]
  const object = [tokenProject ?? '<project>', inputs.appNamespace, appName]
    .filter(Boolean)
    .join('/')
  // With its project named, Argo CD answers an app it has not generated yet with 404 NotFound
  // to a role that may see the project's apps; without, with 403 (it never tells whether an app
  // it will not show exists), which cannot be told from a missing permission.
  const projectQuery = tokenProject ? `project=${encodeURIComponent(tokenProject)}` : ''
  return {
    async getApplication(refresh) {
      const base = argoCdPaths.application(appName, {
        appNamespace: inputs.appNamespace,
        refresh: refresh ? 'normal' : undefined,
      })
      const path = projectQuery ? `${base}${base.includes('?') ? '&' : '?'}${projectQuery}` : base
      const answer = await argoCdGet(server, path, {
        timeoutMs: REQUEST_TIMEOUT_MS,
        deadlineMs: REQUEST_DEADLINE_MS,
      })
      const ctx = {
        doing: `${refresh ? 'refreshing' : 'reading'} Argo CD application ${appName}`,
        needs: { resource: 'applications', action: 'get', object },
        subject,
        source: "input 'argocd-url'",
        expected: APPLICATION_SHAPE,
      }
      if (answer.status >= 200 && answer.status < 300) {
        const app = readApplication(answer.body)
        if (app) return app
      }
      // Argo CD's own NotFound (gRPC code 5): the ApplicationSet has not generated the app yet.
      if (answer.status === 404 && answer.bodyKind === 'json') {
        const failure = argoCdFailure(answer, ctx)
        if (failure.grpcCode === 5) return undefined
        throw failure
      }
      throw argoCdFailure(answer, ctx)
    },
  }
}

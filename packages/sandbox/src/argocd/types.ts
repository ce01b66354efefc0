// The Argo CD double's public face (issue 15): a loopback Argo CD API server with its own tokens,
// RBAC by casbin, and an application controller over a deploy repository of the GitHub double.
import type { GitHubSandbox } from '../github/types.js'

export interface ArgoCdSandboxOptions {
  /** Deploy repos live there; the controller sees pushes through `github.onPush`. */
  github?: GitHubSandbox
  /** The controller's own poll of the repo (real Argo CD: 180 s); default 3000. */
  pollIntervalMs?: number
  /** Noticing a revision -> Synced, and again -> Healthy (or Degraded); default 100. */
  syncDelayMs?: number
  /** RBAC CSV (p, g lines) as in argocd-rbac-cm policy.csv. */
  policy?: string
  /** policy.default ('' = none, the default). */
  defaultRole?: string
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
}

export interface ArgoCdProjectRole {
  name: string
  /** `p, proj:<project>:<role>, <resource>, <action>, <project>/<object>, allow|deny`. */
  policies: string[]
  /** OIDC groups bound to the role. */
  groups?: string[]
}

export interface ArgoCdTokenOptions {
  /** Seconds from `issuedAt`; null, undefined or 0: the token never expires (no `exp`). */
  expiresInSeconds?: number | null
  /** Default now. */
  issuedAt?: Date
  /**
   * A `groups` claim, as an SSO (OIDC) token carries; Argo CD's own tokens have none. For tests of
   * group bindings (`g, <group>, <role>` lines and project roles' `groups`). Default none.
   */
  groups?: string[]
}

export type ArgoCdOutcome = 'Healthy' | 'Degraded' | 'SyncFailed' | 'NeverSyncs' | 'IgnoresRefresh'

export interface WatchDeployRepoOptions {
  /** The AppProject every generated Application belongs to (added if missing). */
  project: string
  /** Branch the Applications track (their targetRevision); default main (or the only branch). */
  branch?: string
  /** Namespace the Application objects live in; default 'argocd' (the control plane's). */
  appNamespace?: string
  /** What happens when an app notices a new revision; default 'Healthy'. */
  outcome?: (appName: string) => ArgoCdOutcome
  /**
   * Also play argocd-notifications on the GitHub double, driven by this controller: commit
   * statuses on config.yaml's `app_repository` at `app_commit` (context
   * `continuous-delivery/<app name>`, description 'ArgoCD', creator 'argocd-notifications'):
   * `pending` when a sync starts, then `success` (Healthy), `failure` (Degraded) or `error`
   * (sync failed). Default false (`github.enableArgoCd` is the stand-alone stand-in).
   */
  notifications?: boolean
}

export interface ArgoCdAppState {
  /** status.sync.revision. */
  revision?: string
  /** status.sync.status: Synced | OutOfSync | Unknown. */
  sync: string
  /** status.health.status: Healthy | Progressing | Degraded | Missing | ... */
  health: string
  /** status.operationState.phase: Running | Succeeded | Failed. */
  operationPhase?: string
  /** GETs with `?refresh=` that reached this application. */
  refreshes: number
}

export interface ArgoCdRequest {
  method: string
  /** Path without the query (URL-encoded as sent). */
  path: string
  /** The query string without '?', '' when none. */
  query: string
  /** A valid Argo CD token authenticated the request (whatever RBAC then said). */
  authorized: boolean
}

export interface ArgoCdSandbox {
  /** http://127.0.0.1:<port>; the API is under /api/v1. */
  readonly url: string
  stop(): Promise<void>
  /** Roles' policies are checked as Argo CD does (own project's objects only); throws if invalid. */
  addProject(name: string, opts?: { roles?: ArgoCdProjectRole[] }): void
  /** A project role's JWT (`sub: proj:<project>:<role>`), listed in the role's jwtTokens. */
  projectToken(project: string, role: string, opts?: ArgoCdTokenOptions): string
  /**
   * A local account (argocd-cm `accounts.<name>`); default capabilities ['apiKey'], enabled.
   * Adding it again changes its settings and keeps its tokens.
   */
  addAccount(
    name: string,
    opts?: { capabilities?: ('apiKey' | 'login')[]; enabled?: boolean },
  ): void
  /** An account's API key (`sub: <account>:apiKey`); the account needs the apiKey capability. */
  accountToken(account: string, opts?: ArgoCdTokenOptions): string
  /** Deletes the token from its role's or account's list: it then answers 401. */
  revokeToken(token: string): void
  /** Replaces policy.csv (and policy.default when given). */
  setPolicy(csv: string, defaultRole?: string): void
  /**
   * Like the ApplicationSet git files generator over `<cluster>/apps/*\/*\/config.yaml`: one
   * Application per config.yaml, named by its `name` (`<namespace>.<app>`), in `project`.
   */
  watchDeployRepo(fullName: string, opts: WatchDeployRepoOptions): void
  application(name: string, appNamespace?: string): ArgoCdAppState | undefined
  /** Every request received; never the token. */
  readonly requests: ArgoCdRequest[]
  clearRequests(): void
}

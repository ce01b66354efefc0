// Public shapes of the GitHub REST double. Other packages code against these names.

export type Access = 'read' | 'write'

export interface OrgOptions {
  /** Org policy "restrict access via personal access tokens (classic)". */
  forbidsClassicPats?: boolean
  /** Org policy: fine-grained tokens living longer than this many days are refused. */
  maxFineGrainedLifetimeDays?: number
  /** SAML SSO enforced: PATs must be authorised for the org (see TokenSpec.ssoAuthorizedOrgs). */
  ssoRequired?: boolean
  /** Logins of the org's members (GET /orgs/{org}/members). Default none. */
  members?: string[]
  /**
   * Members who made their membership public; the only ones shown to callers who may not see
   * concealed members. Added to `members` if missing. Default none.
   */
  publicMembers?: string[]
}

export interface RepoOptions {
  /** Default true: most repos in an Argo CD setup are private. */
  private?: boolean
  /** Default 'main'. */
  defaultBranch?: string
  /**
   * Files of the default branch (path -> text), served by GET /contents once the repo has a
   * commit. Nested paths ('manifests/app.yaml') make directories. Default { 'README.md': '# <name>\n' }.
   * With `git: true` they are the tree of the seed commit.
   */
  files?: Record<string, string>
  /**
   * Back the repository with a real bare git repository (in a temp dir removed by stop()), served
   * over smart HTTP at `${sandbox.url}/<owner>/<name>.git`. It gets one seed commit of `files` on
   * the default branch, with a fixed author and date (stable shas). The REST model (branches,
   * commits, contents) follows the bare repository after every push.
   */
  git?: boolean
}

export interface CommitOptions {
  /** 40 hex chars; generated when absent. */
  sha?: string
  /**
   * Branch to move to the new commit; default: the repo's default branch. A new branch of a
   * git-backed repo starts from the default branch (model-only repos: a root commit).
   */
  branch?: string
  message?: string
  /** Also point this tag at the commit. */
  tag?: string
  /** Login of the author/committer; default 'octocat'. */
  author?: string
  /** ISO date of the commit; default now. */
  date?: string
  /**
   * Git-backed repositories only: files to write (text) or delete (null) in the new commit, on
   * top of the branch's tree. A git-backed commit cannot take a chosen `sha`.
   */
  files?: Record<string, string | null>
}

export interface RepoModel {
  readonly id: number
  readonly owner: string
  readonly name: string
  readonly fullName: string
  private: boolean
  defaultBranch: string
  /** branch name -> head sha */
  readonly branches: Map<string, string>
  /** tag name -> sha */
  readonly tags: Map<string, string>
  readonly createdAt: string
}

export type TokenSpec =
  | {
      kind: 'classic'
      value?: string
      /** Default 'octocat'. */
      login?: string
      scopes: string[]
      /** undefined/null: never expires. */
      expiresAt?: Date | null
      /** When the token was created; default now. */
      createdAt?: Date
      /** Orgs (with ssoRequired) this token was SSO-authorised for. */
      ssoAuthorizedOrgs?: string[]
    }
  | {
      kind: 'fine-grained'
      value?: string
      /** Default 'octocat'. */
      login?: string
      /** Resource owner (user or org) the token was created for. */
      owner: string
      /** 'all' or full names ('owner/name') of the selected repositories. */
      repositories: 'all' | string[]
      /** e.g. { statuses: 'write', contents: 'read' }; metadata: read is implicit. */
      permissions: Record<string, Access>
      orgPermissions?: Record<string, Access>
      /** undefined/null: never expires. */
      expiresAt?: Date | null
      /** When the token was created; default now. Used for the org lifetime policy. */
      createdAt?: Date
      /** Orgs (with ssoRequired) this token was SSO-authorised for; the owner org counts as authorised. */
      ssoAuthorizedOrgs?: string[]
    }
  | {
      kind: 'installation'
      value?: string
      /** Account the app is installed on; default: any owner. */
      owner?: string
      repositories: 'all' | string[]
      permissions: Record<string, Access>
      /** Default: one hour from now, as GitHub mints them. */
      expiresAt?: Date
      /** App slug; statuses are created by '<slug>[bot]'. Default 'sandbox-app'. */
      appSlug?: string
    }

export interface HookInput {
  /** config.url; required. */
  url: string
  /** Default ['push']. */
  events?: string[]
  /** Default true. */
  active?: boolean
  /** Default 'form', as on GitHub. */
  contentType?: 'json' | 'form'
  /** Stored but never shown (GitHub masks it as '********'). */
  secret?: string
  /** '0' (verify TLS, default) or '1'. */
  insecureSsl?: '0' | '1'
}

export interface HookRecord {
  id: number
  name: 'web'
  active: boolean
  events: string[]
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string }
  created_at: string
  updated_at: string
}

export interface DeployKeyRecord {
  id: number
  key: string
  title: string
  read_only: boolean
  created_at: string
  /** Login of the user (or '<slug>[bot]') who added it. */
  added_by: string
}

export interface StatusInput {
  state: string
  context?: string
  description?: string | null
  target_url?: string | null
  /** ISO date; default now. */
  created_at?: string
  /** Login of the creator; default 'octocat'. */
  creator?: string
}

export interface StatusRecord {
  id: number
  node_id: string
  sha: string
  state: string
  context: string
  description: string | null
  target_url: string | null
  created_at: string
  updated_at: string
  /** Login of the creator (for apps: '<slug>[bot]'). */
  creator: string
}

export interface RecordedRequest {
  method: string
  /** Path with query string, as received. */
  path: string
  /** Lowercased names; the raw Authorization header is kept. */
  headers: Record<string, string>
  body: string
  /** Response status; 0 when the connection was reset by a fault. */
  status: number
  /** Request body bytes as received (before any gzip decoding). */
  bytesIn?: number
  /** Response body bytes sent (headers excluded): what a client downloaded. */
  bytesOut?: number
  /** Git smart-HTTP requests: the service ('git-upload-pack' | 'git-receive-pack'). */
  gitService?: string
  /**
   * ms the server spent answering (REST and GraphQL: from the end of the body, git: from the
   * arrival, to the end of the answer), after any injected delay: the server's own time.
   */
  durationMs?: number
}

/** A POST /graphql request as the sandbox received it. */
export interface GraphqlRequest {
  operationName?: string
  /** 'query' | 'mutation', when the document parses. */
  operationType?: string
  query: string
  variables: unknown
}

/** Which requests a fault applies to (shared by every double). */
export interface FaultMatch {
  /** Case-insensitive; any method when absent. */
  method?: string
  /** Exact pathname, or a RegExp tested against the pathname (no query). */
  path?: string | RegExp
  /** How many matching requests consume this fault; default 1. */
  times?: number
}

export type Fault = FaultMatch & {
  /**
   * POST /graphql only: the fault takes only requests whose operation is of this type
   * ('query' | 'mutation'), or, for any other value, has this operationName.
   */
  operation?: string
} & (
    | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
    | { type: 'rate-limit'; retryAfter?: number }
    | { type: 'secondary-rate-limit'; retryAfter?: number }
    | { type: 'reset' }
    | { type: 'delay'; ms: number }
    | RejectPushFault
  )

/**
 * Git smart HTTP only: another writer wins the race for a branch. Consumed by the first
 * receive-pack request it matches (`path` is tested against the pathname: '/o/r.git/info/refs'
 * for the advertisement, '/o/r.git/git-receive-pack' for the update), or only by `stage`.
 * - advertisement (`GET info/refs?service=git-receive-pack`): the server commits to `branch`
 *   (default: the default branch) first, so the client sees a tip it does not have and git
 *   refuses locally: `! [rejected] main -> main (fetch first)` (or `(non-fast-forward)` when the
 *   client already has that commit). Nothing is sent.
 * - update (`POST git-receive-pack`): the server commits on every branch the push updates, then
 *   answers as GitHub does when a ref moved under a push:
 *   `! [remote rejected] main -> main (cannot lock ref 'refs/heads/main': is at <new> but
 *   expected <old>)`.
 */
export interface RejectPushFault {
  type: 'reject-push'
  stage?: 'advertise' | 'update'
  branch?: string
  /** Content of the racing commit (text, or null to delete); default: an empty commit. */
  files?: Record<string, string | null>
  /** Default 'Concurrent update (sandbox reject-push fault)'. */
  message?: string
}

/** A ref moved in a git-backed repository (push, merge, API, reject-push fault, addCommit). */
export interface PushEvent {
  /** Full name of the repository. */
  repo: string
  /** e.g. 'refs/heads/main'. */
  ref: string
  /** Zero sha when the ref was created. */
  before: string
  /** Zero sha when the ref was deleted. */
  after: string
  source: 'push' | 'merge' | 'api' | 'fault' | 'seed'
  /** Login (or '<slug>[bot]') behind a push or merge, when known. */
  pusher?: string
}

export type PushHandler = (event: PushEvent) => void | Promise<void>

/** One Argo CD Application touched by a push, as enableArgoCd saw it. */
export interface ArgoCdSync {
  /** `<namespace>.<app>` (config.yaml `name`, else from the path). */
  name: string
  namespace: string
  app: string
  /** Path of the config.yaml in the deploy repo. */
  config: string
  /** Deploy-repo commit being synced. */
  revision: string
  appRepository?: string
  appCommit?: string
  /** Final state posted, or why nothing was posted. */
  result: 'success' | 'error' | 'failure' | 'pending' | 'skipped'
  reason?: string
}

export interface ArgoCdOptions {
  /** Branch Argo CD tracks; default the repository's default branch. */
  branch?: string
  /** Between 'pending' and the final status; default 200. */
  delayMs?: number
  /** Default 'https://argocd.example.test'. */
  url?: string
  /** Final state per application; default 'success'. 'pending' posts only the pending status. */
  outcome?: (sync: ArgoCdSync) => 'success' | 'error' | 'failure' | 'pending'
  /** Login shown as the statuses' creator; default 'argocd-notifications'. */
  creator?: string
  /**
   * If the app commit is missing from a (model-only) app repository, create it there (without
   * moving any branch) so the status can be posted. Default true. Git-backed app repositories
   * cannot invent commits: the sync is then 'skipped'.
   */
  createMissingCommits?: boolean
  /** Also post the statuses on the deploy repo at the synced revision. Default false. */
  statusOnDeployRepo?: boolean
}

export interface ArgoCdHandle {
  /** Every application sync seen so far, in order. */
  readonly syncs: ArgoCdSync[]
  /** Resolves when every scheduled status has been posted. */
  idle(): Promise<void>
  /** Stops reacting to pushes (scheduled statuses are still posted). */
  disable(): void
}
export interface GitHubSandbox {
  /**
   * e.g. http://127.0.0.1:54321 — the REST API base (no /api/v3 prefix), and also the git
   * base of git-backed repos: clone `${url}/<owner>/<repo>.git` (GitHub serves them from
   * api.github.com and github.com; here one server does both).
   */
  readonly url: string
  /** Closes the server and every open socket. */
  stop(): Promise<void>
  addOrg(login: string, opts?: OrgOptions): void
  addRepo(fullName: string, opts?: RepoOptions): RepoModel
  addCommit(fullName: string, opts?: CommitOptions): string
  addToken(spec: TokenSpec): string
  /** Seeds a status directly, bypassing auth. */
  addStatus(fullName: string, sha: string, s: StatusInput): StatusRecord
  /** Newest first. */
  statuses(fullName: string, sha: string): StatusRecord[]
  /** Seeds a repository webhook directly, bypassing auth. */
  addHook(fullName: string, hook: HookInput): HookRecord
  /** Webhooks of a repository, oldest first (seeded and created through the API). */
  hooks(fullName: string): HookRecord[]
  /** Deploy keys of a repository, oldest first. */
  deployKeys(fullName: string): DeployKeyRecord[]
  /** Every ref of a repository ('refs/heads/main' -> sha), including refs created via the API. */
  refs(fullName: string): Record<string, string>
  /** Path of the bare repository of a git-backed repo (for assertions with a local git). */
  gitDir(fullName: string): string
  /**
   * Files of a commit (default: the default branch) as path -> text. Git-backed repos read the
   * bare repository; others return their modelled `files`.
   */
  tree(fullName: string, ref?: string): Record<string, string>
  /**
   * Pushes that update (or delete) this branch are refused like GitHub's protected branch
   * hook does (GH006). Merging a pull request into it is still allowed.
   */
  protectBranch(fullName: string, branch: string): void
  unprotectBranch(fullName: string, branch: string): void
  /**
   * "Require signed commits" on a branch, as branch protection (a refused push answers GH006)
   * or a ruleset (GH013): a git push bringing commits GitHub has not verified is refused;
   * createCommitOnBranch (signed by GitHub) is accepted. Unsigned commits already on the
   * repository (pushed before the rule, or on another branch) count as unverified too.
   */
  requireSignedCommits(
    fullName: string,
    branch: string,
    opts?: { via?: 'branch-protection' | 'ruleset' },
  ): void
  /** The REST commit's `verification` verdict: valid for the commits the sandbox signed. */
  commitVerification(fullName: string, sha: string): { verified: boolean; reason: string }
  /** POST /graphql requests received, parsed (faulted ones included), in order. */
  readonly graphqlRequests: GraphqlRequest[]
  /** Called after every ref change of a git-backed repository; returns an unsubscribe. */
  onPush(fullName: string, handler: PushHandler): () => void
  /**
   * Plays Argo CD on a git-backed deploy repo: for each push to the tracked branch, every app
   * whose `<cluster>/apps/<ns>/<app>/` files changed gets `pending` then (after delayMs) a
   * final status, context `continuous-delivery/<ns>.<app>`, description 'ArgoCD', on the
   * config.yaml's `app_repository` at `app_commit`.
   */
  enableArgoCd(deployRepo: string, opts?: ArgoCdOptions): ArgoCdHandle
  /** Every request received, faulted ones included. */
  readonly requests: RecordedRequest[]
  clearRequests(): void
  /** Queued; each request consumes the first fault that matches it. */
  injectFault(f: Fault): void
  clearFaults(): void
}

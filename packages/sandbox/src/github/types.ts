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
   */
  files?: Record<string, string>
}

export interface CommitOptions {
  /** 40 hex chars; generated when absent. */
  sha?: string
  /** Branch to move to the new commit; default: the repo's default branch. */
  branch?: string
  message?: string
  /** Also point this tag at the commit. */
  tag?: string
  /** Login of the author/committer; default 'octocat'. */
  author?: string
  /** ISO date of the commit; default now. */
  date?: string
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

export type Fault = FaultMatch &
  (
    | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
    | { type: 'rate-limit'; retryAfter?: number }
    | { type: 'secondary-rate-limit'; retryAfter?: number }
    | { type: 'reset' }
    | { type: 'delay'; ms: number }
  )

export interface GitHubSandbox {
  /** e.g. http://127.0.0.1:54321 — the REST API base (no /api/v3 prefix). */
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
  /** Every request received, faulted ones included. */
  readonly requests: RecordedRequest[]
  clearRequests(): void
  /** Queued; each request consumes the first fault that matches it. */
  injectFault(f: Fault): void
  clearFaults(): void
}

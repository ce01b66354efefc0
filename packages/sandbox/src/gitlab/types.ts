// Public shapes of the GitLab REST double (API v4).
import type { RecordedRequest } from '../github/types.js'
import type { SimpleFault } from '../loopback.js'

/** GitLab role numbers: 10 Guest, 15 Planner, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner. */
export type GitLabAccessLevel = 5 | 10 | 15 | 20 | 25 | 30 | 40 | 50

export interface GitLabTokenSpec {
  /** Default: 'glpat-' + 20 random characters. */
  value?: string
  /** Default 'sandbox-token'. */
  name?: string
  description?: string | null
  /** Stored and echoed as given: GitLab does not normalise scopes. */
  scopes: string[]
  /** 'YYYY-MM-DD' (GitLab dates); null/undefined: never expires. Expired from that day on, UTC. */
  expiresAt?: string | null
  revoked?: boolean
  /** Default: not revoked and not expired. false with neither also makes the token unusable. */
  active?: boolean
  /** Full paths ('group/sub/project') of projects the token's user is a direct member of. */
  projects?: string[]
  /** Full paths of groups the user is a member of; projects under them are reached too. */
  groups?: string[]
  /** Role the user holds in those groups and projects; default 30 (Developer). */
  accessLevel?: GitLabAccessLevel
  /** Default 1. */
  userId?: number
  /** ISO; default now. */
  createdAt?: string
  /** ISO or null (default). */
  lastUsedAt?: string | null
}

export interface GitLabSandbox {
  /** e.g. http://127.0.0.1:54321 — the API is under `${url}/api/v4`. */
  readonly url: string
  stop(): Promise<void>
  addToken(spec: GitLabTokenSpec): string
  /** Every request received, faulted ones included. */
  readonly requests: RecordedRequest[]
  clearRequests(): void
  /** Queued; each request consumes the first fault that matches it. */
  injectFault(f: SimpleFault): void
  clearFaults(): void
}

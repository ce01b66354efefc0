// Public shapes of the Bitbucket Cloud REST double (API 2.0).
import type { RecordedRequest } from '../github/types.js'
import type { SimpleFault } from '../loopback.js'

export type BitbucketCredentialType =
  'repository' | 'project' | 'workspace' | 'api-token' | 'app-password'

export interface BitbucketTokenSpec {
  /** Default: ATCTT… (access tokens), ATATT… (API tokens), ATBB… (app passwords). */
  value?: string
  type: BitbucketCredentialType
  /**
   * Access tokens and app passwords: Bitbucket's scopes ('repository:write', 'webhook', ...).
   * API tokens: Atlassian scopes ('read:repository:bitbucket', ...). Echoed in x-oauth-scopes.
   */
  scopes: string[]
  /** Workspace slug the token belongs to; default: the first repository's workspace, or 'acme'. */
  workspace?: string
  /**
   * 'workspace/slug' full names the token reaches (repository tokens: exactly one). A workspace
   * token reaches every repository of its workspace named by any token or addRepo.
   */
  repositories?: string[]
  /** API tokens: the Atlassian account email used as the Basic username. Default 'bot@example.com'. */
  email?: string
  /** App passwords: the Bitbucket username used as the Basic username. Default 'bot'. */
  username?: string
}

export interface BitbucketSandbox {
  /** e.g. http://127.0.0.1:54321 — the API is under `${url}/2.0`. */
  readonly url: string
  stop(): Promise<void>
  addToken(spec: BitbucketTokenSpec): string
  /** Declares a repository ('workspace/slug'); repositories named by tokens exist too. */
  addRepo(fullName: string, opts?: { private?: boolean }): void
  readonly requests: RecordedRequest[]
  clearRequests(): void
  injectFault(f: SimpleFault): void
  clearFaults(): void
}

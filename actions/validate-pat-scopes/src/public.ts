import { getToken, type InputReader } from '@argocd-actions/core'
import type { GitHubClientOptions } from '@argocd-actions/core/github'
import type { AuditReport } from '@argocd-actions/core/tokens'

/** Where validateToken runs: the directory profile files are read from, and its GitHub client's. */
export interface ValidateContext {
  workspace: string
  userAgent: string
  /** The GitHub client's retry and rate-limit messages (default: the runner's log). */
  log?: GitHubClientOptions['log']
}

/**
 * The action's work, for its entrypoint and the CLI alike: read the inputs, audit the token
 * against its role. The report never holds the token.
 */
export async function validateToken(read: InputReader, ctx: ValidateContext): Promise<AuditReport> {
  // A missing token is the commonest mistake: say so before loading the audit modules.
  getToken(read, 'token')
  // Loaded after that, in a chunk of its own: profiles and the YAML parser are not small. One chunk
  // for both imports, named for webpack (main.ts uses the name too): both use core's retry, which
  // two chunks would each carry a copy of (the build refuses that).
  const { auditToken, parseAuditInputs } = await import(
    /* webpackChunkName: "audit" */ '@argocd-actions/core/tokens'
  )
  const options = await parseAuditInputs(read, ctx.workspace)
  const { createGitHubClient } = await import(
    /* webpackChunkName: "audit" */ '@argocd-actions/core/github'
  )
  return auditToken(options, {
    github: (token, baseUrl) =>
      createGitHubClient({ token, baseUrl, userAgent: ctx.userAgent, log: ctx.log }),
  })
}

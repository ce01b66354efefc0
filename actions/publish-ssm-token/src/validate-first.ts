import { UserError } from '@argocd-actions/core'
import type { AuditReport } from '@argocd-actions/core/tokens'
import type { PublishInputs } from './inputs.js'

export interface Validation {
  expiresAt: Date | null
  verdict: string
}

/** What the token audit needs beside the token: the role (profile) and where it applies. */
export type ProfileCheck = NonNullable<PublishInputs['validation']>

/**
 * The same audit as validate-pat-scopes (core, not a copy), for a token given to publish or one
 * read back from SSM. `extra` sets more of its inputs (the audit's min-days-left).
 */
export async function auditAgainstProfile(
  token: string,
  v: ProfileCheck,
  workspace: string,
  extra: Record<string, string> = {},
): Promise<AuditReport> {
  const { auditToken, identifyToken, parseAuditInputs } =
    await import('@argocd-actions/core/tokens')
  const { createGitHubClient } = await import('@argocd-actions/core/github')
  // The runner's GitHub API is a default for Git tokens only: an Argo CD token goes to the
  // server 'api-url' names, or nowhere (the audit then asks for 'api-url').
  let argocd = false
  try {
    argocd = identifyToken(token, 'auto').provider === 'argocd'
  } catch {
    // not a token: parseAuditInputs says so, naming the input
  }
  const values: Record<string, string> = {
    token,
    profile: v.profile ?? '',
    requirements: v.requirements ?? '',
    repositories: v.repositories,
    organization: v.organization,
    'api-url': argocd ? v.explicitApiUrl : v.apiUrl,
    'argocd-project': v.argocdProject,
    'argocd-applications': v.argocdApplications,
    ...extra,
  }
  const options = await parseAuditInputs((name) => values[name] ?? '', workspace)
  return auditToken(options, {
    github: (token, baseUrl) =>
      createGitHubClient({ token, baseUrl, userAgent: 'argocd-actions/publish-ssm-token' }),
  })
}

/** A token that does not fit its role is never stored, so a bad rotation cannot replace a working parameter. */
export async function validateFirst(
  inputs: PublishInputs,
  workspace: string,
  log: (m: string) => void,
): Promise<Validation> {
  const report = await auditAgainstProfile(inputs.token, inputs.validation!, workspace)
  for (const f of report.findings.filter((f) => f.severity === 'warning'))
    log(`validation: ${f.message}`)
  if (!report.valid) {
    const problems = report.findings.filter((f) => f.severity === 'error').map((f) => f.message)
    throw new UserError(
      `Refusing to store the token: it ${report.verdict}. ${problems.join(' ')} Nothing was written.`,
    )
  }
  return {
    expiresAt: report.expiresAt ? new Date(report.expiresAt) : null,
    verdict: report.verdict,
  }
}

import { UserError } from '@argocd-actions/core'
import type { PublishInputs } from './inputs.js'

export interface Validation {
  expiresAt: Date | null
  verdict: string
}

/**
 * The same audit as validate-pat-scopes (core, not a copy): a token that does not fit its role is
 * never stored, so a bad rotation cannot replace a working parameter.
 */
export async function validateFirst(
  inputs: PublishInputs,
  workspace: string,
  log: (m: string) => void,
): Promise<Validation> {
  const v = inputs.validation!
  const { auditToken, parseAuditInputs } = await import('@argocd-actions/core/tokens')
  const { createGitHubClient } = await import('@argocd-actions/core/github')
  const values: Record<string, string> = {
    token: inputs.token,
    profile: v.profile ?? '',
    requirements: v.requirements ?? '',
    repositories: v.repositories,
    organization: v.organization,
    'api-url': v.apiUrl,
  }
  const options = await parseAuditInputs((name) => values[name] ?? '', workspace)
  const report = await auditToken(options, {
    github: (token, baseUrl) =>
      createGitHubClient({ token, baseUrl, userAgent: 'argocd-actions/publish-ssm-token' }),
  })
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

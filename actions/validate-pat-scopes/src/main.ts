import * as core from '@actions/core'
import {
  UserError,
  getToken,
  maskSecret,
  readActionInput,
  redactMasked,
  writeSummaryMarkdown,
} from '@argocd-actions/core'

/** The token does not fit its role: a finding for the user, not a crash. */
class TokenDoesNotFit extends UserError {}

export async function run(): Promise<void> {
  // Mask first: nothing below may print before the runner knows the secret.
  maskSecret(core.getInput('token'))
  // A missing token is the commonest mistake: say so before loading the audit modules.
  getToken(readActionInput, 'token')
  // Loaded after masking, in a chunk of its own: profiles and the YAML parser are not small. One
  // chunk with the GitHub client below (the name is webpack's): both use core's retry, which two
  // chunks would each carry a copy of.
  const { auditToken, parseAuditInputs, renderAuditMarkdown } = await import(
    /* webpackChunkName: "audit" */ '@argocd-actions/core/tokens'
  )
  const options = await parseAuditInputs(
    readActionInput,
    process.env.GITHUB_WORKSPACE || process.cwd(),
  )
  const { createGitHubClient } = await import(
    /* webpackChunkName: "audit" */ '@argocd-actions/core/github'
  )
  const report = await auditToken(options, {
    github: (token, baseUrl) =>
      createGitHubClient({ token, baseUrl, userAgent: 'argocd-actions/validate-pat-scopes' }),
  })

  // The report never holds the token; scrubbing is a second lock on that door.
  const json = (value: unknown) => redactMasked(JSON.stringify(value))
  core.setOutput('valid', String(report.valid))
  core.setOutput('token-type', report.tokenType)
  core.setOutput('expires-at', report.expiresAt ?? '')
  core.setOutput('days-left', report.daysLeft === null ? '' : String(report.daysLeft))
  core.setOutput('missing', json(report.missing))
  core.setOutput('excess', json(report.excess))
  core.setOutput('report', json(report))
  for (const f of report.findings) {
    const text = `${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`
    if (f.severity === 'warning') core.warning(text)
    else if (f.severity === 'info') core.info(text)
  }
  await writeSummaryMarkdown(renderAuditMarkdown(report))
  if (!report.valid) {
    const problems = report.findings.filter((f) => f.severity === 'error').map((f) => f.message)
    throw new TokenDoesNotFit(`The token ${report.verdict}: ${problems.join(' ')}`)
  }
  core.info(`The token ${report.verdict}.`)
}

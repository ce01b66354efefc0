import * as core from '@actions/core'
import {
  UserError,
  maskSecret,
  readActionInput,
  redactMasked,
  writeSummaryMarkdown,
} from '@argocd-actions/core'
import { validateToken } from './public.js'

/** The token does not fit its role: a finding for the user, not a crash. */
class TokenDoesNotFit extends UserError {}

export async function run(): Promise<void> {
  // Mask first: nothing below may print before the runner knows the secret.
  maskSecret(core.getInput('token'))
  const report = await validateToken(readActionInput, {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    userAgent: 'argocd-actions/validate-pat-scopes',
  })
  // Loaded once the audit ran: the same chunk, already in memory.
  const { renderAuditMarkdown } = await import(
    /* webpackChunkName: "audit" */ '@argocd-actions/core/tokens'
  )

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

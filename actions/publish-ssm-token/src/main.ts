import * as core from '@actions/core'
import {
  UserError,
  maskSecret,
  readActionInput,
  renderSummaryMarkdown,
  writeSummaryMarkdown,
} from '@argocd-actions/core'
import { auditSummary } from './audit-summary.js'
import { parseInputs, type PublishInputs } from './inputs.js'
import {
  auditStoredTokens,
  publishToken,
  type AwsClients,
  type PublishContext,
  type TargetResult,
} from './public.js'

/** clients: the SDK's, bounded by the step's deadline, unless a test passes its own. */
export async function run(clients?: AwsClients): Promise<void> {
  // Mask first: nothing below may print before the runner knows the secret.
  maskSecret(core.getInput('token'))
  const inputs = await parseInputs(readActionInput)
  for (const name of inputs.addedSlash)
    core.notice(`Parameter name has no leading '/': using ${name}`)
  const ctx: PublishContext = {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    clients,
    log: (target, m) => core.info(`${target.label}: ${m}`),
    warn: (m) => core.warning(m),
  }
  if (inputs.mode === 'audit') return audit(inputs, ctx)
  const { results, validation, policies } = await publishToken(inputs, ctx)

  const notes: string[] = []
  if (validation) notes.push(`Token ${validation.verdict}.`)
  if (validation?.expiresAt && policies)
    notes.push(
      `Expires ${validation.expiresAt.toISOString()}: Advanced tier, notification ${inputs.expirationNoticeDays} days before.`,
    )
  for (const w of results.flatMap((r) => r.warnings)) {
    core.warning(w)
    notes.push(`⚠️ ${w}`)
  }
  const single = results.length === 1 ? results[0] : undefined
  core.setOutput('version', single?.version == null ? '' : String(single.version))
  core.setOutput('arn', single?.arn ?? '')
  core.setOutput('changed', String(results.some((r) => r.changed)))
  core.setOutput('changes', [...new Set(results.flatMap((r) => r.changes))].join(','))
  core.setOutput('results', JSON.stringify(results))
  await writeSummaryMarkdown(summary(results, inputs.dryRun, notes))

  const failed = results.filter((r) => r.error)
  for (const r of failed) core.error(`${r.account || '?'} ${r.region} ${r.name}: ${r.error}`)
  if (failed.length) {
    throw new UserError(
      `${failed.length} of ${results.length} target${results.length > 1 ? 's' : ''} failed: ${failed.map((r) => `${r.account || '?'}/${r.region}${r.name}`).join(', ')}`,
    )
  }
  for (const r of results) {
    core.info(
      `${r.arn}: ${inputs.dryRun ? 'dry run, nothing written' : r.changed ? `version ${r.version} (${changedText(r)})` : `unchanged (version ${r.version})`}`,
    )
  }
}

/** mode: audit: outputs and the summary first, then the failure (every problem named). */
async function audit(inputs: PublishInputs, ctx: PublishContext): Promise<void> {
  const report = await auditStoredTokens(inputs, ctx)
  const single = report.targets.length === 1 ? report.targets[0] : undefined
  core.setOutput('version', single?.version == null ? '' : String(single.version))
  core.setOutput('arn', single?.arn ?? '')
  core.setOutput('changed', 'false')
  core.setOutput('changes', '')
  core.setOutput('results', JSON.stringify(report.targets))
  core.setOutput('valid', String(report.valid))
  core.setOutput('min-days-left', report.minDaysLeft === null ? '' : String(report.minDaysLeft))
  await writeSummaryMarkdown(auditSummary(report, inputs.audit!.minDaysLeft))
  for (const a of report.targets)
    core.info(
      `${a.account || '?'} ${a.region} ${a.name}: ${a.verdict}${a.sameAs ? ` (token ${a.sameAs})` : ''}${a.daysLeft !== null ? `, ${a.daysLeft} days left` : ''}`,
    )
  for (const p of report.problems) core.error(p)
  if (!report.valid)
    throw new UserError(
      `The stored token audit failed: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} (listed above and in the job summary). Nothing was written.`,
    )
}

/** 'type, kms-key', 'created', and what was written without comparing (a read was refused). */
function changedText(r: TargetResult): string {
  const parts = [...r.changes]
  if (r.unverified.length) parts.push(`written without comparing: ${r.unverified.join(', ')}`)
  return parts.join('; ')
}

function summary(results: TargetResult[], dryRun: boolean, notes: string[]): string {
  const ok = results.every((r) => !r.error)
  const head = renderSummaryMarkdown({
    title: dryRun
      ? 'Token publication (dry run: nothing written)'
      : ok
        ? 'Token published to SSM'
        : 'Token publication failed',
    outcome: ok ? 'success' : 'failure',
    rows: [],
    notes,
  }).replace('| | |\n| --- | --- |\n', '')
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const rows = results.map(
    (r) =>
      `| ${r.account || '?'} | ${r.region} | ${esc(r.name)} | ${r.version ?? '—'} | ${r.changed ? `yes: ${esc(changedText(r))}` : r.wouldChange?.length ? `would: ${esc(r.wouldChange.join(', '))}` : 'no'} | ${r.error ? `❌ ${esc(r.error)}` : '✅'} |`,
  )
  return `${head}\n| Account | Region | Name | Version | Changed | Result |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`
}

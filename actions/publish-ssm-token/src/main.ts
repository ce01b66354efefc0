import * as core from '@actions/core'
import {
  InputError,
  UserError,
  maskSecret,
  readActionInput,
  renderSummaryMarkdown,
  writeSummaryMarkdown,
} from '@argocd-actions/core'
import { createSdkClients, type AwsClients } from './aws.js'
import { parseInputs } from './inputs.js'
import { expirationPolicies, publishAll, type TargetResult } from './publish.js'
import { validateFirst } from './validate-first.js'

const DEADLINE_MS = 5 * 60_000

/** clients: the SDK's, bounded by the step's deadline, unless a test passes its own. */
export async function run(clients?: AwsClients): Promise<void> {
  // Mask first: nothing below may print before the runner knows the secret.
  maskSecret(core.getInput('token'))
  const inputs = await parseInputs(readActionInput)
  for (const name of inputs.addedSlash)
    core.notice(`Parameter name has no leading '/': using ${name}`)
  if (inputs.expirationNoticeDays && !inputs.validation) {
    throw new InputError(
      'expiration-notice-days',
      "needs 'profile' (or 'requirements'): the token's expiry is read while validating it",
      '14',
    )
  }

  let policies: string | undefined
  const notes: string[] = []
  if (inputs.validation) {
    const validation = await validateFirst(
      inputs,
      process.env.GITHUB_WORKSPACE || process.cwd(),
      (m) => core.warning(m),
    )
    notes.push(`Token ${validation.verdict}.`)
    if (inputs.expirationNoticeDays) {
      if (validation.expiresAt) {
        policies = expirationPolicies(validation.expiresAt, inputs.expirationNoticeDays)
        notes.push(
          `Expires ${validation.expiresAt.toISOString()}: Advanced tier, notification ${inputs.expirationNoticeDays} days before.`,
        )
      } else {
        core.warning(
          'expiration-notice-days: the token never expires (or its expiry is unknown): no expiration policy was set.',
        )
      }
    }
  }

  const deadline = Date.now() + DEADLINE_MS
  const results = await publishAll(clients ?? createSdkClients({ deadline }), inputs, {
    policies,
    deadline,
    log: (target, m) => core.info(`${target.label}: ${m}`),
  })

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

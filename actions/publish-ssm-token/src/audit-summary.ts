import { renderSummaryMarkdown } from '@argocd-actions/core'
import type { StoredTokenAudit } from './audit-targets.js'
import type { TargetAudit } from './audit.js'

const ICONS: Record<TargetAudit['verdict'], string> = {
  valid: '✅ valid',
  invalid: '❌ invalid',
  'cannot-verify': '⚠️ cannot verify',
  missing: '❌ missing',
  error: '❌ error',
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
const dash = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v))

function daysText(a: TargetAudit): string {
  if (!a.present || a.verdict === 'error') return '—'
  if (a.daysLeft !== null) return String(a.daysLeft)
  return a.tokenKind && a.tokenKind !== 'unknown' && a.verdict !== 'cannot-verify' ? 'never' : '—'
}

/**
 * The table a platform team pastes in a ticket: one row per target, then every reason the step
 * fails. No token, hash or fragment of one: only the group labels say which targets agree.
 */
export function auditSummary(audit: StoredTokenAudit, minDaysLeft: number): string {
  const head = renderSummaryMarkdown({
    title: audit.valid
      ? 'Stored tokens audited: all valid'
      : `Stored tokens audited: ${audit.problems.length} problem${audit.problems.length === 1 ? '' : 's'}`,
    outcome: audit.valid ? 'success' : 'failure',
    rows: [],
    notes: [
      `Soonest expiry: ${audit.minDaysLeft === null ? 'none expires' : `${audit.minDaysLeft} days`} (min-days-left ${minDaysLeft}). Nothing was written.`,
      ...audit.notes.map((n) => `⚠️ ${n}`),
    ],
  }).replace('| | |\n| --- | --- |\n', '')
  const rows = audit.targets.map((a) =>
    [
      a.account || '?',
      a.region,
      a.name,
      a.present ? a.type : a.verdict === 'missing' ? 'absent' : '—',
      a.kmsKeyId,
      a.version,
      a.lastModified,
      a.tokenKind,
      daysText(a),
      ICONS[a.verdict],
      a.missing.join(', '),
      a.excess.join(', '),
      a.sameAs,
    ]
      .map((v, i) => (i === 8 || i === 9 ? String(v) : dash(v)))
      .map(esc)
      .join(' | '),
  )
  const table = [
    '| Account | Region | Name | Type | KMS key | Version | Last modified | Token kind | Days left | Verdict | Missing | Excess | Same as |',
    '| --- | --- | --- | --- | --- | ---: | --- | --- | ---: | --- | --- | --- | :---: |',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n')
  const problems = audit.problems.length
    ? `\n\n**Why the step fails**\n\n${audit.problems.map((p) => `- ${esc(p)}`).join('\n')}`
    : ''
  return `${head}\n${table}${problems}\n`
}

import { maskSecret } from '@argocd-actions/core'
import {
  auditStoredTokens,
  parseInputs,
  type StoredTokenAudit,
  type TargetAudit,
} from '@argocd-actions/publish-ssm-token'
import type { Io } from './io.js'

/**
 * The publish-ssm-token inputs `audit-ssm` does not take: `mode` (it is always `audit`) and those
 * that only make sense when writing (the action refuses them in audit mode).
 */
export const AUDIT_EXCLUDES = [
  'mode',
  'kms-key-id',
  'tier',
  'tags',
  'description',
  'overwrite',
  'expiration-notice-days',
  'dry-run',
] as const

/**
 * `argocd-actions audit-ssm`: publish-ssm-token's audit mode from a terminal, with the AWS SDK's
 * default credential chain. Prints one row per target on stdout; exit 1 when the audit fails.
 */
export async function auditSsm(read: (name: string) => string, io: Io): Promise<number> {
  const inputs = await parseInputs((name) => (name === 'mode' ? 'audit' : read(name)), {
    AWS_REGION: io.env.AWS_REGION,
    AWS_DEFAULT_REGION: io.env.AWS_DEFAULT_REGION,
    GITHUB_API_URL: io.env.GITHUB_API_URL,
  })
  const warnings: string[] = []
  const report = await auditStoredTokens(inputs, {
    workspace: io.cwd,
    log: (t, m) => io.stderr.write(`${t.label}: ${m}\n`),
    warn: (m) => warnings.push(m),
    // Registered for redaction only: core's default also prints `::add-mask::<token>`, which a
    // runner swallows but a terminal shows.
    mask: (value) => maskSecret(value, () => {}),
  }).catch((error: unknown) => {
    for (const w of warnings) io.stderr.write(`${w}\n`)
    throw error
  })
  // The report's notes are printed with it; any other warning goes to stderr.
  for (const w of warnings.filter((w) => !report.notes.includes(w))) io.stderr.write(`${w}\n`)
  io.stdout.write(auditReport(report))
  return report.valid ? 0 : 1
}

const HEADER = [
  'ACCOUNT',
  'REGION',
  'NAME',
  'STORED',
  'VERSION',
  'MODIFIED',
  'TOKEN',
  'EXPIRES',
  'DAYS',
  'SAME',
  'VERDICT',
]

const dash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '-' : String(v)

function row(a: TargetAudit): string[] {
  return [
    dash(a.account),
    a.region,
    a.name,
    a.present ? `${dash(a.type)}${a.kmsKeyId ? ` ${a.kmsKeyId}` : ''}` : 'absent',
    a.version === null ? '-' : `v${a.version}`,
    dash(a.lastModified?.slice(0, 10)),
    dash(a.tokenKind),
    dash(a.expiresAt?.slice(0, 10)),
    dash(a.daysLeft),
    dash(a.sameAs),
    a.verdict,
  ]
}

/** The per-target table, what fails and why, and the soonest expiry: what a ticket needs. */
export function auditReport(report: StoredTokenAudit): string {
  const rows = [HEADER, ...report.targets.map(row)]
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  )
  for (const a of report.targets) {
    const detail = [
      ...a.missing.map((m) => `missing ${m}`),
      ...a.excess.map((e) => `more than the role needs: ${e}`),
    ]
    if (detail.length) lines.push(`${a.account || '?'} ${a.name}: ${detail.join('; ')}`)
  }
  const soonest = report.targets
    .filter((a) => a.daysLeft !== null && a.daysLeft === report.minDaysLeft)
    .map((a) => `${a.account || '?'} ${a.name}`)
  lines.push(
    '',
    report.minDaysLeft === null
      ? 'Soonest expiry: none (no stored token expires, or none could be read).'
      : `Soonest expiry: ${report.minDaysLeft} days, ${soonest.join(', ')}.`,
  )
  for (const n of report.notes) lines.push(`note: ${n}`)
  if (report.valid) lines.push(`VALID: ${report.targets.length} target(s) hold a token that fits.`)
  else {
    lines.push(`INVALID: ${report.problems.length} problem(s):`)
    for (const p of report.problems) lines.push(`  - ${p}`)
  }
  return `${lines.join('\n')}\n`
}

import type { AuditReport } from './audit.js'
import type { Finding } from './findings.js'

/** The audit as tables a person reads at a glance: the job summary and the CLI share the rows. */

const MARK: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', info: 'ℹ️' }

export function permissionRows(report: AuditReport): string[][] {
  const rows: string[][] = []
  for (const repo of report.repositories) {
    const where = `${repo.repository}${repo.slot ? ` (${repo.slot})` : ''}`
    if (repo.reachable !== true) {
      rows.push([
        where,
        'access',
        'required',
        repo.reachable === false ? 'no access' : 'not verified',
      ])
      continue
    }
    if (!repo.permissions.length) rows.push([where, 'access', 'required', 'yes'])
    for (const p of repo.permissions) {
      if (!p.required && p.found === 'none') continue
      const found = p.request
        ? `${p.found === 'read' ? 'read, write ' : ''}unknown (${p.request} unreadable)`
        : p.found === 'read' && !report.writesProbed
          ? 'read (write not probed)'
          : p.found
      rows.push([where, p.permission, p.required ?? '—', found])
    }
  }
  return rows
}

/** Git tokens reach repositories; an Argo CD token's permissions are on RBAC objects. */
const whereHeader = (report: AuditReport) =>
  report.provider === 'argocd' ? 'Argo CD object' : 'Repository'

export function expiryText(report: AuditReport): string {
  if (report.expiresAt) return `${report.expiresAt} (${report.daysLeft} days left)`
  if (report.tokenType === 'installation') return 'one hour after minting'
  return report.expiryKnown === false ? 'unknown (no readable answer told it)' : 'never'
}

export function renderAuditMarkdown(report: AuditReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const lines = [
    `### ${report.valid ? '✅' : report.outcome === 'cannot-verify' ? '⛔' : '❌'} Token ${esc(report.verdict)}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Token type | ${report.provider} ${report.tokenType}${report.login ? ` (${report.provider === 'argocd' ? 'subject' : 'user'} ${esc(report.login)})` : ''} |`,
    `| Profile | ${esc(report.profile)} |`,
    `| Expires | ${expiryText(report)} |`,
  ]
  if (report.scopes) lines.push(`| Scopes | ${esc(report.scopes.join(', ') || 'none')} |`)
  lines.push(`| Requests | ${report.requests} in ${report.durationMs} ms |`)
  const perms = permissionRows(report)
  if (perms.length) {
    lines.push(
      '',
      `| ${whereHeader(report)} | Permission | Required | Found |`,
      '| --- | --- | --- | --- |',
    )
    for (const row of perms) lines.push(`| ${row.map(esc).join(' | ')} |`)
  }
  if (report.findings.length) {
    lines.push('', '| Severity | Finding | Fix |', '| --- | --- | --- |')
    for (const f of report.findings)
      lines.push(`| ${MARK[f.severity]} ${f.kind} | ${esc(f.message)} | ${esc(f.fix ?? '')} |`)
  }
  return `${lines.join('\n')}\n`
}

export function renderAuditText(report: AuditReport): string {
  const table = (rows: string[][]) => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
    return rows
      .map(
        (r) =>
          '  ' +
          r
            .map((c, i) => c.padEnd(widths[i]))
            .join('  ')
            .trimEnd(),
      )
      .join('\n')
  }
  const out = [
    `${report.valid ? 'VALID' : report.outcome === 'cannot-verify' ? 'CANNOT VERIFY' : 'INVALID'}: token ${report.verdict}`,
    table([
      [
        'type',
        `${report.provider} ${report.tokenType}${report.login ? ` (${report.provider === 'argocd' ? 'subject' : 'user'} ${report.login})` : ''}`,
      ],
      ['expires', expiryText(report)],
      ...(report.scopes ? [['scopes', report.scopes.join(', ') || 'none']] : []),
      ['requests', `${report.requests} in ${report.durationMs} ms`],
    ]),
  ]
  const perms = permissionRows(report)
  if (perms.length)
    out.push(
      '',
      table([[whereHeader(report).toUpperCase(), 'PERMISSION', 'REQUIRED', 'FOUND'], ...perms]),
    )
  if (report.findings.length) {
    out.push('')
    for (const f of report.findings)
      out.push(
        `  ${f.severity.toUpperCase().padEnd(7)} ${f.message}${f.fix ? `\n          fix: ${f.fix}` : ''}`,
      )
  }
  return `${out.join('\n')}\n`
}

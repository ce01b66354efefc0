import { InputError, permissionLabel, redactMasked } from '@argocd-actions/core'
import type { AuditReport, Finding } from '@argocd-actions/core/tokens'
import type { AwsClients } from './aws.js'
import { readTarget, type TargetAudit, type TargetRead } from './audit.js'
import type { PublishInputs, Target } from './inputs.js'
import { TokenGroups } from './token-groups.js'
import { auditAgainstProfile } from './validate-first.js'

export interface StoredTokenAudit {
  /** One per target, in input order. */
  targets: TargetAudit[]
  valid: boolean
  /** The soonest expiry across targets, in days (null: none expires, or none could be read). */
  minDaysLeft: number | null
  /** Each reason the step fails, one line each. */
  problems: string[]
  /** Said but not failing: warnings of the token audit, drift with require-same: false. */
  notes: string[]
  /** More than one token across the targets: the groups, newest first. */
  drift?: TokenDrift[]
}

export interface TokenDrift {
  group: string
  /** The newest LastModifiedDate among the group's targets (ISO). */
  lastModified: string | null
  newest: boolean
  /** `account region name` of each target holding it. */
  targets: string[]
}

export interface AuditRunOptions {
  workspace: string
  mask: (value: string) => void
  log: (target: Target, message: string) => void
}

/** The SDK retries throttling, 5xx and timeouts; TooManyUpdates (publish retries it) is a write's. */
const sdkRetriesOnly = <T>(_what: string, call: () => Promise<T>) => call()

const where = (a: TargetAudit) => `${a.account || '?'} ${a.region} ${a.name}`

/** 'Webhooks: write on acme/argocd-deploy-prod', or the finding's own words. */
function permissionText(f: Finding): string {
  if (!f.permission) return f.message.replace(/\.$/, '')
  return `${permissionLabel(f.permission)}${f.level ? `: ${f.level}` : ''}${f.repository ? ` on ${f.repository}` : ''}`
}

/** What a target takes from its token's audit. */
type Judged = Pick<
  AuditReport,
  'outcome' | 'findings' | 'tokenType' | 'daysLeft' | 'expiresAt' | 'missing' | 'excess'
> & { failure?: string }

/** A stored value that is no token of a known kind: invalid, said without quoting it. */
function notATokenReport(error: InputError): Judged {
  const why = error.message.replace(/^Input 'token' /, '').replace(/\. Example:.*$/, '')
  return {
    outcome: 'does-not-fit',
    tokenType: 'unknown',
    daysLeft: null,
    expiresAt: null,
    missing: [],
    excess: [],
    findings: [
      {
        kind: 'kind',
        severity: 'error',
        message: `The stored value is not a usable token: it ${why}.`,
      },
    ],
  }
}

/** The token audit of one distinct stored token; an answer it cannot read is "cannot verify". */
async function judgeToken(
  token: string,
  inputs: PublishInputs,
  workspace: string,
): Promise<Judged> {
  const minDaysLeft = inputs.audit!.minDaysLeft
  try {
    return await auditAgainstProfile(token, inputs.validation!, workspace, {
      'min-days-left': String(minDaysLeft),
      'warn-days-left': String(Math.max(30, minDaysLeft)),
    })
  } catch (error) {
    if (error instanceof InputError && error.input === 'token') return notATokenReport(error)
    if (error instanceof InputError) throw error
    return {
      outcome: 'cannot-verify',
      tokenType: 'unknown',
      daysLeft: null,
      expiresAt: null,
      missing: [],
      excess: [],
      findings: [],
      failure: `the token audit failed: ${redactMasked(String((error as Error)?.message ?? error))}`,
    }
  }
}

/** Copies a token's verdict onto a target read without error. */
function applyJudgement(audit: TargetAudit, judged: Judged): void {
  audit.tokenKind = judged.tokenType
  audit.daysLeft = judged.daysLeft
  audit.expiresAt = judged.expiresAt
  audit.missing = judged.missing.filter((f) => f.severity === 'error').map(permissionText)
  audit.excess = judged.excess.filter((f) => f.severity !== 'info').map(permissionText)
  for (const f of judged.findings.filter((f) => f.severity !== 'info'))
    audit.findings.push(`${f.severity === 'warning' ? 'warning: ' : ''}${f.message}`)
  if (judged.failure) {
    audit.error = judged.failure
    audit.findings.push(judged.failure)
  }
  if (audit.type !== 'SecureString') audit.verdict = 'invalid'
  else
    audit.verdict =
      judged.outcome === 'fits'
        ? 'valid'
        : judged.outcome === 'does-not-fit'
          ? 'invalid'
          : 'cannot-verify'
}

/** Targets holding different tokens: each group and its newest write, newest group first. */
function driftOf(audits: TargetAudit[]): TokenDrift[] {
  const groups = new Map<string, TargetAudit[]>()
  for (const a of audits) if (a.sameAs) groups.set(a.sameAs, [...(groups.get(a.sameAs) ?? []), a])
  const list = [...groups].map(([group, members]) => ({
    group,
    lastModified:
      members
        .map((m) => m.lastModified)
        .filter((d): d is string => !!d)
        .sort()
        .at(-1) ?? null,
    newest: false,
    targets: members.map(where),
  }))
  list.sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''))
  if (list[0]) list[0].newest = true
  return list
}

function driftText(drift: TokenDrift[]): string {
  const [newest, ...older] = drift
  return (
    `the targets hold ${drift.length} different tokens: ${newest.group} (the newest, written ${newest.lastModified}) in ${newest.targets.join(', ')}; ` +
    older
      .map((g) => `${g.group} (older, written ${g.lastModified}) in ${g.targets.join(', ')}`)
      .join('; ') +
    `. The accounts holding ${older.map((g) => g.group).join(', ')} likely missed the last rotation: publish the current token there.`
  )
}

/**
 * Reads every target at once, groups the stored tokens by a keyed hash made for this run,
 * validates each distinct token once, and says what fails: nothing is written anywhere.
 */
export async function auditTargets(
  clients: AwsClients,
  inputs: PublishInputs,
  opts: AuditRunOptions,
): Promise<StoredTokenAudit> {
  const reads: TargetRead[] = await Promise.all(
    inputs.targets.map((target) =>
      readTarget(clients, target, {
        mask: opts.mask,
        log: (m) => opts.log(target, m),
        retried: sdkRetriesOnly,
      }),
    ),
  )
  const groups = new TokenGroups()
  const distinct = new Map<string, string>()
  for (const r of reads) {
    if (r.value === undefined) continue
    r.audit.sameAs = groups.label(r.value)
    if (!distinct.has(r.audit.sameAs)) distinct.set(r.audit.sameAs, r.value)
  }
  const judged = new Map(
    await Promise.all(
      [...distinct].map(
        async ([label, token]) => [label, await judgeToken(token, inputs, opts.workspace)] as const,
      ),
    ),
  )
  for (const r of reads) {
    if (r.audit.sameAs && !r.audit.error) applyJudgement(r.audit, judged.get(r.audit.sameAs)!)
  }
  const targets = reads.map((r) => r.audit)

  const problems: string[] = []
  const notes: string[] = []
  for (const a of targets) {
    if (a.verdict === 'valid') continue
    const why =
      a.verdict === 'missing'
        ? 'no such parameter'
        : (a.error ?? a.findings.filter((f) => !f.startsWith('warning: ')).join(' '))
    problems.push(`${where(a)}: ${a.verdict}: ${why}`)
  }
  const drift = groups.size > 1 ? driftOf(targets) : undefined
  if (drift) {
    const text = driftText(drift)
    if (inputs.audit!.requireSame) problems.push(text)
    else notes.push(`${text} (require-same is false: not a failure)`)
  }
  for (const a of targets)
    for (const f of a.findings.filter((f) => f.startsWith('warning: ')))
      notes.push(`${where(a)}: ${f.slice('warning: '.length)}`)
  const days = targets.map((a) => a.daysLeft).filter((d): d is number => d !== null)
  return {
    targets,
    valid: problems.length === 0,
    minDaysLeft: days.length ? Math.min(...days) : null,
    problems,
    notes: [...new Set(notes)],
    ...(drift && { drift }),
  }
}

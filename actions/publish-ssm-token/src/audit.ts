import { UserError } from '@argocd-actions/core'
import type { AwsClients } from './aws.js'
import { AwsCallError } from './aws-errors.js'
import type { Target } from './inputs.js'
import { openTarget } from './target-session.js'

/**
 * 'valid': present, a SecureString, and its token fits the profile. 'invalid': proven wrong (does
 * not fit, expired or expiring within min-days-left, or stored in plain text). 'cannot-verify':
 * an answer could not be read (SSM, STS or the Git provider). 'missing': SSM proved it absent
 * (ParameterNotFound). 'error': AWS refused (access denied, another account's credentials).
 */
export type AuditVerdict = 'valid' | 'invalid' | 'cannot-verify' | 'missing' | 'error'

/** One target's audit: everything but the token (and nothing derived from it but `sameAs`). */
export interface TargetAudit {
  account: string
  region: string
  name: string
  arn: string
  present: boolean
  /** 'SecureString', or 'String' / 'StringList' (a plaintext token: a finding). */
  type: string | null
  /** From DescribeParameters; null when unknown (not a SecureString, or not readable). */
  kmsKeyId: string | null
  version: number | null
  /** ISO 8601. */
  lastModified: string | null
  /** 'fine-grained', 'classic', 'installation', … as the token audit tells them apart. */
  tokenKind: string | null
  /** null: never expires, or unknown (see expiresAt and findings). */
  daysLeft: number | null
  expiresAt: string | null
  verdict: AuditVerdict
  missing: string[]
  excess: string[]
  /** A group label shared by the targets holding the same token ('A', 'B', …). */
  sameAs: string | null
  /** Why the verdict is not 'valid', one line each (and warnings). */
  findings: string[]
  error?: string
}

/** What was read from one target; the value stays in this process and is never returned. */
export interface TargetRead {
  audit: TargetAudit
  value?: string
}

export interface ReadOptions {
  /** Register the value with the runner's masking before anything can print it. */
  mask: (value: string) => void
  log: (message: string) => void
  retried: <T>(what: string, call: () => Promise<T>) => Promise<T>
}

const denied = (e: unknown) => e instanceof AwsCallError && /AccessDenied/.test(e.code)

/** What to grant, for a call AWS refused. */
function explainRefusal(error: AwsCallError, arn: string): string {
  if (!denied(error)) return error.message
  const grant = error.operation.startsWith('STS AssumeRole')
    ? "sts:AssumeRole on that role to the job's role, and trust the job's role in the target role's trust policy"
    : error.operation.startsWith('STS')
      ? `${error.operation.replace(/^STS /, 'sts:')} to this role`
      : /kms/i.test(error.detail)
        ? "kms:Decrypt on the parameter's KMS key to this role"
        : `ssm:GetParameter on ${arn} (and kms:Decrypt on its KMS key) to this role`
  return `${error.message} — grant ${grant}.`
}

/**
 * Reads one target without writing: the account guard, GetParameter with decryption (the value
 * masked at once), and the KMS key from DescribeParameters. Never throws: every failure is this
 * target's verdict, so the other targets are still audited.
 */
export async function readTarget(
  clients: AwsClients,
  target: Target,
  opts: ReadOptions,
): Promise<TargetRead> {
  const audit: TargetAudit = {
    account: target.accountId ?? '',
    region: target.region,
    name: target.name,
    arn: '',
    present: false,
    type: null,
    kmsKeyId: null,
    version: null,
    lastModified: null,
    tokenKind: null,
    daysLeft: null,
    expiresAt: null,
    verdict: 'cannot-verify',
    missing: [],
    excess: [],
    sameAs: null,
    findings: [],
  }
  const fail = (error: unknown): TargetRead => {
    const refused =
      error instanceof UserError || (error instanceof AwsCallError && error.failure === 'refused')
    audit.verdict = refused ? 'error' : 'cannot-verify'
    const text =
      error instanceof AwsCallError
        ? explainRefusal(error, audit.arn || target.name)
        : String((error as Error)?.message ?? error)
    audit.error = refused
      ? text
      : `${text} Cannot verify this target: an unreadable answer is never taken as "missing" or "valid".`
    return { audit }
  }
  let session
  try {
    session = await openTarget(
      clients,
      target,
      'argocd-actions-audit-ssm-token',
      opts.retried,
      'nothing was read',
    )
  } catch (error) {
    return fail(error)
  }
  audit.account = session.account
  audit.arn = session.arn
  let value: string
  try {
    const p = await opts.retried(`GetParameter ${target.name}`, () =>
      session.ssm.readParameter(target.name),
    )
    value = p.value
    opts.mask(value)
    audit.present = true
    audit.type = p.type
    audit.version = p.version
    audit.lastModified = p.lastModified.toISOString()
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'ParameterNotFound') {
      audit.verdict = 'missing'
      audit.findings.push(`${audit.arn} does not exist (ParameterNotFound).`)
      return { audit }
    }
    return fail(error)
  }
  if (audit.type !== 'SecureString') {
    audit.findings.push(
      `stored as a plaintext ${audit.type}: anyone who can read the parameter (or its history) sees the token; publish it again as a SecureString (publish-ssm-token refuses String) and rotate the token.`,
    )
  } else {
    try {
      const meta = await opts.retried(`DescribeParameters ${target.name}`, () =>
        session.ssm.describeParameter(target.name),
      )
      if (!meta)
        throw new AwsCallError(
          'NotListed',
          'SSM DescribeParameters',
          `an unexpected answer: DescribeParameters does not list ${target.name}, which GetParameter read`,
          'unreadable',
        )
      audit.kmsKeyId = meta.keyId ?? 'alias/aws/ssm'
    } catch (error) {
      // The key is shown, not judged: without ssm:DescribeParameters it is left unknown.
      if (!denied(error)) return { ...fail(error), value }
      opts.log(
        `the KMS key of ${audit.arn} is not shown: ${(error as AwsCallError).code} (add ssm:DescribeParameters to see it)`,
      )
    }
  }
  return { audit, value }
}

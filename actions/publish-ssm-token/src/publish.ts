import { UserError, withRetry } from '@argocd-actions/core'
import { type AwsClients, type PutInput, type SsmApi } from './aws.js'
import { AwsCallError, outcomeUnknown } from './aws-errors.js'
import { needsPut, planUpdate, type Stored } from './compare.js'
import type { PublishInputs, Target, Tier } from './inputs.js'
import { openTarget } from './target-session.js'

export interface PublishRequest {
  token: string
  kmsKeyId?: string
  tier: Tier
  tags: Record<string, string>
  description?: string
  overwrite: boolean
  /** ExpirationNotification policy, when the token's expiry is known (opt-in, Advanced tier). */
  policies?: string
  dryRun: boolean
  /** Absolute deadline for retries (ms since epoch). */
  deadline: number
  log: (message: string) => void
}

export interface TargetResult {
  account: string
  region: string
  name: string
  arn: string
  version: number | null
  /** A new version or tags were written. */
  changed: boolean
  /** What differed and was written ('created' for a new parameter). */
  changes: string[]
  /** What could not be read (access denied) and was written without comparing. */
  unverified: string[]
  /** Dry run only: what a real run would write. */
  wouldChange?: string[]
  /** Risks left in place (an earlier token's Expiration policy): shown as warnings. */
  warnings: string[]
  error: string | null
}

/** What IAM or KMS permission to add, for the errors a user fixes in a policy. */
function explain(error: AwsCallError, action: string, arn: string, keyId?: string): string {
  switch (error.code) {
    case 'AccessDeniedException':
    case 'AccessDenied':
      return `${error.message} — grant ${action} on ${arn} to this role${keyId ? ` (and kms:Encrypt on ${keyId})` : ''}.`
    case 'InvalidKeyId':
      return `KMS key ${keyId ?? 'alias/aws/ssm'} is not usable (${error.message}) — check the key id or alias exists in this account and region, and that the role has kms:Encrypt on it.`
    case 'ParameterAlreadyExists':
      return `${arn} already exists and overwrite is false: nothing was changed.`
    default:
      return error.message
  }
}

/** A write whose answer says nothing (a timeout, a reset, a 5xx, an unreadable 200) may be done. */
function writeFailed(error: AwsCallError, action: string, arn: string, keyId?: string): string {
  const text = explain(error, action, arn, keyId)
  if (!outcomeUnknown(error)) return text
  return action === 'ssm:AddTagsToResource'
    ? `${text} Cannot confirm the tags were set: check the tags of ${arn}.`
    : `${text} The write's outcome is unknown (SSM may have done it): check ${arn} (its version and value) before re-running.`
}

/**
 * The SDK retries throttling, 5xx, resets and timeouts itself (bounded, with jitter); SSM's
 * TooManyUpdates (concurrent writes to one parameter) is a 400 it does not retry: we do.
 */
async function retried<T>(req: PublishRequest, what: string, call: () => Promise<T>): Promise<T> {
  return withRetry(call, {
    attempts: 6,
    baseMs: 500,
    maxDelayMs: 8000,
    deadline: req.deadline,
    retryable: (e) => e instanceof AwsCallError && e.code === 'TooManyUpdates',
    onRetry: ({ attempt, delayMs }) =>
      req.log(`${what}: TooManyUpdates, retrying in ${delayMs} ms (attempt ${attempt + 1})`),
  })
}

const denied = (e: unknown) => e instanceof AwsCallError && /AccessDenied/.test(e.code)

/**
 * Reads the stored value, metadata and tags. A refused read (access denied) is null: the planner
 * rewrites what it could not compare. Any other failure (5xx or throttling after retries, a body of
 * the wrong shape, a parameter DescribeParameters does not list) fails the target before anything
 * is written: an answer we cannot read never counts as "unchanged".
 */
async function readStored(
  ssm: SsmApi,
  name: string,
  arn: string,
  req: PublishRequest,
  dryRun = false,
): Promise<(Stored & { version?: number }) | undefined> {
  const unreadable = (what: string, error: unknown): never => {
    const cause = (
      error instanceof AwsCallError ? error.detail : String((error as Error)?.message ?? error)
    ).replace(/\.$/, '')
    throw new UserError(
      `cannot compare ${arn}: SSM ${what} gave no usable answer (${cause}). Nothing was written: an unreadable answer is never taken as "unchanged"; re-run the step when SSM answers.`,
    )
  }
  let value: string | undefined | null = null
  let version: number | undefined
  try {
    const got = await retried(req, `GetParameter ${name}`, () => ssm.getParameterValue(name))
    value = got.value
    version = got.version
  } catch (error) {
    // A dry run reads without writing first: a clear "not found" means it would be created.
    if (dryRun && error instanceof AwsCallError && error.code === 'ParameterNotFound')
      return undefined
    if (!denied(error)) unreadable('GetParameter', error)
    req.log(
      `cannot read ${arn} to compare (${(error as AwsCallError).code}: add ssm:GetParameter and kms:Decrypt to skip unchanged writes): overwriting`,
    )
  }
  let meta: Stored['meta'] = null
  try {
    const described = await retried(req, `DescribeParameters ${name}`, () =>
      ssm.describeParameter(name),
    )
    if (!described && dryRun && value === null) return undefined
    if (!described)
      throw new AwsCallError(
        'NotListed',
        'SSM DescribeParameters',
        `an unexpected answer: DescribeParameters does not list ${name}, which exists`,
        'unreadable',
      )
    meta = described
  } catch (error) {
    if (!denied(error)) unreadable('DescribeParameters', error)
    req.log(
      `cannot read the type, KMS key, description, tier and policies of ${arn} (${(error as AwsCallError).code}: add ssm:DescribeParameters to skip unchanged writes): writing them all`,
    )
  }
  let tags: Stored['tags'] = null
  if (Object.keys(req.tags).length) {
    try {
      tags = await retried(req, `ListTagsForResource ${name}`, () => ssm.listTags(name))
    } catch (error) {
      if (!denied(error)) unreadable('ListTagsForResource', error)
      req.log(
        `cannot read the tags of ${arn} (${(error as AwsCallError).code}: add ssm:ListTagsForResource to skip unchanged writes): adding them all`,
      )
    }
  }
  return { value, meta, tags, version }
}

const desired = (req: PublishRequest) => ({
  token: req.token,
  kmsKeyId: req.kmsKeyId,
  description: req.description,
  tier: req.tier,
  policies: req.policies,
  tags: req.tags,
})

/** What a real run would write, read without writing: 'created', attributes, or nothing. */
async function dryRunPlan(
  ssm: SsmApi,
  name: string,
  arn: string,
  req: PublishRequest,
): Promise<string[]> {
  const stored = await readStored(ssm, name, arn, req, true)
  if (!stored) return ['created']
  const plan = planUpdate(stored, desired(req))
  return [
    ...plan.put,
    ...plan.unverified.map((u) => `${u} (not compared)`),
    ...(Object.keys(plan.addTags).length && !plan.unverified.includes('tags') ? ['tags'] : []),
  ]
}

/** SSM refused String → SecureString: a token must not stay in plain text, and we never delete. */
function plaintextRefused(arn: string, target: Target, type: string | undefined): string {
  return (
    `${arn} is a plaintext ${type ?? 'String'} parameter and SSM refused to change its type to SecureString (HierarchyTypeMismatchException). ` +
    `Nothing was written. A token must not be stored in plain text: delete it ` +
    `(aws ssm delete-parameter --region ${target.region} --name ${target.name}) and re-run this step, which creates it as a SecureString; ` +
    `readers find no parameter in between, so do it when nothing reads it, or publish under a new name.`
  )
}

export async function publishToTarget(
  clients: AwsClients,
  target: Target,
  req: PublishRequest,
): Promise<TargetResult> {
  const result: TargetResult = {
    account: target.accountId ?? '',
    region: target.region,
    name: target.name,
    arn: '',
    version: null,
    changed: false,
    changes: [],
    unverified: [],
    warnings: [],
    error: null,
  }
  // Set before the first write: a failure before it wrote nothing, and says so.
  let wrote = false
  try {
    const session = await openTarget(
      clients,
      target,
      'argocd-actions-publish-ssm-token',
      (what, call) => retried(req, what, call),
      'nothing was written',
    )
    result.account = session.account
    const arn = session.arn
    result.arn = arn
    const ssm = session.ssm
    if (req.dryRun) {
      result.wouldChange = await dryRunPlan(ssm, target.name, arn, req)
      const would = result.wouldChange
      req.log(
        `dry run: ${would[0] === 'created' ? 'would create' : would.length ? `would write ${would.join(', ')} of` : 'nothing to write to'} ${arn}`,
      )
      return result
    }
    const base: PutInput = {
      Name: target.name,
      Value: req.token,
      Type: 'SecureString',
      Overwrite: false,
      ...(req.kmsKeyId && { KeyId: req.kmsKeyId }),
      ...(req.description && { Description: req.description }),
      ...(req.tier !== 'Standard' && { Tier: req.tier }),
      ...(req.policies && { Policies: req.policies }),
    }
    const tags = Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value }))
    const fail = (e: unknown, action: string): never => {
      if (e instanceof AwsCallError) throw new UserError(writeFailed(e, action, arn, req.kmsKeyId))
      throw e
    }
    wrote = true
    try {
      // Create with tags; SSM refuses Tags together with Overwrite.
      const created = await retried(req, `PutParameter ${target.name}`, () =>
        ssm.putParameter({ ...base, ...(tags.length && { Tags: tags }) }),
      )
      result.version = created.Version!
      result.changed = true
      result.changes = ['created']
      return result
    } catch (error) {
      if (!(error instanceof AwsCallError) || error.code !== 'ParameterAlreadyExists')
        fail(error, 'ssm:PutParameter')
      if (!req.overwrite) fail(error, 'ssm:PutParameter')
    }
    // It exists: read everything the action sets before writing anything, so an unchanged
    // parameter makes no new version and a failed read leaves it untouched.
    const stored = (await readStored(ssm, target.name, arn, req))!
    const plan = planUpdate(stored, desired(req))
    for (const note of plan.notes) req.log(`${arn} ${note}`)
    result.warnings = plan.warnings.map((w) => `${arn} ${w}`)
    result.version = stored.meta?.version ?? stored.version ?? null
    if (needsPut(plan)) {
      try {
        const put = await retried(req, `PutParameter ${target.name}`, () =>
          ssm.putParameter({ ...base, Overwrite: true }),
        )
        result.version = put.Version!
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'HierarchyTypeMismatchException')
          throw new UserError(plaintextRefused(arn, target, stored.meta?.type))
        fail(error, 'ssm:PutParameter')
      }
      result.changes.push(...plan.put)
      result.changed = true
    }
    if (Object.keys(plan.addTags).length) {
      try {
        await retried(req, `AddTagsToResource ${target.name}`, () =>
          ssm.addTags(target.name, plan.addTags),
        )
      } catch (error) {
        fail(error, 'ssm:AddTagsToResource')
      }
      if (!plan.unverified.includes('tags')) result.changes.push('tags')
      result.changed = true
    }
    result.unverified = plan.unverified
    return result
  } catch (error) {
    const text =
      error instanceof UserError
        ? error.message
        : error instanceof AwsCallError
          ? explain(error, 'the AWS call', result.arn || target.name)
          : String((error as Error)?.message ?? error)
    result.error =
      wrote || /nothing was (written|changed)/i.test(text) ? text : `${text} Nothing was written.`
    return result
  }
}

/** ExpirationNotification needs an Expiration policy beside it (Advanced tier only). */
export function expirationPolicies(expiresAt: Date, noticeDays: number): string {
  return JSON.stringify([
    { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: expiresAt.toISOString() } },
    {
      Type: 'ExpirationNotification',
      Version: '1.0',
      Attributes: { Before: String(noticeDays), Unit: 'Days' },
    },
  ])
}

/** Every target at once (one request stream per account); one failure does not stop the others. */
export function publishAll(
  clients: AwsClients,
  inputs: PublishInputs,
  opts: { policies?: string; deadline: number; log: (target: Target, message: string) => void },
): Promise<TargetResult[]> {
  return Promise.all(
    inputs.targets.map((target) =>
      publishToTarget(clients, target, {
        token: inputs.token,
        kmsKeyId: inputs.kmsKeyId,
        // Policies need the Advanced tier.
        tier: opts.policies ? 'Advanced' : inputs.tier,
        tags: inputs.tags,
        description: inputs.description,
        overwrite: inputs.overwrite,
        policies: opts.policies,
        dryRun: inputs.dryRun,
        deadline: opts.deadline,
        log: (m) => opts.log(target, m),
      }),
    ),
  )
}

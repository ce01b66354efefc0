import type { ParameterMeta } from './aws.js'
import type { Tier } from './inputs.js'

/** The attributes of a parameter this action sets, as named in `changes` and the summary. */
export type Attribute = 'value' | 'type' | 'kms-key' | 'description' | 'tier' | 'policies' | 'tags'

/** What the action wants stored. Unset fields are not the action's to set: they are not compared. */
export interface Desired {
  token: string
  kmsKeyId?: string
  description?: string
  tier: Tier
  /** JSON list of policies (ExpirationNotification and its Expiration). */
  policies?: string
  tags: Record<string, string>
}

/** What could be read of the stored parameter; null: the read was refused (access denied). */
export interface Stored {
  value: string | undefined | null
  meta: ParameterMeta | null
  tags: Record<string, string> | null
}

export interface Plan {
  /** Attributes that differ and are fixed by one PutParameter with Overwrite. */
  put: Attribute[]
  /** Tags to add (AddTagsToResource): differing or missing ones, or all when they could not be read. */
  addTags: Record<string, string>
  /** What could not be read: written without comparing (never assumed equal). */
  unverified: Array<'value' | 'metadata' | 'tags'>
  /** Differences SSM does not allow to fix, reported but not failed on. */
  notes: string[]
  /** Risks the update leaves in place, for a workflow warning. */
  warnings: string[]
}

const DEFAULT_KEY = 'alias/aws/ssm'

/** 'alias/x', 'arn:…:alias/x' → 'alias/x'; 'id', 'arn:…:key/id' → 'key/id'. */
export function keyForm(keyId: string): string {
  const tail = keyId.startsWith('arn:') ? keyId.split(':').slice(5).join(':') : keyId
  return tail.startsWith('alias/') || tail.startsWith('key/') ? tail : `key/${tail}`
}

/** Policies as a set of {Type, Attributes}: order and PolicyStatus do not matter. */
function policySet(texts: string[]): string[] | undefined {
  try {
    return texts
      .map((t) => {
        const p = JSON.parse(t) as { Type?: unknown; Attributes?: Record<string, unknown> }
        const attrs = Object.entries(p.Attributes ?? {})
          .map(([k, v]) => [k, String(v)])
          .sort(([a], [b]) => a!.localeCompare(b!))
        return JSON.stringify([p.Type, attrs])
      })
      .sort()
  } catch {
    return undefined
  }
}

/** The timestamp of a stored Expiration policy, if there is one. */
function expirationOf(texts: string[]): string | undefined {
  for (const t of texts) {
    try {
      const p = JSON.parse(t) as { Type?: unknown; Attributes?: { Timestamp?: unknown } }
      if (p.Type === 'Expiration') return String(p.Attributes?.Timestamp ?? 'a date')
    } catch {
      // Not JSON: not ours to read.
    }
  }
  return undefined
}

export function samePolicies(stored: string[], desired: string): boolean {
  const list = JSON.parse(desired) as unknown[]
  const a = policySet(stored)
  const b = policySet(list.map((p) => JSON.stringify(p)))
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)
}

/** Compares every attribute the action sets; an attribute that could not be read is rewritten. */
export function planUpdate(stored: Stored, want: Desired): Plan {
  const put: Attribute[] = []
  const unverified: Plan['unverified'] = []
  const notes: string[] = []
  const warnings: string[] = []
  if (stored.value === null) unverified.push('value')
  else if (stored.value !== want.token) put.push('value')

  const meta = stored.meta
  if (meta === null) unverified.push('metadata')
  else {
    if (meta.type !== 'SecureString') put.push('type')
    else if (
      want.kmsKeyId !== undefined &&
      keyForm(meta.keyId ?? DEFAULT_KEY) !== keyForm(want.kmsKeyId)
    )
      put.push('kms-key')
    if (want.description !== undefined && meta.description !== want.description)
      put.push('description')
    if (want.tier === 'Advanced' && meta.tier !== 'Advanced') put.push('tier')
    if (want.tier === 'Standard' && meta.tier === 'Advanced')
      notes.push('stays Advanced: SSM cannot move a parameter back to Standard')
    if (want.policies !== undefined && !samePolicies(meta.policies, want.policies))
      put.push('policies')
    const expiry = want.policies === undefined ? expirationOf(meta.policies) : undefined
    if (expiry && (put.includes('value') || stored.value === null))
      warnings.push(
        `has an Expiration policy (${expiry}) set for an earlier token, which this update does not replace: SSM deletes the parameter then. Set 'expiration-notice-days' (with 'profile') to replace it.`,
      )
  }

  let addTags: Record<string, string> = {}
  if (Object.keys(want.tags).length) {
    if (stored.tags === null) {
      unverified.push('tags')
      addTags = { ...want.tags }
    } else {
      const have = stored.tags
      addTags = Object.fromEntries(Object.entries(want.tags).filter(([k, v]) => have[k] !== v))
    }
  }
  return { put, addTags, unverified, notes, warnings }
}

/** Whether the plan needs a new version: something differs, or could not be compared. */
export const needsPut = (plan: Plan): boolean =>
  plan.put.length > 0 || plan.unverified.includes('value') || plan.unverified.includes('metadata')

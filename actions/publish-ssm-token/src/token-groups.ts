import { createHmac, randomBytes } from 'node:crypto'

/**
 * Tells which targets hold the same token without keeping a fingerprint of it: HMAC-SHA256 under a
 * key made for this run and forgotten with it. The digests never leave this module; only labels
 * ('A', 'B', …, in the order tokens are first seen) do, so nothing printed can be compared with
 * another run or with a guess.
 */
export class TokenGroups {
  private readonly key = randomBytes(32)
  private readonly labels = new Map<string, string>()

  /** The group label of this value: the same value, the same label, within this run. */
  label(value: string): string {
    const digest = createHmac('sha256', this.key).update(value, 'utf8').digest('hex')
    let label = this.labels.get(digest)
    if (!label) {
      label = groupLabel(this.labels.size)
      this.labels.set(digest, label)
    }
    return label
  }

  get size(): number {
    return this.labels.size
  }
}

/** 'A'…'Z', then 'AA', 'AB', …: one label per distinct token. */
export function groupLabel(index: number): string {
  let n = index
  let out = ''
  do {
    out = String.fromCharCode(65 + (n % 26)) + out
    n = Math.floor(n / 26) - 1
  } while (n >= 0)
  return out
}

// Which targets hold the same token, told by labels only: a keyed hash with a key of this run.
import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { TokenGroups, groupLabel } from '../src/token-groups.js'

const A = 'github_pat_11AAAAAAA0first-token-value-0123456789'
const B = 'github_pat_11BBBBBBB0second-token-value-987654321'

describe('TokenGroups', () => {
  it('labels the same value alike and different values apart, in order of first sight', () => {
    const g = new TokenGroups()
    expect([g.label(A), g.label(B), g.label(A), g.label(B)]).toEqual(['A', 'B', 'A', 'B'])
    expect(g.size).toBe(2)
  })

  it('keeps no digest anyone could compute: the key is random per run', () => {
    type Inside = { key: Buffer; labels: Map<string, string> }
    const [one, two] = [new TokenGroups(), new TokenGroups()]
    one.label(A)
    two.label(A)
    const [x, y] = [one as unknown as Inside, two as unknown as Inside]
    expect(x.key.equals(y.key)).toBe(false)
    const [d1] = x.labels.keys()
    const [d2] = y.labels.keys()
    expect(d1).not.toBe(d2)
    expect(d1).not.toBe(createHash('sha256').update(A).digest('hex'))
  })
})

describe('groupLabel', () => {
  it('goes A…Z, then AA, AB', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(groupLabel)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
    ])
  })
})

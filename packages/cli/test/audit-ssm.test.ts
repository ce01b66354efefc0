import type { StoredTokenAudit, TargetAudit } from '@argocd-actions/publish-ssm-token'
import { auditReport } from '../src/audit-ssm.js'

// The report audit-ssm prints, from the audit's result: the cases the sandbox runs do not reach.
const target = (extra: Partial<TargetAudit>): TargetAudit => ({
  account: '222222222222',
  region: 'us-east-2',
  name: '/argocd/github/api_key',
  arn: 'arn:aws:ssm:us-east-2:222222222222:parameter/argocd/github/api_key',
  present: true,
  type: 'SecureString',
  kmsKeyId: null,
  version: 4,
  lastModified: '2026-11-20T10:00:00.000Z',
  tokenKind: 'fine-grained',
  daysLeft: null,
  expiresAt: null,
  verdict: 'valid',
  missing: [],
  excess: [],
  sameAs: 'A',
  findings: [],
  ...extra,
})

test('no expiry known, a finding of each kind, a note, and the failure', () => {
  const report: StoredTokenAudit = {
    targets: [
      target({
        verdict: 'invalid',
        missing: ['Webhooks: write on acme/deploy'],
        excess: ['Contents: write on acme/deploy'],
      }),
      target({
        account: '333333333333',
        present: false,
        type: null,
        version: null,
        lastModified: null,
        tokenKind: null,
        sameAs: null,
        verdict: 'missing',
      }),
    ],
    valid: false,
    minDaysLeft: null,
    problems: ['222222222222 us-east-2 /argocd/github/api_key: invalid: lacks Webhooks: write'],
    notes: ['222222222222 us-east-2 /argocd/github/api_key: expires never'],
  }
  const lines = auditReport(report).split('\n')
  expect(lines[0].split(/\s+/)).toEqual([
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
  ])
  expect(lines[1].split(/\s+/)).toEqual([
    '222222222222',
    'us-east-2',
    '/argocd/github/api_key',
    'SecureString',
    'v4',
    '2026-11-20',
    'fine-grained',
    '-',
    '-',
    'A',
    'invalid',
  ])
  expect(lines[2].split(/\s+/)).toEqual([
    '333333333333',
    'us-east-2',
    '/argocd/github/api_key',
    'absent',
    '-',
    '-',
    '-',
    '-',
    '-',
    '-',
    'missing',
  ])
  expect(lines.slice(3)).toEqual([
    '222222222222 /argocd/github/api_key: missing Webhooks: write on acme/deploy; more than the role needs: Contents: write on acme/deploy',
    '',
    'Soonest expiry: none (no stored token expires, or none could be read).',
    'note: 222222222222 us-east-2 /argocd/github/api_key: expires never',
    'INVALID: 1 problem(s):',
    '  - 222222222222 us-east-2 /argocd/github/api_key: invalid: lacks Webhooks: write',
    '',
  ])
})

test('valid: every target counted, the soonest expiry named (several when tied)', () => {
  const report: StoredTokenAudit = {
    targets: [
      target({ daysLeft: 30, kmsKeyId: 'alias/argocd-tokens' }),
      target({ account: '333333333333', daysLeft: 30 }),
      target({ account: '444444444444', daysLeft: 90 }),
    ],
    valid: true,
    minDaysLeft: 30,
    problems: [],
    notes: [],
  }
  const text = auditReport(report)
  expect(text).toContain('SecureString alias/argocd-tokens')
  expect(text).toContain(
    'Soonest expiry: 30 days, 222222222222 /argocd/github/api_key, 333333333333 /argocd/github/api_key.',
  )
  expect(text.trimEnd().split('\n').at(-1)).toBe('VALID: 3 target(s) hold a token that fits.')
})

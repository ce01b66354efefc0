import { InputError } from '@argocd-actions/core'
import { fitDescription, MAX_DESCRIPTION } from '../src/description.js'
import { parseInputs } from '../src/inputs.js'

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''
const base = { token: 'ghp_x', repository: 'acme/app', sha: SHA, context: 'cd/app' }

/** GitHub's rule for a description (see the sandbox's statuses route). */
const acceptable = (text: string) =>
  !/[\u{10000}-\u{10FFFF}]/u.test(text) && [...text].length <= MAX_DESCRIPTION

describe('fitDescription', () => {
  test.each([
    ['140 emoji', '🚀'.repeat(140)],
    ['139 letters and an emoji', 'x'.repeat(139) + '🚀'],
    ['a family emoji', 'deployed 👨‍👩‍👧 ok'],
    ['a flag', 'to 🇫🇷'],
    ['a lone surrogate', 'half \uD83D pair'],
    ['300 CJK characters', '漢'.repeat(300)],
    ['control characters', 'a\nb\u0000c\u001b[31m d\u0085'],
  ])('%s: GitHub accepts the result', (_name, raw) => {
    const { text } = fitDescription(raw)
    expect(acceptable(text)).toBe(true)
    // eslint-disable-next-line no-control-regex -- what must be gone
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    expect(text).not.toMatch(/[\uD800-\uDFFF]/u)
  })

  test('a run of emoji becomes one replacement character', () => {
    expect(fitDescription('deployed 👨‍👩‍👧🚀 ok')).toEqual({
      text: 'deployed \uFFFD ok',
      replaced: true,
      flattened: false,
      shortened: false,
    })
  })

  test('line breaks become single spaces', () => {
    expect(fitDescription('sync ok\n  revision abc')).toMatchObject({
      text: 'sync ok revision abc',
      flattened: true,
    })
  })

  test('140 characters are kept; 141 are cut to 140 with an ellipsis', () => {
    expect(fitDescription('é'.repeat(140))).toMatchObject({
      text: 'é'.repeat(140),
      shortened: false,
    })
    const cut = fitDescription('é'.repeat(141))
    expect(cut.shortened).toBe(true)
    expect(cut.text).toBe('é'.repeat(139) + '…')
  })

  test('plain text is untouched', () => {
    expect(fitDescription('ArgoCD')).toEqual({
      text: 'ArgoCD',
      replaced: false,
      flattened: false,
      shortened: false,
    })
  })
})

describe('parseInputs', () => {
  test('the description is fitted in mode set', () => {
    const inputs = parseInputs(reader({ ...base, state: 'success', description: '🚀 ok' }), {})
    expect(inputs).toMatchObject({
      description: '\uFFFD ok',
      descriptionFitted: { replaced: true },
    })
  })

  test('expected-target-url is read in mode wait', () => {
    const inputs = parseInputs(
      reader({
        ...base,
        mode: 'wait',
        'expected-target-url': 'https://argocd.example.com/applications/a',
      }),
      {},
    )
    expect(inputs.mode === 'wait' && inputs.expectedTargetUrl?.href).toBe(
      'https://argocd.example.com/applications/a',
    )
  })

  test.each([
    '2026-02-30',
    '2026-02-29T10:00:00Z',
    '2026-04-31T10:00',
    '2026-11-22T24:00:00Z',
    '2026-00-10',
  ])('created-after %s is not a real date', (value) => {
    const read = reader({ ...base, mode: 'wait', 'created-after': value })
    expect(() => parseInputs(read, {})).toThrow(InputError)
    expect(() => parseInputs(read, {})).toThrow(
      `Input 'created-after' is not a real date: '${value}'`,
    )
  })

  test('a leap day is a real date', () => {
    const inputs = parseInputs(reader({ ...base, mode: 'wait', 'created-after': '2028-02-29' }), {})
    expect(inputs.mode === 'wait' && inputs.createdAfter?.toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    )
  })
})

import {
  InputError,
  clip,
  getDate,
  getEnum,
  getRepository,
  getString,
  TOKEN_PREFIXES,
  maskSecret,
  redactMasked,
  refuseHostileInputs,
  type InputReader,
} from '../src/index.js'

/**
 * Class 4 of issue 11: redaction survives shortening. An error quotes an input's value; a token
 * pasted into the wrong input must never be quoted, not even its first 79 characters.
 */

// A fine-grained token is 93 characters: 'github_pat_' and 82 more.
const fineGrained = `github_pat_11ABCDEFG0${'Kx9'.repeat(20)}q7W2eR4tY6uI8oP0aS3dF5gH7`.slice(0, 93)
const reader =
  (values: Record<string, string>): InputReader =>
  (name) =>
    values[name] ?? ''

function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

/** Every 12-character window of the secret found in the text: [] when none leaked. */
function fragments(text: string, secret: string, size = 12): string[] {
  const found: string[] = []
  for (let i = 0; i + size <= secret.length; i++) {
    const w = secret.slice(i, i + size)
    if (text.includes(w)) found.push(w)
  }
  return found
}

test('the canary is a real-looking fine-grained token', () => {
  expect(fineGrained).toHaveLength(93)
  expect(fineGrained).toMatch(/^github_pat_[A-Za-z0-9_]{82}$/)
})

describe('a token pasted into a non-token input is never quoted', () => {
  test('repository: the issue example (first 79 characters were echoed)', () => {
    const e = inputError(() => getRepository(reader({ repository: fineGrained }), 'repository'))
    expect(e.input).toBe('repository')
    expect(fragments(e.message, fineGrained)).toEqual([])
    expect(e.message).toContain("Input 'repository' looks like a token; it was not printed")
    expect(e.message).toContain('Example: repository: my-org/argocd-deploy-non-prod')
  })

  test.each([
    ['ghp_', `ghp_${'a1B2c3D4e5'.repeat(4)}`.slice(0, 40)],
    ['gho_', `gho_${'Zz09'.repeat(9)}`],
    ['ghu_', `ghu_${'Zz09'.repeat(9)}`],
    ['ghs_ (new form with dots)', `ghs_12345_${'eyJhbGciOi'.repeat(6)}.${'abc'.repeat(30)}`],
    ['ghr_', `ghr_${'Zz09'.repeat(9)}`],
    ['glpat-', `glpat-${'x1Y2z3'.repeat(4)}`],
    ['ATCTT', `ATCTT3xFfGF0${'Q1w2E3r4'.repeat(20)}`],
    ['ATATT', `ATATT3xFfGF0${'Q1w2E3r4'.repeat(20)}`],
    ['ATBB', `ATBB${'Q1w2E3r4'.repeat(4)}`],
  ])('%s in an enum input', (_, token) => {
    const e = inputError(() => getEnum(reader({ mode: token }), 'mode', ['set', 'wait'] as const))
    expect(e.message).toContain("Input 'mode' looks like a token; it was not printed")
    expect(fragments(e.message, token, 8)).toEqual([])
  })

  test('a token after other text, past the point where a quote is cut', () => {
    const value = `${'x'.repeat(70)} ${fineGrained}`
    const e = inputError(() => getDate(reader({ d: value }), 'd'))
    expect(e.message).toContain("Input 'd' looks like a token; it was not printed")
    expect(fragments(e.message, fineGrained, 6)).toEqual([])
  })

  test('a masked secret without a known prefix (GHES 40 hex), or part of it, is not quoted', () => {
    const hex = 'a3f9c0d1e2b4a5f6c7d8e9f0a1b2c3d4e5f6a7b8'
    maskSecret(hex, () => undefined)
    for (const value of [hex, hex.slice(5, 30), `x-${hex.slice(0, 20)}`]) {
      const e = inputError(() => getRepository(reader({ r: value }), 'r'))
      expect(e.message).toContain("Input 'r' looks like a token; it was not printed")
      expect(fragments(e.message, hex)).toEqual([])
    }
  })

  test('an InputError built by hand is scrubbed too: the rule lives in InputError', () => {
    const e = new InputError('sha', `names no commit: '${fineGrained}'`, 'main')
    expect(e.message).toBe(
      "Input 'sha' looks like a token; it was not printed (a token belongs only in a token input, set from a secret). Example: sha: main",
    )
    const ex = new InputError('repository', 'cannot be used with target', fineGrained)
    expect(fragments(ex.message, fineGrained)).toEqual([])
  })

  test('words that merely contain a prefix are still quoted', () => {
    const e = inputError(() => getRepository(reader({ r: 'laughs_and_cries' }), 'r'))
    expect(e.message).toContain("'laughs_and_cries'")
    const short = inputError(() => getEnum(reader({ m: 'ghp_' }), 'm', ['a'] as const))
    expect(short.message).toContain("unknown value 'ghp_'")
  })
})

describe('quoting', () => {
  test('control characters are shown as escapes, never sent raw', () => {
    const out = clip('a\u001b[31mred\u0000\u0007\u009b\u202e\u2066b')
    expect(out).toBe('a\\u001B[31mred\\u0000\\u0007\\u009B\\u202E\\u2066b')
  })

  test('line breaks become spaces, so no workflow command can start a line', () => {
    expect(clip('x\n::error::pwned\r\n::add-mask::y')).toBe('x ::error::pwned ::add-mask::y')
  })

  test('a long value is cut on a character, not inside a surrogate pair', () => {
    const out = clip('😀'.repeat(200))
    expect([...out]).toHaveLength(80)
    expect(out.endsWith('😀…')).toBe(true)
    expect(/[\ud800-\udfff]/u.test(out)).toBe(false) // no lone surrogate
  })

  test('an InputError message stays short and on one line whatever the value', () => {
    const e = new InputError('path', `is odd: '${'y'.repeat(10_000)}\n::error::x'`, 'a/b')
    expect(e.message.length).toBeLessThan(600)
    expect(e.message).not.toContain('\n')
    expect(e.message).toContain('Example: path: a/b')
  })

  test('getString refuses more than 1024 characters (or its max), counting characters', () => {
    const e = inputError(() => getString(reader({ c: 'a'.repeat(10_240) }), 'c'))
    expect(e.message).toBe("Input 'c' is 10240 characters long; at most 1024")
    expect(getString(reader({ c: '😀'.repeat(1024) }), 'c')).toHaveLength(2048)
    expect(() => getString(reader({ c: 'abcd' }), 'c', { max: 3 })).toThrow('at most 3')
  })

  test('getString refuses a line break in a single-line input, without quoting it', () => {
    const e = inputError(() => getString(reader({ c: 'ci\n::error::pwned' }), 'c'))
    expect(e.message).toContain("Input 'c' must be one line")
    expect(e.message).not.toContain('pwned')
  })
})

test('TOKEN_PREFIXES lists every prefix tokens/kind.ts knows, and nothing else', async () => {
  const { readFile } = await import('node:fs/promises')
  const source = await readFile(new URL('../src/tokens/kind.ts', import.meta.url), 'utf8')
  const known = [...source.matchAll(/^\s*\['([A-Za-z_-]+)', '[a-z-]+',/gm)].map((m) => m[1])
  expect(known.length).toBeGreaterThanOrEqual(10)
  expect([...TOKEN_PREFIXES].sort()).toEqual([...new Set(known)].sort())
})

describe('refuseHostileInputs: every input, before the action reads any', () => {
  const err = (env: Record<string, string>) => inputError(() => refuseHostileInputs(env))

  test('a token in any input but token is refused, named, not printed, and masked', () => {
    const e = err({
      INPUT_TOKEN: 'ghp_realtoken000000000000000000000000000',
      INPUT_SHA: fineGrained,
    })
    expect(e.input).toBe('sha')
    expect(e.message).toContain("Input 'sha' looks like a token; it was not printed")
    expect(fragments(e.message, fineGrained, 6)).toEqual([])
    expect(redactMasked(`x ${fineGrained} y`)).toBe('x *** y')
  })

  test('a piece of the token input in another input is refused, even without a prefix', () => {
    const token = 'f0e1d2c3b4a5968778695a4b3c2d1e0f11223344'
    const e = err({ INPUT_TOKEN: token, 'INPUT_APP-COMMIT': `${token.slice(3, 40)}abc` })
    expect(e.input).toBe('app-commit')
    expect(e.message).toBe(
      "Input 'app-commit' contains the token (or a part of it); it was not printed. Only 'token' may hold it",
    )
  })

  test('the token input itself, multi-line text and unicode pass', () => {
    expect(() =>
      refuseHostileInputs({
        INPUT_TOKEN: fineGrained,
        INPUT_REQUIREMENTS: 'github:\n  repositories:\n    deploy: { contents: write }\n',
        INPUT_DESCRIPTION: 'Déploiement ✅ 部署 🚀\ttabbed',
        PATH: '/usr/bin',
      }),
    ).not.toThrow()
  })

  test.each([
    ['ESC', '\u001b[2J', '001B'],
    ['BEL', 'x\u0007', '0007'],
    ['DEL', 'x\u007f', '007F'],
    ['C1 CSI', 'x\u009b31m', '009B'],
    ['right-to-left override', 'main\u202e', '202E'],
    ['isolate', 'x\u2066y', '2066'],
  ])('a control character (%s) is refused by code point, the value not shown', (_, value, code) => {
    const e = err({ INPUT_CONTEXT: `ci/${value}` })
    expect(e.input).toBe('context')
    expect(e.message).toBe(
      `Input 'context' contains the control character U+${code}; inputs are plain text (the value is not shown)`,
    )
  })
})

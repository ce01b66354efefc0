import {
  InputError,
  getBoolean,
  getDate,
  getEnum,
  getInteger,
  getRepository,
  getString,
  getToken,
  getUrl,
  type InputReader,
} from '../src/index.js'

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

describe('getString', () => {
  test('returns the trimmed value', () => {
    expect(getString(reader({ a: '  x ' }), 'a')).toBe('x')
  })
  test('a required empty input names the input and shows an example', () => {
    const e = inputError(() =>
      getString(reader({ a: '  ' }), 'a', { required: true, example: 'foo' }),
    )
    expect(e.input).toBe('a')
    expect(e.message).toBe("Input 'a' is required but empty. Example: a: foo")
  })
})

describe('getEnum', () => {
  const states = ['pending', 'success'] as const
  test('accepts any case and falls back when empty', () => {
    expect(getEnum(reader({ s: 'SUCCESS' }), 's', states)).toBe('success')
    expect(getEnum(reader({}), 's', states, 'pending')).toBe('pending')
  })
  test('an unknown value lists the valid ones', () => {
    const e = inputError(() => getEnum(reader({ s: 'done' }), 's', states))
    expect(e.message).toContain("unknown value 'done'; one of: pending, success")
    expect(e.message).toContain('Example: s: pending')
  })
  test('empty without fallback is required', () => {
    expect(inputError(() => getEnum(reader({}), 's', states)).message).toContain('is required')
  })
})

describe('getBoolean', () => {
  test.each([
    ['true', true],
    ['False', false],
    ['', true],
  ])('%s', (value, expected) => {
    expect(getBoolean(reader({ b: value }), 'b', true)).toBe(expected)
  })
  test('rejects other words', () => {
    expect(inputError(() => getBoolean(reader({ b: 'maybe' }), 'b', false)).message).toContain(
      "must be true or false, not 'maybe'",
    )
  })
})

describe('getInteger', () => {
  const opts = { fallback: 10, min: 1, max: 60 }
  test('parses and falls back', () => {
    expect(getInteger(reader({ n: '5' }), 'n', opts)).toBe(5)
    expect(getInteger(reader({}), 'n', opts)).toBe(10)
  })
  test.each(['1.5', '-3', 'ten', '1e3'])('rejects %s', (value) => {
    expect(inputError(() => getInteger(reader({ n: value }), 'n', opts)).message).toContain(
      'whole number',
    )
  })
  test('rejects out of range', () => {
    expect(inputError(() => getInteger(reader({ n: '0' }), 'n', opts)).message).toContain(
      'between 1 and 60',
    )
  })
})

describe('getUrl', () => {
  const opts = { example: 'https://x.example' }
  test('accepts http and https, falls back', () => {
    expect(getUrl(reader({ u: 'http://127.0.0.1:1/api' }), 'u', opts)).toBe(
      'http://127.0.0.1:1/api',
    )
    expect(getUrl(reader({}), 'u', { ...opts, fallback: 'https://api.github.com' })).toBe(
      'https://api.github.com',
    )
    expect(getUrl(reader({}), 'u', opts)).toBe('')
  })
  test.each([
    ['not a url', 'not an absolute URL'],
    ['ftp://x.example/', 'http or https'],
    ['javascript:alert(1)', 'http or https'],
    ['https://user:pass@x.example/', 'must not contain credentials'],
  ])('rejects %s', (value, problem) => {
    const e = inputError(() => getUrl(reader({ u: value }), 'u', opts))
    expect(e.message).toContain(problem)
    expect(e.message).toContain('Example: u: https://x.example')
  })
  test('credentials in a URL are not echoed', () => {
    const e = inputError(() => getUrl(reader({ u: 'https://user:s3cr3t@x.example/' }), 'u', opts))
    expect(e.message).not.toContain('s3cr3t')
  })
})

describe('getRepository', () => {
  test('splits owner and name, with a fallback', () => {
    expect(getRepository(reader({ r: 'my-org/app.repo_1' }), 'r')).toEqual({
      owner: 'my-org',
      repo: 'app.repo_1',
    })
    expect(getRepository(reader({}), 'r', 'a/b')).toEqual({ owner: 'a', repo: 'b' })
  })
  test.each(['noslash', 'a/b/c', '/b', 'a/', 'a b/c', 'a/..', '-a/b'])('rejects %s', (value) => {
    expect(inputError(() => getRepository(reader({ r: value }), 'r')).message).toContain(
      "must be 'owner/name'",
    )
  })
})

describe('getDate', () => {
  test.each([
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00+02:00', '2026-11-22T08:00:00.000Z'],
    ['2026-11-22T10:00:00.123Z', '2026-11-22T10:00:00.123Z'],
    ['2026-11-22T10:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(getDate(reader({ d: value }), 'd')?.toISOString()).toBe(iso)
  })
  test('empty is undefined', () => {
    expect(getDate(reader({}), 'd')).toBeUndefined()
  })
  test.each(['yesterday', '2026-13-45T99:00:00Z', '22/11/2026', '1700000000'])(
    'rejects %s',
    (value) => {
      expect(inputError(() => getDate(reader({ d: value }), 'd')).message).toMatch(
        /ISO-8601|not a real date/,
      )
    },
  )
})

describe('getToken', () => {
  test('returns the trimmed token', () => {
    expect(getToken(reader({ t: ' ghp_abc \n' }), 't')).toBe('ghp_abc')
  })
  test('empty says the secret may be unset', () => {
    expect(inputError(() => getToken(reader({}), 't')).message).toContain('secret may not be set')
  })
  test('a token with inner whitespace is refused without echoing it', () => {
    const e = inputError(() => getToken(reader({ t: 'ghp_CANARY123 extra' }), 't'))
    expect(e.message).toContain('whitespace')
    expect(e.message).not.toContain('CANARY')
  })
})

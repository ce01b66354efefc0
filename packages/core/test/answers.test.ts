import {
  bodyKindOf,
  eitherOf,
  listOf,
  objectWith,
  readAnswer,
  withoutTokens,
  type Answer,
} from '../src/answers.js'

/** The one rule of the audits: only an answer that proves absence is "absent". */
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  request: 'GET /repos/acme/app/hooks',
  status,
  headers,
  body,
  bodyKind: bodyKindOf(body, headers['content-type']),
})
const github = { provider: 'GitHub' as const, shape: listOf('type') }

describe('readAnswer', () => {
  test.each<[string, Answer]>([
    [
      "GitHub's 403 naming the permission",
      answer(
        403,
        { message: 'Resource not accessible by personal access token' },
        { 'x-accepted-github-permissions': 'repository_hooks=read' },
      ),
    ],
    ["GitHub's JSON 404 for what the token was not granted", answer(404, { message: 'Not Found' })],
  ])('absent: %s', (_name, a) => {
    expect(readAnswer(a, github)).toEqual({ state: 'absent' })
  })

  test.each<[string, Answer, string]>([
    ['a 500 after retries', answer(500, { message: 'Server Error' }), 'server fault'],
    [
      'an HTML 403 page from a proxy',
      answer(403, '<html>denied</html>', { 'content-type': 'text/html' }),
      'HTML page',
    ],
    ['an HTML 404 page', answer(404, '<!DOCTYPE html><p>nope</p>'), 'HTML page'],
    [
      'a secondary rate limit',
      answer(403, { message: 'You have exceeded a secondary rate limit.' }),
      'rate limit',
    ],
    ['a 429', answer(429, { message: 'API rate limit exceeded' }, { 'retry-after': '60' }), '60 s'],
    ['a JSON null', answer(200, null), 'JSON null'],
    ['an empty 200', answer(200, ''), 'empty body'],
    [
      'a body of the wrong shape',
      answer(200, { items: [] }),
      "JSON object, an answer of unexpected shape (expected a JSON list of objects with a string 'type')",
    ],
    ['a list of something else', answer(200, [{ id: 1 }]), 'unexpected shape'],
    ['a 403 without proof', answer(403, { message: 'Forbidden' }), 'does not prove'],
    [
      'no answer at all',
      { ...answer(0, undefined), bodyKind: 'none', failure: 'ECONNRESET' },
      'got no answer (ECONNRESET)',
    ],
  ])('unreadable: %s', (_name, a, reason) => {
    const reading = readAnswer(a, github)
    expect(reading.state).toBe('unreadable')
    expect(reading.state === 'unreadable' && reading.reason).toContain(reason)
  })

  test('present: a 200 of the expected shape', () => {
    expect(readAnswer(answer(200, []), github)).toEqual({ state: 'present' })
    expect(readAnswer(answer(200, [{ type: 'Repository' }]), github)).toEqual({ state: 'present' })
  })

  test('every probe states its shape the same way: a JSON object of another kind is unreadable', () => {
    // The contents probe: a directory listing or a content object, nothing else.
    const contents = {
      provider: 'GitHub' as const,
      shape: eitherOf(listOf('type', 'path'), objectWith('type', 'path')),
    }
    const read = (body: unknown) =>
      readAnswer({ ...answer(200, body), request: 'GET /c' }, contents)
    expect(read([{ type: 'dir', path: 'apps' }]).state).toBe('present')
    expect(read({ type: 'file', path: 'README.md' }).state).toBe('present')
    const wrong = read({ message: 'not a list', total_count: 1 })
    expect(wrong.state).toBe('unreadable')
    expect(wrong.state === 'unreadable' && wrong.reason).toMatch(/unexpected shape/)
    expect(read([{ unexpected: true }]).state).toBe('unreadable')
  })

  test("GitLab's and Bitbucket's JSON refusals prove absence; their HTML pages do not", () => {
    expect(
      readAnswer(answer(404, { message: '404 Project Not Found' }), {
        provider: 'GitLab',
        shape: objectWith('id'),
      }),
    ).toEqual({
      state: 'absent',
    })
    const bb = { type: 'error', error: { message: 'Repository not found' } }
    expect(
      readAnswer(answer(404, bb), { provider: 'Bitbucket', shape: objectWith('full_name') }),
    ).toEqual({ state: 'absent' })
    expect(
      readAnswer(answer(403, '<html/>'), { provider: 'Bitbucket', shape: objectWith('full_name') })
        .state,
    ).toBe('unreadable')
  })
})

test('a long server message is not quoted (a cut token would escape masking); tokens never are', () => {
  const long = answer(403, { message: `${'x'.repeat(190)} ghp_${'a'.repeat(36)}` })
  const reading = readAnswer(long, github)
  expect(reading.state === 'unreadable' && reading.reason).toContain('with a JSON error,')
  expect(JSON.stringify(reading)).not.toContain('ghp_')
  expect(withoutTokens(`bad glpat-${'b'.repeat(20)} and github_pat_11AB_cd here`)).toBe(
    'bad [a token] and [a token] here',
  )
})

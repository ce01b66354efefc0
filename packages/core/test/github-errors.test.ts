import {
  GitHubError,
  describePermissions,
  explainGitHubError,
  parseTokenExpiration,
  UserError,
  ssoUrl,
} from '../src/index.js'

/** Shaped like @octokit/request-error's RequestError: status + response { headers, data }. */
function requestError(status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), {
    status,
    response: { status, url: 'http://x', headers, data: { message } },
  })
}

const ctx = { action: 'create a commit status on o/r@abc' }

function explain(error: unknown, extra = {}): GitHubError {
  const out = explainGitHubError(error, { ...ctx, ...extra })
  expect(out).toBeInstanceOf(GitHubError)
  return out as GitHubError
}

describe('explainGitHubError', () => {
  test('401 without a known expiry: wrong, revoked or expired', () => {
    const e = explain(requestError(401, 'Bad credentials'))
    expect(e.kind).toBe('bad-credentials')
    expect(e.message).toContain('Could not create a commit status on o/r@abc')
    expect(e.message).toContain('wrong, revoked or expired')
  })
  test('401 after an expiry seen in the past: expired, with the date', () => {
    const e = explain(requestError(401, 'Bad credentials'), {
      tokenExpiration: '2021-10-07 19:07:53 UTC',
    })
    expect(e.kind).toBe('expired')
    expect(e.message).toContain('expired on 2021-10-07T19:07:53.000Z')
  })
  test('401 with a future expiry is not called expired', () => {
    const e = explain(requestError(401, 'Bad credentials'), {
      tokenExpiration: '2999-01-01 00:00:00 +0000',
    })
    expect(e.kind).toBe('bad-credentials')
  })
  test('fine-grained token missing a permission is named from X-Accepted-GitHub-Permissions', () => {
    const e = explain(
      requestError(403, 'Resource not accessible by personal access token', {
        'x-accepted-github-permissions': 'statuses=write',
      }),
    )
    expect(e.kind).toBe('missing-permission')
    expect(e.message).toContain("the permission 'Commit statuses: write'")
    expect(e.message).toContain('fine-grained token')
  })
  test('app token missing a permission', () => {
    const e = explain(
      requestError(403, 'Resource not accessible by integration', {
        'x-accepted-github-permissions': 'contents=read; statuses=read',
      }),
    )
    expect(e.message).toContain("'Contents: read' or 'Commit statuses: read'")
    expect(e.message).toContain('GitHub App')
  })
  test('classic PATs banned by the org: the seed fix', () => {
    const e = explain(
      requestError(
        403,
        "The 'my-org' organization has forbidden access via personal access tokens (classic). Please use a fine-grained personal access token instead.",
      ),
    )
    expect(e.kind).toBe('classic-pat-forbidden')
    expect(e.message).toContain('Allow access via personal access tokens (classic)')
  })
  test('lifetime policy', () => {
    const e = explain(
      requestError(
        403,
        "The 'my-org' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days.",
      ),
    )
    expect(e.kind).toBe('lifetime-policy')
    expect(e.message).toContain('at most 90 days')
  })
  test('SSO: gives the authorisation URL', () => {
    const e = explain(
      requestError(403, 'Resource protected by organization SAML enforcement.', {
        'x-github-sso':
          'required; url=https://github.com/orgs/my-org/sso?authorization_request=ABC',
      }),
    )
    expect(e.kind).toBe('sso-required')
    expect(e.message).toContain('https://github.com/orgs/my-org/sso?authorization_request=ABC')
  })
  test('404: the checklist', () => {
    const e = explain(requestError(404, 'Not Found'))
    expect(e.kind).toBe('not-found')
    expect(e.message).toMatch(/repository selected|has this repository selected/)
    expect(e.message).toContain('expired')
  })
  test('secondary rate limit', () => {
    const e = explain(
      requestError(403, 'You have exceeded a secondary rate limit. Please wait.', {
        'retry-after': '60',
      }),
    )
    expect(e.kind).toBe('rate-limited')
    expect(e.message).toContain('secondary rate limit')
    expect(e.message).toContain('retry after 60 s')
  })
  test('primary rate limit (429, remaining 0)', () => {
    const e = explain(
      requestError(429, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1800000000',
      }),
    )
    expect(e.kind).toBe('rate-limited')
    expect(e.message).toContain('2027-01-15T08:00:00.000Z')
  })
  test('5xx is a server error, not the user’s', () => {
    const e = explain(requestError(502, 'Bad Gateway'))
    expect(e.kind).toBe('server')
  })
  test('422 keeps GitHub’s validation details', () => {
    const err = requestError(422, 'Validation Failed')
    ;(err.response.data as Record<string, unknown>).errors = [
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: 'description is too long (maximum is 140 characters)',
      },
    ]
    const e = explain(err)
    expect(e.kind).toBe('validation')
    expect(e.message).toContain('description is too long')
  })
  test('a request that got no response is a network error, not a bug', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      status: 500,
      request: { method: 'GET', url: 'http://127.0.0.1:1/' },
    })
    const e = explain(err)
    expect(e.kind).toBe('network')
    expect(e.message).toContain('ECONNREFUSED')
    expect(e.message).toContain('reachable')
  })
  test('non-HTTP errors pass through unchanged', () => {
    const plain = new TypeError('boom')
    expect(explainGitHubError(plain, ctx)).toBe(plain)
  })
})

describe('parseTokenExpiration', () => {
  test.each([
    ['2021-10-07 19:07:53 UTC', '2021-10-07T19:07:53.000Z'],
    ['2026-12-01 10:00:00 +0000', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01 10:00:00 -0500', '2026-12-01T15:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(parseTokenExpiration(value)?.toISOString()).toBe(iso)
  })
  test('garbage is undefined', () => {
    expect(parseTokenExpiration('soon')).toBeUndefined()
    expect(parseTokenExpiration(undefined)).toBeUndefined()
  })
})

test('ssoUrl only reads required', () => {
  expect(ssoUrl('required; url=https://x/sso')).toBe('https://x/sso')
  expect(ssoUrl('partial-results; organizations=1,2')).toBeUndefined()
})

test('describePermissions', () => {
  expect(describePermissions('metadata=read')).toBe("the permission 'Metadata: read'")
})

/** Proxies answer with HTML pages, servers with null: no diagnosis the answer does not support. */
describe('explainGitHubError on answers that are not GitHub JSON', () => {
  const withBody = (status: number, data: unknown, headers: Record<string, string> = {}) =>
    Object.assign(new Error(typeof data === 'string' ? data : 'x'), {
      status,
      response: { status, url: 'http://x', headers, data },
    })

  test('an HTML 404 page from a proxy is not "GitHub hides private resources"', () => {
    const e = explain(
      withBody(404, '<html><body>Not here</body></html>', { 'content-type': 'text/html' }),
    )
    expect(e.kind).toBe('unreadable')
    expect(e.message).toContain('answered 404 with an HTML page')
    expect(e.message).toContain('proxy')
    expect(e.message).not.toContain('hide private')
    expect(e.message).not.toContain('<html>')
  })

  test('an HTML 502 page after retries: a server-side fault, likely a proxy', () => {
    const e = explain(withBody(502, '<html>Bad Gateway</html>'))
    expect(e.kind).toBe('server')
    expect(e.message).toContain('answered 502 with an HTML page')
    expect(e).toBeInstanceOf(UserError)
  })

  test('an HTML 403 page is not "missing permission"', () => {
    const e = explain(withBody(403, '<!doctype html><p>Forbidden</p>'), {
      permission: 'statuses=write',
    })
    expect(e.kind).toBe('unreadable')
    expect(e.message).not.toContain('lacks')
  })

  test('a JSON null error body says so', () => {
    const e = explain(withBody(404, null))
    expect(e.message).toContain('answered 404 with a JSON null')
  })

  test('a timeout (AbortError without a response) is a network failure, not a bug', () => {
    const abort = Object.assign(new Error('This operation was aborted'), {
      name: 'AbortError',
      status: 500,
    })
    expect(explain(abort).kind).toBe('network')
    // What Octokit throws for AbortSignal.timeout: "Unknown Error" with the TimeoutError as cause.
    const timeout = Object.assign(new Error('Unknown Error'), {
      status: 500,
      request: {},
      cause: Object.assign(new Error('The operation was aborted due to timeout'), {
        name: 'TimeoutError',
      }),
    })
    const e = explain(timeout)
    expect(e.kind).toBe('network')
    expect(e.message).toContain('did not answer in time')
    expect(e.message).not.toContain('bug')
  })
})

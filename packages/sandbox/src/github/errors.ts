// GitHub's error bodies: {"message", "documentation_url", "status": "<code as string>"}.
// Routes throw ApiError; the server turns it into the response.

export const DOCS = {
  root: 'https://docs.github.com/rest',
  meta: 'https://docs.github.com/rest/meta/meta#github-api-root',
  getUser: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
  getRepo: 'https://docs.github.com/rest/repos/repos#get-a-repository',
  getCommit: 'https://docs.github.com/rest/commits/commits#get-a-commit',
  createStatus: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
  listStatuses:
    'https://docs.github.com/rest/commits/statuses#list-commit-statuses-for-a-reference',
  combinedStatus:
    'https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
  listUserRepos:
    'https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user',
  listInstallationRepos:
    'https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation',
  listHooks: 'https://docs.github.com/rest/repos/webhooks#list-repository-webhooks',
  createHook: 'https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook',
  getContent: 'https://docs.github.com/rest/repos/contents#get-repository-content',
  listKeys: 'https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys',
  createKey: 'https://docs.github.com/rest/deploy-keys/deploy-keys#create-a-deploy-key',
  createRef: 'https://docs.github.com/rest/git/refs#create-a-reference',
  updateRef: 'https://docs.github.com/rest/git/refs#update-a-reference',
  listPulls: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests',
  createPull: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  getPull: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
  mergePull: 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request',
  listMembers: 'https://docs.github.com/rest/orgs/members#list-organization-members',
  rateLimits: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  secondaryRateLimits:
    'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  saml: 'https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/',
} as const

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body['message'] ?? status))
  }
}

export function errorBody(
  status: number,
  message: string,
  documentationUrl: string,
): Record<string, unknown> {
  return { message, documentation_url: documentationUrl, status: String(status) }
}

export const notFound = (doc: string = DOCS.root): ApiError =>
  new ApiError(404, errorBody(404, 'Not Found', doc))

export const badCredentials = (): ApiError =>
  new ApiError(401, errorBody(401, 'Bad credentials', DOCS.root))

export const requiresAuthentication = (doc: string): ApiError =>
  new ApiError(401, errorBody(401, 'Requires authentication', doc))

export const forbidden = (
  message: string,
  doc: string,
  headers: Record<string, string> = {},
): ApiError => new ApiError(403, errorBody(403, message, doc), headers)

export const noCommitFound = (ref: string, doc: string): ApiError =>
  new ApiError(422, errorBody(422, `No commit found for SHA: ${ref}`, doc))

/** 422 with a plain message (GitHub's deliver_error! 422, message: ...). */
export const unprocessable = (message: string, doc: string): ApiError =>
  new ApiError(422, errorBody(422, message, doc))

/** 400 for a body that is not a JSON object. */
export function parseJsonObject(body: string, doc: string): Record<string, unknown> {
  if (body.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // falls through to GitHub's 400
  }
  throw new ApiError(400, errorBody(400, 'Problems parsing JSON', doc))
}

/**
 * GitHub's request-schema errors, raised before anything else is looked at:
 * `Invalid request.\n\n"sha" wasn't supplied.` and `For 'properties/sha', 1 is not a string.`
 */
export function requireStrings(
  input: Record<string, unknown>,
  fields: string[],
  doc: string,
): Record<string, string> {
  const missing = fields.filter((f) => input[f] === undefined)
  if (missing.length > 0) {
    const names = missing.map((f) => `"${f}"`).join(', ')
    throw unprocessable(
      `Invalid request.\n\n${names} ${missing.length === 1 ? "wasn't" : "weren't"} supplied.`,
      doc,
    )
  }
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = input[f]
    if (typeof v !== 'string')
      throw unprocessable(
        `Invalid request.\n\nFor 'properties/${f}', ${JSON.stringify(v)} is not a string.`,
        doc,
      )
    out[f] = v
  }
  return out
}

/** 422 "Validation Failed" with GitHub's errors[] entries. */
export function validationFailed(
  doc: string,
  errors: Array<{ resource: string; code: string; field?: string; message?: string }>,
): ApiError {
  return new ApiError(422, {
    message: 'Validation Failed',
    errors,
    documentation_url: doc,
    status: '422',
  })
}

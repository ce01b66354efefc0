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

/** 422 "Validation Failed" with GitHub's errors[] entries. */
export function validationFailed(
  doc: string,
  errors: Array<{ resource: string; code: string; field: string; message?: string }>,
): ApiError {
  return new ApiError(422, {
    message: 'Validation Failed',
    errors,
    documentation_url: doc,
    status: '422',
  })
}

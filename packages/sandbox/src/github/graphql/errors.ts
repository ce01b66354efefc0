// Errors a resolver raises, answered in errors[] the way GitHub shapes them: a top-level `type`
// (NOT_FOUND, FORBIDDEN, STALE_DATA, UNPROCESSABLE, INSUFFICIENT_SCOPES) beside message, path
// and locations, with the field's data null.

export type GraphqlErrorType =
  'NOT_FOUND' | 'FORBIDDEN' | 'STALE_DATA' | 'UNPROCESSABLE' | 'INSUFFICIENT_SCOPES'

export class GraphqlFieldError extends Error {
  constructor(
    readonly type: GraphqlErrorType,
    message: string,
  ) {
    super(message)
  }
}

/** A field outside the subset the sandbox executes: an error, never a silent null. */
export class NotModelledError extends Error {
  constructor(typeName: string, fieldName: string) {
    super(`${typeName}.${fieldName} is not modelled by the sandbox`)
  }
}

/** GitHub's "Could not resolve to a Repository with the name 'o/r'." (verified wording). */
export const repositoryNotFound = (fullName: string): GraphqlFieldError =>
  new GraphqlFieldError(
    'NOT_FOUND',
    `Could not resolve to a Repository with the name '${fullName}'.`,
  )

/**
 * Errors are split the way codeql-action splits them: a UserError is something the person running
 * the workflow can fix (an input, a permission, a policy); anything else is a bug in this project.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UserError'
  }
}

/** An input that is missing or malformed. Raised before any side effect happens. */
export class InputError extends UserError {
  readonly input: string

  constructor(input: string, problem: string, example?: string) {
    super(`Input '${input}' ${problem}${example ? `. Example: ${input}: ${example}` : ''}`)
    this.name = 'InputError'
    this.input = input
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

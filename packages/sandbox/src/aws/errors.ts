// AWS error answers: awsJson1_1 for SSM ({"__type": code, "message": ...}, HTTP 400 or 500) and the
// awsQuery ErrorResponse XML for STS.

export class AwsError extends Error {
  constructor(
    readonly code: string,
    /** undefined: the body carries no message at all (as SSM's TooManyUpdates). */
    readonly detail: string | undefined,
    readonly status = 400,
    /** STS's <Type>: Sender or Receiver. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(detail ?? code)
    this.name = code
  }
}

export const xmlEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')

export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

export function jsonErrorBody(err: AwsError): string {
  return JSON.stringify(
    err.detail === undefined ? { __type: err.code } : { __type: err.code, message: err.detail },
  )
}

export function xmlErrorBody(err: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NS}">\n` +
    `  <Error>\n` +
    `    <Type>${err.fault}</Type>\n` +
    `    <Code>${xmlEscape(err.code)}</Code>\n` +
    (err.detail !== undefined ? `    <Message>${xmlEscape(err.detail)}</Message>\n` : '') +
    `  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  )
}

/** "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ..." */
export function validation(
  code: 'ValidationException' | 'ValidationError',
  field: string,
  value: string | undefined,
  constraint: string,
): AwsError {
  const shown = value === undefined ? 'Value' : `Value '${value}'`
  return new AwsError(
    code,
    `1 validation error detected: ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  )
}

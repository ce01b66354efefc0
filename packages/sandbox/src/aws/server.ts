// The AWS double's loopback server: one endpoint for SSM (awsJson1_1, x-amz-target AmazonSSM.<Op>)
// and STS (awsQuery, form-encoded Action=...). Every request is recorded, SigV4-verified against
// the secret of its access key id, then offered to the fault queue, then answered.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AwsError, jsonErrorBody, xmlErrorBody } from './errors.js'
import { Iam, requestId, type CredentialRecord } from './iam.js'
import { parseAuthorization, verifySignature } from './sigv4.js'
import { Ssm } from './ssm.js'
import { Sts } from './sts.js'
import type {
  AwsFault,
  AwsRecordedRequest,
  AwsSandbox,
  AwsSandboxOptions,
  AwsService,
} from './types.js'
import { Delays, doubleControls, readRequest, sendWhole, serveOnLoopback } from '../serve.js'

const SSM_JSON = 'application/x-amz-json-1.1'

class AwsFaultQueue {
  private queue: Array<{ fault: AwsFault; remaining: number }> = []

  add(fault: AwsFault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1)
      throw new Error('injectFault: times must be a positive integer')
    if (fault.type === 'delay' && !(fault.ms >= 0)) throw new Error('injectFault: delay needs ms')
    this.queue.push({ fault, remaining: times })
  }

  clear(): void {
    this.queue = []
  }

  take(operation: string, accountId: string | undefined): AwsFault | undefined {
    const i = this.queue.findIndex(
      ({ fault }) =>
        (fault.operation === undefined || fault.operation === operation) &&
        (fault.accountId === undefined || fault.accountId === accountId),
    )
    if (i < 0) return undefined
    const entry = this.queue[i]!
    entry.remaining -= 1
    if (entry.remaining === 0) this.queue.splice(i, 1)
    return entry.fault
  }
}

interface Answer {
  status: number
  body: string
  contentType: string
  /** Extra headers, e.g. a Location on a redirect. */
  headers?: Record<string, string>
}

export async function startAwsSandbox(opts: AwsSandboxOptions = {}): Promise<AwsSandbox> {
  const iam = new Iam()
  const ssm = new Ssm(iam, opts.standardParameterLimit ?? 10000, opts.typeChange ?? 'refuse')
  const sts = new Sts(iam)
  const faults = new AwsFaultQueue()
  const requests: AwsRecordedRequest[] = []

  const delays = new Delays()
  const sleep = delays.sleep

  function errorAnswer(service: AwsService | undefined, err: AwsError, id: string): Answer {
    return service === 'sts'
      ? { status: err.status, body: xmlErrorBody(err, id), contentType: 'text/xml' }
      : { status: err.status, body: jsonErrorBody(err), contentType: SSM_JSON }
  }

  /** The caller, or the error AWS gives for this service. */
  async function authenticate(
    service: AwsService | undefined,
    req: { method: string; path: string; headers: Record<string, string>; body: Buffer },
  ): Promise<CredentialRecord | AwsError> {
    const sts = service === 'sts'
    const header = req.headers['authorization']
    if (!header)
      return sts
        ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token')
    const auth = parseAuthorization(header)
    if (!auth)
      return new AwsError(
        sts ? 'IncompleteSignature' : 'IncompleteSignatureException',
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
      )
    const invalidToken = () =>
      sts
        ? new AwsError(
            'InvalidClientTokenId',
            'The security token included in the request is invalid.',
            403,
          )
        : new AwsError(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          )
    const cred = iam.credential(auth.accessKeyId)
    if (!cred) return invalidToken()
    if ((req.headers['x-amz-security-token'] ?? undefined) !== cred.sessionToken)
      return invalidToken()
    const verdict = await verifySignature(auth, cred.secretAccessKey, req)
    if (!verdict.ok) {
      const message =
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
      return sts
        ? new AwsError('SignatureDoesNotMatch', message, 403)
        : new AwsError('InvalidSignatureException', message)
    }
    if (cred.expiration && cred.expiration.getTime() <= Date.now())
      return sts
        ? new AwsError('ExpiredToken', 'The security token included in the request is expired')
        : new AwsError(
            'ExpiredTokenException',
            'The security token included in the request is expired',
          )
    return cred
  }

  function faultAnswer(
    service: AwsService | undefined,
    fault: Exclude<AwsFault, { type: 'delay' } | { type: 'reset' }>,
    id: string,
  ): Answer {
    switch (fault.type) {
      case 'throttling':
        return errorAnswer(
          service,
          new AwsError(service === 'sts' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded'),
          id,
        )
      case 'too-many-updates':
        // SSM sends no message at all: the body is exactly {"__type":"TooManyUpdates"}.
        return service === 'sts'
          ? errorAnswer(service, new AwsError('Throttling', 'Rate exceeded'), id)
          : errorAnswer(service, new AwsError('TooManyUpdates', undefined), id)
      case 'body':
        return {
          status: fault.status ?? 200,
          body: fault.body,
          contentType: fault.contentType ?? (service === 'sts' ? 'text/xml' : SSM_JSON),
          headers: fault.headers,
        }
      case 'internal':
        return errorAnswer(
          service,
          service === 'sts'
            ? new AwsError('InternalFailure', 'An internal error has occurred.', 500)
            : new AwsError('InternalServerError', 'An error occurred on the server side.', 500),
          id,
        )
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, headers, body: raw } = await readRequest(req)
    const record: AwsRecordedRequest = {
      method,
      path,
      headers,
      body: raw.toString('utf8'),
      status: 0,
      service: undefined,
      operation: '',
      accountId: undefined,
    }
    requests.push(record)
    const id = requestId()

    // Which service: the credential scope says; else the target header or the form's Action.
    const scope = parseAuthorization(headers['authorization'])?.service
    const target = headers['x-amz-target']
    const form = new URLSearchParams(new URL(path, 'http://x').search)
    const contentType = headers['content-type'] ?? ''
    if (contentType.startsWith('application/x-www-form-urlencoded'))
      for (const [k, v] of new URLSearchParams(record.body)) form.append(k, v)
    let service: AwsService | undefined =
      scope === 'ssm' || scope === 'sts'
        ? scope
        : target?.startsWith('AmazonSSM.')
          ? 'ssm'
          : form.has('Action')
            ? 'sts'
            : undefined
    if (scope !== undefined && scope !== 'ssm' && scope !== 'sts') service = undefined
    record.service = service
    record.operation =
      service === 'ssm'
        ? target?.startsWith('AmazonSSM.')
          ? target.slice('AmazonSSM.'.length)
          : ''
        : service === 'sts'
          ? (form.get('Action') ?? '')
          : ''

    const send = (a: Answer) => {
      const headers = { ...a.headers, 'x-amzn-requestid': id, 'content-type': a.contentType }
      sendWhole(res, record, a.status, { ...headers, date: new Date().toUTCString() }, a.body)
    }

    if (!service) {
      send({
        status: 400,
        body: JSON.stringify({ __type: 'UnknownOperationException' }),
        contentType: SSM_JSON,
      })
      return
    }

    const who = await authenticate(service, { method, path, headers, body: raw })
    const cred = who instanceof AwsError ? undefined : who
    record.accountId = cred?.principal.accountId

    const fault = faults.take(record.operation, record.accountId)
    if (fault) {
      if (fault.type === 'reset') {
        req.socket.destroy()
        return
      }
      if (fault.type === 'delay') await sleep(fault.ms)
      else {
        send(faultAnswer(service, fault, id))
        return
      }
    }
    if (res.destroyed) return
    if (!cred) {
      send(errorAnswer(service, who as AwsError, id))
      return
    }
    const region = parseAuthorization(headers['authorization'])!.region

    try {
      if (service === 'sts') {
        if (method !== 'POST' && method !== 'GET')
          throw new AwsError('InvalidAction', `Could not find operation for method ${method}`)
        send({
          status: 200,
          body: sts.handle(record.operation, form, cred, id),
          contentType: 'text/xml',
        })
        return
      }
      if (method !== 'POST' || !target?.startsWith('AmazonSSM.'))
        throw new AwsError('UnknownOperationException', undefined)
      let input: unknown
      try {
        input = record.body === '' ? {} : JSON.parse(record.body)
      } catch {
        throw new AwsError(
          'SerializationException',
          'Start of structure or map found where not expected.',
        )
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input))
        throw new AwsError('SerializationException', undefined)
      const out = ssm.handle(record.operation, input as Record<string, unknown>, {
        cred,
        accountId: cred.principal.accountId,
        region,
      })
      send({ status: 200, body: JSON.stringify(out), contentType: SSM_JSON })
    } catch (err) {
      if (err instanceof AwsError) {
        send(errorAnswer(service, err, id))
        return
      }
      // A bug in the double: say so loudly (never with the request body: it holds values).
      console.error(`aws sandbox: internal error in ${service}:${record.operation}`, err)
      send(
        errorAnswer(
          service,
          new AwsError(
            service === 'sts' ? 'InternalFailure' : 'InternalServerError',
            String(err),
            500,
          ),
          id,
        ),
      )
    }
  }

  const served = await serveOnLoopback({
    name: 'aws sandbox',
    host: opts.host,
    handle,
    delays,
  })
  const url = served.url

  return {
    url,
    requests,
    stop: () => served.stop(),
    addAccount(accountId, o = {}) {
      const account = iam.ensureAccount(accountId)
      for (const k of o.kmsKeys ?? []) if (!account.kmsKeys.includes(k)) account.kmsKeys.push(k)
    },
    addCredentials: (spec) => iam.addCredentials(spec),
    addRole: (arn, o) => iam.addRole(arn, o),
    deny: (principal, actions, resource) => iam.deny(principal, actions, resource),
    parameter: (accountId, region, name) => ssm.snapshot(accountId, region, name),
    parameters: (accountId) => ssm.all(accountId),
    ...doubleControls(requests, faults),
  }
}

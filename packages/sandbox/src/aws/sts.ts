// STS (awsQuery, 2011-06-15): AssumeRole and GetCallerIdentity, answered in STS's XML.
import { AwsError, STS_NS, validation, xmlEscape } from './errors.js'
import { principalArn, principalUserId, type CredentialRecord, type Iam } from './iam.js'

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

function envelope(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NS}">\n` +
    `  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`
  )
}

const el = (indent: number, name: string, value: string) =>
  `${' '.repeat(indent)}<${name}>${xmlEscape(value)}</${name}>\n`

export class Sts {
  constructor(private readonly iam: Iam) {}

  handle(
    action: string,
    params: URLSearchParams,
    cred: CredentialRecord,
    requestId: string,
  ): string {
    switch (action) {
      case 'GetCallerIdentity':
        return this.getCallerIdentity(cred, requestId)
      case 'AssumeRole':
        return this.assumeRole(params, cred, requestId)
      default:
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
        )
    }
  }

  private getCallerIdentity(cred: CredentialRecord, requestId: string): string {
    const p = cred.principal
    return envelope(
      'GetCallerIdentity',
      el(4, 'Arn', principalArn(p)) +
        el(4, 'UserId', principalUserId(p)) +
        el(4, 'Account', p.accountId),
      requestId,
    )
  }

  private assumeRole(params: URLSearchParams, cred: CredentialRecord, requestId: string): string {
    const roleArn = params.get('RoleArn')
    const session = params.get('RoleSessionName')
    if (roleArn === null)
      throw validation('ValidationError', 'roleArn', undefined, 'Member must not be null')
    if (session === null)
      throw validation('ValidationError', 'roleSessionName', undefined, 'Member must not be null')
    if (roleArn.length < 20)
      throw validation(
        'ValidationError',
        'roleArn',
        roleArn,
        'Member must have length greater than or equal to 20',
      )
    if (session.length < 2 || session.length > 64)
      throw validation(
        'ValidationError',
        'roleSessionName',
        session,
        session.length < 2
          ? 'Member must have length greater than or equal to 2'
          : 'Member must have length less than or equal to 64',
      )
    if (!/^[\w+=,.@-]*$/.test(session))
      throw validation(
        'ValidationError',
        'roleSessionName',
        session,
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
      )
    const rawDuration = params.get('DurationSeconds')
    const duration = rawDuration === null ? 3600 : Number(rawDuration)
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
      throw validation(
        'ValidationError',
        'durationSeconds',
        rawDuration ?? '',
        duration < 900
          ? 'Member must have value greater than or equal to 900'
          : 'Member must have value less than or equal to 43200',
      )
    const caller = principalArn(cred.principal)
    const refused = (why: string) =>
      new AwsError(
        'AccessDenied',
        `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}${why}`,
        403,
      )
    if (this.iam.denied(cred, 'sts:AssumeRole', roleArn))
      throw refused(' because no identity-based policy allows the sts:AssumeRole action')
    const role = this.iam.role(roleArn)
    // A missing role and a trust policy that does not name the caller look the same to it.
    if (!role || (role.trust !== undefined && !role.trust.includes(cred.principal.accountId)))
      throw refused('')
    const chained = cred.principal.kind === 'assumed-role' && cred.principal.viaAssumeRole
    if (chained && duration > 3600)
      throw new AwsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      )
    if (duration > role.maxSessionDuration)
      throw new AwsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      )
    const issued = this.iam.issueRoleCredentials(role, session, duration)
    const p = issued.principal
    return envelope(
      'AssumeRole',
      `    <AssumedRoleUser>\n` +
        el(6, 'AssumedRoleId', principalUserId(p)) +
        el(6, 'Arn', principalArn(p)) +
        `    </AssumedRoleUser>\n` +
        `    <Credentials>\n` +
        el(6, 'AccessKeyId', issued.accessKeyId) +
        el(6, 'SecretAccessKey', issued.secretAccessKey) +
        el(6, 'SessionToken', issued.sessionToken!) +
        el(6, 'Expiration', isoSeconds(issued.expiration!)) +
        `    </Credentials>\n`,
      requestId,
    )
  }
}

// Public shapes of the AWS double: SSM Parameter Store (awsJson1_1) and STS (awsQuery) behind one
// loopback endpoint, with SigV4 verified on every request.
import type { RecordedRequest } from '../github/types.js'

export type AwsService = 'ssm' | 'sts'

export interface AwsRecordedRequest extends RecordedRequest {
  /** From the SigV4 credential scope, else from x-amz-target / the form body; undefined if neither. */
  service: AwsService | undefined
  /** e.g. 'PutParameter', 'AssumeRole'; '' when the request named none. */
  operation: string
  /** The authenticated caller's account; undefined when authentication failed. */
  accountId: string | undefined
}

export type ParameterType = 'String' | 'StringList' | 'SecureString'
export type ParameterTier = 'Standard' | 'Advanced'

export interface ParameterPolicy {
  PolicyText: string
  PolicyType: string
  PolicyStatus: string
}

/** One version of a parameter, as GetParameterHistory reports it. */
export interface ParameterVersion {
  version: number
  value: string
  type: ParameterType
  /** SecureString only: the key as the request named it (default 'alias/aws/ssm'). */
  keyId: string | undefined
  description: string | undefined
  tier: ParameterTier
  policies: ParameterPolicy[]
  allowedPattern: string | undefined
  dataType: string
  lastModifiedDate: Date
  /** ARN of the caller that wrote this version. */
  lastModifiedUser: string
  labels: string[]
}

export interface StoredParameter {
  accountId: string
  region: string
  /** As first created ('/argocd/github/api_key', or 'x' for a single-level name). */
  name: string
  arn: string
  value: string
  type: ParameterType
  keyId: string | undefined
  version: number
  tier: ParameterTier
  description: string | undefined
  tags: Record<string, string>
  policies: ParameterPolicy[]
  allowedPattern: string | undefined
  dataType: string
  lastModifiedDate: Date
  lastModifiedUser: string
  /** Oldest first; the last 100 versions, the current one included. */
  history: ParameterVersion[]
}

export interface AwsCredentialSpec {
  /** 12 digits. The account is created if it was not added. */
  accountId: string
  /**
   * Who the keys belong to: 'user/<name>' (default 'user/sandbox'), a bare '<name>' (a user),
   * 'role/<name>[/<session>]' (as if from configure-aws-credentials; session default
   * 'GitHubActions'), or 'root'.
   */
  principal?: string
  /** Default: 'AKIA…' (or 'ASIA…' with a session token) + 16 random characters. */
  accessKeyId?: string
  /** Default: 40 random characters. */
  secretAccessKey?: string
  /** When set, every request must carry it as x-amz-security-token. */
  sessionToken?: string
  /** Requests after this instant fail with ExpiredToken(Exception). */
  expiration?: Date
}

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface AwsRoleOptions {
  /** Account ids allowed to assume the role; default: any account. */
  trust?: string[]
  /** Seconds, 3600 (default) to 43200. */
  maxSessionDuration?: number
}

export interface AwsAccountOptions {
  /**
   * Customer-managed KMS keys usable as PutParameter's KeyId: key ids, 'alias/<name>', or key/alias
   * ARNs. 'alias/aws/ssm' always exists.
   */
  kmsKeys?: string[]
}

export interface AwsFaultMatch {
  /** e.g. 'PutParameter' or 'AssumeRole'; any operation when absent. */
  operation?: string
  /** Only requests authenticated as this account; any request when absent. */
  accountId?: string
  /** How many matching requests consume this fault; default 1. */
  times?: number
}

export type AwsFault = AwsFaultMatch &
  (
    | { type: 'throttling' }
    | { type: 'too-many-updates' }
    | { type: 'internal' }
    | { type: 'delay'; ms: number }
    | { type: 'reset' }
    /** Any answer, e.g. an HTML page from a proxy, `null`, or a body of the wrong shape. */
    | {
        type: 'body'
        status?: number
        contentType?: string
        body: string
        /** Extra headers, e.g. `location` for a redirect. */
        headers?: Record<string, string>
      }
  )

export interface AwsSandboxOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
  /** Standard-tier parameters per account and region before ParameterLimitExceeded; default 10000. */
  standardParameterLimit?: number
  /**
   * PutParameter with Overwrite and another Type (String → SecureString): 'refuse' (default) answers
   * HierarchyTypeMismatchException, as the API reference documents; 'allow' changes the type, as
   * Terraform's in-place type updates observe against real accounts.
   */
  typeChange?: 'refuse' | 'allow'
}

export interface AwsSandbox {
  /** e.g. http://127.0.0.1:54321 — the endpoint for both SSMClient and STSClient. */
  readonly url: string
  /** Closes the server and every open socket. */
  stop(): Promise<void>
  addAccount(accountId: string, opts?: AwsAccountOptions): void
  addCredentials(spec: AwsCredentialSpec): AwsCredentials
  /** roleArn: arn:aws:iam::<account>:role/[path/]<name>. */
  addRole(roleArn: string, opts?: AwsRoleOptions): void
  /**
   * Refuse actions ('ssm:PutParameter', 'ssm:*', 'kms:Decrypt', 'sts:AssumeRole', '*') to a principal:
   * an account id, an ARN (a role ARN covers its sessions), 'role/<name>', 'user/<name>', or an
   * access key id. resource: an ARN glob ('*' matches anything), default every resource.
   */
  deny(principalOrAccount: string, actions: string[], resource?: string): void
  /** A snapshot; name with or without its leading slash. */
  parameter(accountId: string, region: string, name: string): StoredParameter | undefined
  parameters(accountId?: string): StoredParameter[]
  /** Every request received, faulted ones included. */
  readonly requests: AwsRecordedRequest[]
  clearRequests(): void
  /** Queued; each request consumes the first fault that matches it. */
  injectFault(f: AwsFault): void
  clearFaults(): void
}

import { UserError } from '@argocd-actions/core'
import type { AwsClients, Credentials, SsmApi } from './aws.js'
import type { Target } from './inputs.js'
import { checkArnLength, parameterArn } from './ssm-name.js'

export interface TargetSession {
  /** The account the credentials belong to (GetCallerIdentity). */
  account: string
  arn: string
  ssm: SsmApi
}

/**
 * Credentials for one target (the job's own, or its role assumed with STS), proven to belong to
 * the expected account before SSM is touched: a prod token never lands in (or is read from) the
 * wrong account. `retried` wraps each call (publish retries what the SDK does not).
 */
export async function openTarget(
  clients: AwsClients,
  target: Target,
  sessionName: string,
  retried: <T>(what: string, call: () => Promise<T>) => Promise<T>,
  /** What the refusal of another account's credentials means: 'nothing was written'. */
  consequence: string,
): Promise<TargetSession> {
  let credentials: Credentials | undefined
  if (target.roleArn) {
    const sts = await clients.sts(target.region)
    credentials = await retried(`AssumeRole ${target.roleArn}`, () =>
      sts.assumeRole(target.roleArn!, sessionName),
    )
  }
  const sts = await clients.sts(target.region, credentials)
  const identity = await retried('GetCallerIdentity', () => sts.callerIdentity())
  if (target.accountId && identity.account !== target.accountId) {
    throw new UserError(
      `the credentials belong to account ${identity.account} (${identity.arn}), not ${target.accountId}: ${consequence}.`,
    )
  }
  checkArnLength(target.region, identity.account, target.name)
  return {
    account: identity.account,
    arn: parameterArn(target.region, identity.account, target.name),
    ssm: await clients.ssm(target.region, credentials),
  }
}

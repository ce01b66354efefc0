import {
  leaks,
  runBundle,
  startAwsSandbox,
  startGitHubSandbox,
  type AwsSandbox,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

/**
 * publish-ssm-token validates before it stores: when the validation cannot read an answer, the
 * verdict is "cannot verify" and nothing is written (issue 11). The token is the demo's
 * over-scoped prod webhook token, whose excess only the contents probe shows.
 */
const REGION = 'us-east-2'
const CORE_AUTO = '111111111111'
const PROD = 'acme/argocd-deploy-prod'
const NAME = '/argocd/terraform-webhooks/prod'

let aws: AwsSandbox
let gh: GitHubSandbox
let creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

beforeAll(async () => {
  aws = await startAwsSandbox()
  aws.addAccount(CORE_AUTO, { kmsKeys: ['alias/argocd-tokens'] })
  creds = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(PROD)
  gh.addCommit(PROD, { branch: 'main' })
})
afterAll(async () => {
  await aws.stop()
  await gh.stop()
})

test('a 500 on the contents probe: publish refuses and writes nothing', async () => {
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [PROD],
    permissions: { repository_hooks: 'write', contents: 'write' },
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })
  gh.injectFault({
    type: 'status',
    status: 500,
    method: 'GET',
    path: /^\/repos\/acme\/argocd-deploy-prod\/contents\/?$/,
    times: 10,
  })
  const r = await runBundle(
    'publish-ssm-token',
    {
      token,
      name: NAME,
      profile: 'argocd-webhooks',
      repositories: `{ deploy: ${PROD} }`,
    },
    {
      env: {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: aws.url,
        GITHUB_API_URL: gh.url,
      },
    },
  )
  expect(r.code).toBe(1)
  const text = r.errors.join('\n')
  expect(text).toContain('Refusing to store the token')
  expect(text).toContain('cannot be verified')
  expect(text).toContain('GET /repos/acme/argocd-deploy-prod/contents/ answered 500')
  expect(text).toContain('Nothing was written')
  expect(text).not.toMatch(/a bug/i)
  expect(aws.requests).toEqual([])
  expect(aws.parameter(CORE_AUTO, REGION, NAME)).toBeUndefined()
  expect(leaks(r, token)).toEqual([])
})

import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import {
  repoRoot,
  runBundle,
  startAwsSandbox,
  startGitHubSandbox,
  type AwsSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

/**
 * Issue 11, hostile inputs: every input of every action (read from its action.yml, so a new input
 * is covered the day it is added) is given values an attacker or a copy-paste accident would
 * give: tokens of every kind, control characters, workflow-command injection, unicode, 10 KB.
 * Each cell either is refused with one error naming the input and nothing written (no status,
 * no push, no SSM write), or, where the table says the input takes such text, succeeds; in
 * every cell no piece of any token is printed or stored and no workflow command is injected.
 */

const ORG = 'acme'
const DEPLOY = `${ORG}/argocd-deploy-non-prod`
const INFRA = `${ORG}/infra-repo`
const APP = `${ORG}/web-app`
const REGION = 'us-east-2'
const ACCOUNT = '111111111111'
const DAY = 86_400_000

// A fine-grained token (93 characters) that is no input's token: it must never be printed.
const CANARY = `github_pat_11CANARY0${'Qm7xZp3L'.repeat(10)}Wq`.slice(0, 93)
// One of each other kind, given in turn to the inputs.
const OTHER_TOKENS = [
  `ghp_${'Tk9rQ2'.repeat(6)}`,
  `gho_${'Tk9rQ2'.repeat(6)}`,
  `ghu_${'Tk9rQ2'.repeat(6)}`,
  `ghs_98765_${'eyJhbGci'.repeat(8)}.${'Tk9rQ2'.repeat(10)}`,
  `ghr_${'Tk9rQ2'.repeat(6)}`,
  `glpat-${'Tk9rQ2'.repeat(4)}`,
  `ATCTT3xFfGF0${'Tk9rQ2'.repeat(30)}`,
  `ATATT3xFfGF0${'Tk9rQ2'.repeat(30)}`,
  `ATBB${'Tk9rQ2'.repeat(6)}`,
  // An Argo CD project role's token: a JWT, recognised by its shape, not a prefix.
  [
    { alg: 'HS256', typ: 'JWT' },
    { iss: 'argocd', sub: 'proj:hostile:ci', jti: 'Tk9rQ2' },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('Tk9rQ2'.repeat(7))
    .join('.'),
]
// Every control character refuseHostileInputs names, given in turn to the inputs.
const CONTROLS = ['\u001b[31m', '\u0001', '\u007f', '\u009b2J', '\u202e', '\u2067']
const INJECTION = 'x\n::error::INJECTED\n::add-mask::INJECTED\n::set-output name=valid::INJECTED'

type Kind =
  | 'canary token'
  | 'own token'
  | 'other token'
  | 'control character'
  | 'command injection'
  | 'escaped in YAML'
  | 'unicode'
  | '10 KB'

const KINDS: Record<Kind, (i: number, own: string) => string> = {
  // Pasted alone (the commonest accident) or inside other text.
  'canary token': (i) => (i % 2 ? CANARY : `${ORG}/${CANARY}`),
  'own token': (_, own) => own,
  'other token': (i) => OTHER_TOKENS[i % OTHER_TOKENS.length],
  'control character': (i) => `ci${CONTROLS[i % CONTROLS.length]}x`,
  'command injection': () => INJECTION,
  // One line as given, but a YAML parser turns the escapes into line breaks and an ESC.
  'escaped in YAML': () =>
    '{ "k\\n::error::INJECTED\\e[2J": "v\\n::error::INJECTED", "deploy\\n::warning::INJECTED": acme/x }',
  unicode: () => 'аcme-🚀-部署', // the first letter is Cyrillic
  '10 KB': () => 'x'.repeat(10_240),
}

/**
 * Where an input takes such a value and the action succeeds, by design. Everything else must be
 * refused: a new input is refused-by-default until someone decides it takes free text.
 */
const ACCEPTS: Record<string, Record<string, Kind[]>> = {
  // The report's title: any language, one line, at most 1024 characters.
  'validate-pat-scopes': { name: ['unicode', 'escaped in YAML'] },
  // Stored as the parameter's description (SSM allows any text up to 1024 characters).
  'publish-ssm-token': { description: ['unicode', 'command injection', 'escaped in YAML'] },
  'sync-argocd-deploy-repo': {
    // People's names; git takes any length.
    'author-name': ['unicode', '10 KB', 'escaped in YAML'],
    // A commit message: many lines, any language, any length.
    'commit-message': ['unicode', 'command injection', '10 KB'],
  },
  'set-commit-status': {
    context: ['unicode', 'escaped in YAML'],
    // Shortened to GitHub's 140 characters, with a warning.
    description: ['unicode', 'command injection', 'escaped in YAML', '10 KB'],
  },
}

interface Action {
  name: string
  /** Valid inputs that make the action write (or pass); `input` is the one under test. */
  base: (input: string) => Record<string, string>
  env?: () => Record<string, string>
  /** Writes seen by the sandboxes: statuses, pushes, pull requests, SSM parameters. */
  writes: () => number
}

let gh: GitHubSandbox
let aws: AwsSandbox
let workspace: string
let release: string
let statusToken: string
let awsEnv: Record<string, string>
let sha: string

const ghWrites = () =>
  gh.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/git-upload-pack')).length
const awsWrites = () =>
  aws.requests.filter((r) => !/^(Get|Describe|List)|AssumeRole/.test(r.operation)).length

const ACTIONS: Action[] = [
  {
    name: 'validate-pat-scopes',
    base: () => ({
      token: release,
      profile: 'argocd-release',
      repositories: `{ deploy: ${DEPLOY}, infra: ${INFRA} }`,
      'api-url': gh.url,
    }),
    writes: ghWrites,
  },
  {
    name: 'publish-ssm-token',
    base: (input) => ({
      token: release,
      ...(input === 'targets'
        ? { targets: `[{ account-id: "${ACCOUNT}", region: ${REGION}, name: /hostile/t }]` }
        : { name: '/hostile/p' }),
      ...(['profile', 'requirements', 'repositories', 'organization', 'api-url'].includes(input) ||
      input === 'expiration-notice-days'
        ? {
            profile: 'argocd-release',
            repositories: `{ deploy: ${DEPLOY}, infra: ${INFRA} }`,
            'api-url': gh.url,
          }
        : {}),
      ...(input === 'requirements' ? { profile: '' } : {}),
    }),
    env: () => awsEnv,
    writes: () => awsWrites() + ghWrites(),
  },
  {
    name: 'sync-argocd-deploy-repo',
    base: (input): Record<string, string> => {
      const where: Record<string, string> = [
        'environment',
        'infra-repository',
        'infra-file',
      ].includes(input)
        ? { environment: 'dev', 'infra-repository': INFRA }
        : input === 'target'
          ? {}
          : { repository: DEPLOY, path: 'plat/use2-dev/apps' }
      const what: Record<string, string> = ['image', 'tag', 'update'].includes(input)
        ? {
            image: 'ghcr.io/acme/web-app',
            tag: 'v2.0.0',
            update: 'helm-values:values.yaml:image.tag',
          }
        : { manifests: 'rendered' }
      return {
        token: release,
        ...where,
        namespace: 'web',
        application: 'web-app',
        ...what,
        'app-repository': APP,
        'app-commit': 'c0ffee'.padEnd(40, '0'),
        'git-url': gh.url,
        'github-api-url': gh.url,
      }
    },
    env: () => ({ GITHUB_WORKSPACE: workspace }),
    writes: ghWrites,
  },
  {
    name: 'set-commit-status',
    base: (input) => ({
      token: statusToken,
      repository: APP,
      sha,
      'github-api-url': gh.url,
      context: 'ci/hostile',
      // The inputs only mode 'wait' reads (in mode 'set' they are not read at all).
      ...([
        'expected-state',
        'timeout-seconds',
        'interval-seconds',
        'created-after',
        'expected-target-url',
      ].includes(input)
        ? { mode: 'wait', 'timeout-seconds': '2', 'interval-seconds': '1' }
        : { state: 'success' }),
    }),
    writes: ghWrites,
  },
]

interface Cell {
  action: Action
  input: string
  kind: Kind | 'impossible date'
  value: string
  accepted: boolean
}

function inputsOf(action: string): { inputs: string[]; outputs: string[] } {
  const yml = parse(readFileSync(path.join(repoRoot, 'actions', action, 'action.yml'), 'utf8'))
  return { inputs: Object.keys(yml.inputs ?? {}), outputs: Object.keys(yml.outputs ?? {}) }
}

// The token inputs (runAction's tokenInputs): each takes a token by design.
const TOKEN_INPUTS = ['token', 'argocd-token']
const cells: Cell[] = []
for (const action of ACTIONS) {
  const inputs = inputsOf(action.name).inputs.filter((n) => !TOKEN_INPUTS.includes(n))
  inputs.forEach((input, i) => {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const accepted = ACCEPTS[action.name][input]?.includes(kind) ?? false
      cells.push({ action, input, kind, value: `${i}`, accepted })
    }
  })
}
const statusAction = ACTIONS.find((a) => a.name === 'set-commit-status')!
for (const date of ['2026-02-30', '2026-02-30T10:00:00Z', '2026-13-01', '2026-04-31T00:00:00Z'])
  cells.push({
    action: statusAction,
    input: 'created-after',
    kind: 'impossible date',
    value: date,
    accepted: false,
  })

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg(ORG)
  gh.addRepo(DEPLOY, {
    git: true,
    files: {
      // An app directory (it holds the layout's config.yaml): only such a directory is replaced.
      'plat/use2-dev/apps/web/web-app/config.yaml': 'app_repository: acme/web-app\n',
      'plat/use2-dev/apps/web/web-app/values.yaml':
        'image:\n  repository: ghcr.io/acme/web-app\n  tag: v1.0.0\n',
    },
  })
  gh.addRepo(INFRA, {
    git: true,
    files: {
      '.github/environments/argocd.yml':
        'environments:\n  dev:\n    repository: acme/argocd-deploy-non-prod\n    cluster: plat/use2-dev\n',
    },
  })
  gh.addRepo(APP)
  sha = gh.addCommit(APP, { branch: 'main' })
  release = gh.addToken({
    kind: 'fine-grained',
    owner: ORG,
    repositories: [DEPLOY, INFRA],
    permissions: { contents: 'write' },
    expiresAt: new Date(Date.now() + 90 * DAY),
  })
  statusToken = gh.addToken({ kind: 'classic', scopes: ['repo'] })
  aws = await startAwsSandbox()
  aws.addAccount(ACCOUNT)
  const creds = aws.addCredentials({ accountId: ACCOUNT, principal: 'role/github-actions' })
  awsEnv = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: aws.url,
  }
  workspace = await mkdtemp(path.join(tmpdir(), 'hostile-ws-'))
  await mkdir(path.join(workspace, 'rendered'))
  await writeFile(
    path.join(workspace, 'rendered', 'resources.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-app\n',
  )
})
afterAll(async () => {
  await gh?.stop()
  await aws?.stop()
  if (workspace) await rm(workspace, { recursive: true, force: true })
})

/** Every 12-character run of a secret found in what a run printed or left behind. */
function fragments(run: BundleRun, secret: string): string[] {
  const places = [
    run.printed,
    run.stderr,
    run.outputFile,
    run.summary,
    ...Object.values(run.tempFiles),
  ].join('\n')
  const found = new Set<string>()
  for (let i = 0; i + 12 <= secret.length; i++) {
    const w = secret.slice(i, i + 12)
    if (places.includes(w)) found.add(w)
  }
  return [...found]
}

async function runCell(cell: Cell) {
  const base = cell.action.base(cell.input)
  const own = base.token
  const value =
    cell.kind === 'impossible date' ? cell.value : KINDS[cell.kind](Number(cell.value), own)
  gh.clearRequests()
  gh.clearFaults()
  aws.clearRequests()
  const run = await runBundle(
    cell.action.name,
    { ...base, [cell.input]: value },
    { env: cell.action.env?.() ?? {}, timeoutMs: 60_000 },
  )
  return { run, value, own, writes: cell.action.writes(), requests: gh.requests.length }
}

/** Refused cells where a request is right: a unicode branch name exists until GitHub says not. */
const ASKS_FIRST = ['set-commit-status sha: unicode']

const name = (c: Cell) =>
  `${c.action.name} ${c.input}: ${c.kind}${c.kind === 'impossible date' ? ` ${c.value}` : ''}`

test('the table covers every input of every action', () => {
  for (const action of ACTIONS) {
    const covered = new Set(cells.filter((c) => c.action === action).map((c) => c.input))
    const { inputs } = inputsOf(action.name)
    expect([...covered].sort()).toEqual(inputs.filter((n) => !TOKEN_INPUTS.includes(n)).sort())
  }
  // Printed so the size of what is proven is visible in CI logs.
  console.log(`hostile-input table: ${cells.length} cells over ${ACTIONS.length} actions`)
})

test.each(cells.map((c) => [name(c), c] as const))('%s', async (_, cell) => {
  const { run, own, writes, requests } = await runCell(cell)
  const { outputs } = inputsOf(cell.action.name)

  // Never: a piece of a token printed or stored, a workflow command injected, an output invented.
  expect(fragments(run, CANARY)).toEqual([])
  expect(fragments(run, own)).toEqual([])
  for (const t of OTHER_TOKENS) expect(fragments(run, t)).toEqual([])
  expect(run.stdout.split('\n').filter((l) => /^::[^:]*::INJECTED/.test(l))).toEqual([])
  expect(Object.keys(run.outputs).filter((k) => !outputs.includes(k))).toEqual([])
  expect(run.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.js:\d+/)

  if (cell.accepted) {
    if (run.code !== 0) throw new Error(`expected success, got: ${run.errors.join('\n')}`)
    return
  }
  expect({ code: run.code, errors: run.errors.length }).toEqual({ code: 1, errors: 1 })
  expect(run.errors[0]).toContain(`Input '${cell.input}'`)
  expect(run.errors[0]).not.toContain('a bug in argocd-actions')
  expect(writes).toBe(0)
  // Inputs are checked before any request, but for a ref, which only GitHub can resolve.
  if (!ASKS_FIRST.includes(name(cell))) expect(requests + aws.requests.length).toBe(0)
  if (['canary token', 'own token', 'other token', 'control character'].includes(cell.kind)) {
    // Refused before the action reads its inputs.
    expect(run.errors[0]).toMatch(
      /looks like a token; it was not printed|contains the token|control character/,
    )
  }
})

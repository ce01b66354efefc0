import { checkArgoCdWaitFits, parseArgoCdWaitInputs } from '../src/argocd-inputs.js'
import { readApplication } from '../src/argocd-app.js'
import {
  ArgoCdWaitError,
  pollInterval,
  waitForArgoCd,
  type ArgoCdAppClient,
} from '../src/argocd-wait.js'
import type { Lineage } from '../src/release-lineage.js'

const OURS = 'a'.repeat(40)
const OLDER = 'b'.repeat(40)

/** An Application as Argo CD answers it (the fields the wait reads, and one it ignores). */
const app = (s: {
  sync?: string
  revision?: string
  health?: string
  healthMessage?: string
  op?: { phase: string; message?: string; revision?: string }
  conditions?: Array<{ type: string; message: string }>
  resources?: unknown[]
}) => ({
  metadata: { name: 'web.app', namespace: 'argocd' },
  status: {
    sync: { status: s.sync ?? 'Synced', revision: s.revision ?? OURS },
    health: { status: s.health ?? 'Healthy', message: s.healthMessage },
    ...(s.op && {
      operationState: {
        phase: s.op.phase,
        message: s.op.message ?? '',
        operation: { sync: { revision: s.op.revision ?? OURS } },
      },
    }),
    ...(s.conditions && { conditions: s.conditions }),
    ...(s.resources && { resources: s.resources }),
    reconciledAt: '2026-12-02T10:00:00Z',
  },
})

/** A client answering from a script, one answer per GET (the last repeats), on a fake clock. */
function scripted(answers: Array<unknown>) {
  const calls: boolean[] = []
  let t = 0
  const client: ArgoCdAppClient = {
    async getApplication(refresh) {
      calls.push(refresh)
      const a = answers[Math.min(calls.length - 1, answers.length - 1)]!
      if (a instanceof Error) throw a
      if (a === NOT_FOUND) return undefined
      const read = readApplication(a)
      if (!read) throw new Error('the test gave something that is not an Application')
      return read
    },
  }
  const deps = {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
    },
    random: () => 1,
    log: (m: string) => logs.push(m),
  }
  const logs: string[] = []
  return { client, deps, calls, logs }
}
const NOT_FOUND = Symbol('not found')
const found = (body: unknown) => body
const opts = { appName: 'web.app', revision: OURS, timeoutSeconds: 60, refresh: true }

describe('waitForArgoCd', () => {
  test('Synced to our commit and Healthy: done, the first GET refreshes and the next do not', async () => {
    const s = scripted([
      found(app({ sync: 'OutOfSync', revision: OLDER })),
      found(app({ sync: 'OutOfSync', revision: OURS, health: 'Healthy' })),
      found(app({ health: 'Progressing', op: { phase: 'Running' } })),
      found(app({ op: { phase: 'Succeeded' } })),
    ])
    const r = await waitForArgoCd(s.client, opts, s.deps)
    expect(r.polls).toBe(4)
    expect(r.app.revision).toBe(OURS)
    expect(s.calls).toEqual([true, false, false, false])
    expect(s.logs.join('\n')).toMatch(/OutOfSync at bbbbbbbbbbbb \(not aaaaaaaaaaaa\)/)
  })

  test('an older revision Synced and Healthy never counts: a timeout naming what was seen', async () => {
    const s = scripted([found(app({ revision: OLDER }))])
    const e = await waitForArgoCd(s.client, opts, s.deps).catch((x) => x)
    expect(e).toBeInstanceOf(ArgoCdWaitError)
    expect(e.message).toMatch(/Timed out after 60 s .*Synced to aaaaaaaaaaaa/)
    expect(e.message).toMatch(
      /last Synced at bbbbbbbbbbbb .*never reported aaaaaaaaaaaa as the app's revision/,
    )
    // Refreshed again while the app is behind, at most every 30 s.
    expect(s.calls.filter(Boolean).length).toBe(2)
  })

  test('synced with a running operation (a PostSync hook) is not done yet', async () => {
    const s = scripted([found(app({ op: { phase: 'Running' } }))])
    await expect(waitForArgoCd(s.client, opts, s.deps)).rejects.toThrow(/operation Running/)
  })

  test('the sync of our commit failed: stops at once with Argo CD message', async () => {
    const s = scripted([
      found(
        app({
          sync: 'OutOfSync',
          health: 'Healthy',
          op: { phase: 'Failed', message: 'one or more objects failed to apply' },
        }),
      ),
    ])
    const e = await waitForArgoCd(s.client, opts, s.deps).catch((x) => x)
    expect(e.message).toBe(
      'Argo CD application web.app failed to sync aaaaaaaaaaaa (operation Failed): one or more objects failed to apply',
    )
    expect(s.calls.length).toBe(1)
  })

  test("an older commit's failed operation is the past: waited through", async () => {
    const s = scripted([
      found(app({ sync: 'OutOfSync', revision: OLDER, op: { phase: 'Failed', revision: OLDER } })),
      found(app({})),
    ])
    expect((await waitForArgoCd(s.client, opts, s.deps)).polls).toBe(2)
  })

  test('Degraded at our commit: stops, listing the resources that are not healthy', async () => {
    const s = scripted([
      found(
        app({
          health: 'Degraded',
          healthMessage: 'Deployment has timed out progressing',
          resources: [
            { kind: 'Service', namespace: 'web', name: 'app', health: { status: 'Healthy' } },
            {
              kind: 'Deployment',
              namespace: 'web',
              name: 'app',
              health: { status: 'Degraded', message: 'ProgressDeadlineExceeded' },
            },
            { kind: 'ConfigMap', namespace: 'web', name: 'cfg' },
          ],
        }),
      ),
    ])
    const e = await waitForArgoCd(s.client, opts, s.deps).catch((x) => x)
    expect(e.message).toMatch(
      /is Degraded at aaaaaaaaaaaa: Deployment has timed out progressing\. Not healthy: Deployment web\/app: Degraded \(ProgressDeadlineExceeded\)$/,
    )
    expect(e.lastSeen.unhealthy).toHaveLength(1)
  })

  test('Degraded at an older commit is waited through', async () => {
    const s = scripted([found(app({ health: 'Degraded', revision: OLDER })), found(app({}))])
    expect((await waitForArgoCd(s.client, opts, s.deps)).polls).toBe(2)
  })

  test("while our sync runs, the previous sync's Degraded and SyncError are the past", async () => {
    const stale = {
      sync: 'OutOfSync',
      health: 'Degraded',
      conditions: [{ type: 'SyncError', message: `Failed sync attempt to ${OLDER}: boom` }],
    }
    const s = scripted([
      found(app({ ...stale, op: { phase: 'Running' } })),
      // Settled again, the condition still names the older commit: not ours.
      found(app({ ...stale, sync: 'Synced', health: 'Progressing', op: { phase: 'Succeeded' } })),
      found(app({ op: { phase: 'Succeeded' } })),
    ])
    expect((await waitForArgoCd(s.client, opts, s.deps)).polls).toBe(3)
  })

  test('an error condition at our commit is a refusal, in its words', async () => {
    const s = scripted([
      found(
        app({
          sync: 'OutOfSync',
          conditions: [
            { type: 'SyncError', message: 'resource apps/Deployment is not permitted in project' },
            { type: 'OrphanedResourceWarning', message: 'ignored' },
          ],
        }),
      ),
    ])
    await expect(waitForArgoCd(s.client, opts, s.deps)).rejects.toThrow(
      /refused aaaaaaaaaaaa: SyncError: resource apps\/Deployment is not permitted in project$/,
    )
  })

  test('not found yet (the ApplicationSet has not generated it): waited for, then named', async () => {
    const s = scripted([NOT_FOUND, NOT_FOUND, found(app({}))])
    expect((await waitForArgoCd(s.client, opts, s.deps)).polls).toBe(3)
    expect(s.logs[0]).toMatch(/does not exist yet/)
    const never = scripted([NOT_FOUND])
    await expect(waitForArgoCd(never.client, opts, never.deps)).rejects.toThrow(
      /never found .*argocd-app-namespace/,
    )
  })

  test("the client's errors (401, 403, 5xx after retries) end the wait at once", async () => {
    const s = scripted([new Error('403: the role lacks applications, get')])
    await expect(waitForArgoCd(s.client, opts, s.deps)).rejects.toThrow(/lacks applications, get/)
    expect(s.calls.length).toBe(1)
  })

  test('refresh: false never asks Argo CD to refresh, and the timeout says why it is slow', async () => {
    const s = scripted([found(app({ revision: OLDER }))])
    const e = await waitForArgoCd(s.client, { ...opts, refresh: false }, s.deps).catch((x) => x)
    expect(s.calls.every((r) => !r)).toBe(true)
    expect(e.message).toMatch(/refresh: false.*its own poll/)
  })
})

describe('waitForArgoCd: a later commit on the branch (another release landed after ours)', () => {
  const LATER = 'c'.repeat(40)
  /** A lineage reader answering from a map, recording what it was asked. */
  const lineageOf = (known: Record<string, Lineage | Error>) => {
    const asked: string[] = []
    return {
      asked,
      lineage: async (revision: string) => {
        asked.push(revision)
        const l = known[revision]
        if (l instanceof Error) throw l
        return l ?? { kind: 'unrelated' as const }
      },
    }
  }

  test('Synced and Healthy at a later commit carrying ours: done, asked once, no more refreshes', async () => {
    const s = scripted([
      found(app({ sync: 'OutOfSync', revision: LATER, health: 'Healthy' })),
      found(
        app({ revision: LATER, health: 'Progressing', op: { phase: 'Running', revision: LATER } }),
      ),
      found(app({ revision: LATER, op: { phase: 'Succeeded', revision: LATER } })),
    ])
    const l = lineageOf({ [LATER]: { kind: 'carries', commits: 1 } })
    const r = await waitForArgoCd(s.client, opts, { ...s.deps, lineage: l.lineage })
    expect(r.carriedBy).toBe(LATER)
    expect(r.app.revision).toBe(LATER)
    expect(l.asked).toEqual([LATER])
    expect(s.calls).toEqual([true, false, false])
    expect(s.logs.join('\n')).toContain(
      "is at cccccccccccc, 1 commit(s) after aaaaaaaaaaaa, with the app's directory as this release left it",
    )
    expect(s.logs.join('\n')).toMatch(
      /Synced at cccccccccccc \(which carries aaaaaaaaaaaa\), Healthy/,
    )
  })

  test('a later commit that changed the app again: superseded, stops at once', async () => {
    const s = scripted([found(app({ revision: LATER }))])
    const l = lineageOf({ [LATER]: { kind: 'replaced', commits: 2 } })
    const e = await waitForArgoCd(s.client, opts, { ...s.deps, lineage: l.lineage }).catch((x) => x)
    expect(e).toBeInstanceOf(ArgoCdWaitError)
    expect(e.message).toMatch(
      /web\.app is at cccccccccccc, 2 commit\(s\) after aaaaaaaaaaaa, which changed the app's directory again: this release was superseded .*cannot be verified/,
    )
    expect(e.lastSeen.revision).toBe(LATER)
    expect(s.calls.length).toBe(1)
  })

  test('an older or unrelated commit never counts: asked once, then waited through', async () => {
    const s = scripted([found(app({ revision: OLDER }))])
    const l = lineageOf({})
    const e = await waitForArgoCd(s.client, opts, { ...s.deps, lineage: l.lineage }).catch((x) => x)
    expect(e.message).toMatch(/never reported aaaaaaaaaaaa, or a later commit carrying it,/)
    expect(l.asked).toEqual([OLDER])
    expect(s.calls.length).toBeGreaterThan(3)
  })

  test('a failed sync or Degraded at the carrying commit is a failure of ours', async () => {
    const carries = { [LATER]: { kind: 'carries' as const, commits: 1 } }
    const failed = scripted([
      found(
        app({
          sync: 'OutOfSync',
          revision: LATER,
          op: { phase: 'Failed', message: 'boom', revision: LATER },
        }),
      ),
    ])
    await expect(
      waitForArgoCd(failed.client, opts, { ...failed.deps, lineage: lineageOf(carries).lineage }),
    ).rejects.toThrow(
      'failed to sync cccccccccccc (which carries aaaaaaaaaaaa) (operation Failed): boom',
    )
    const degraded = scripted([found(app({ revision: LATER, health: 'Degraded' }))])
    await expect(
      waitForArgoCd(degraded.client, opts, {
        ...degraded.deps,
        lineage: lineageOf(carries).lineage,
      }),
    ).rejects.toThrow('is Degraded at cccccccccccc (which carries aaaaaaaaaaaa)')
  })

  test('a lineage that cannot be read ends the wait: never taken as carrying or not', async () => {
    const s = scripted([found(app({ revision: LATER }))])
    const l = lineageOf({ [LATER]: new Error('fetch: the git server kept failing (503)') })
    await expect(waitForArgoCd(s.client, opts, { ...s.deps, lineage: l.lineage })).rejects.toThrow(
      /kept failing \(503\)/,
    )
  })

  test('not asked for a multi-source app, for our own commit, or a revision that is no sha', async () => {
    const l = lineageOf({ [LATER]: { kind: 'carries', commits: 1 } })
    const multi = {
      status: {
        sync: { status: 'Synced', revisions: [LATER, OLDER] },
        health: { status: 'Healthy' },
      },
    }
    const s = scripted([found(multi), found(app({ revision: '1.2.3' })), found(app({}))])
    expect((await waitForArgoCd(s.client, opts, { ...s.deps, lineage: l.lineage })).polls).toBe(3)
    expect(l.asked).toEqual([])
  })
})

describe('pollInterval', () => {
  test('grows from 1 s to at most 10 s, jittered to 50-100 %', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => pollInterval(n, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ])
    expect(pollInterval(1, () => 0)).toBe(500)
    expect(pollInterval(30, () => 0)).toBe(5000)
  })
})

describe('readApplication', () => {
  test('anything but an Application is none (the client explains it)', () => {
    for (const body of [null, '<html>502</html>', [{}], { status: { sync: {} } }, {}, 'x'])
      expect(readApplication(body)).toBeUndefined()
  })

  test('reads multi-source revisions too', () => {
    const a = readApplication({
      status: {
        sync: { status: 'Synced', revisions: [OLDER, OURS] },
        health: { status: 'Healthy' },
      },
    })!
    expect(a.revisions).toEqual([OLDER, OURS])
  })
})

describe('parseArgoCdWaitInputs', () => {
  const release = { operation: 'deploy', mode: 'push', autoMerge: false }
  const reader = (v: Record<string, string>) => (n: string) => v[n] ?? ''
  const full = {
    wait: 'argocd',
    'argocd-url': 'https://argocd.acme.test/',
    'argocd-token': 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
  }

  test('wait: none (the default) is no wait, the other inputs still checked', () => {
    expect(parseArgoCdWaitInputs(reader({}))).toBeUndefined()
    expect(() => parseArgoCdWaitInputs(reader({ 'wait-timeout-seconds': 'soon' }))).toThrow(
      /Input 'wait-timeout-seconds' must be a whole number/,
    )
  })

  test('wait: argocd with its defaults', () => {
    expect(parseArgoCdWaitInputs(reader(full))).toEqual({
      url: 'https://argocd.acme.test',
      token: full['argocd-token'],
      timeoutSeconds: 600,
      refresh: true,
      appNamespace: undefined,
    })
  })

  test.each([
    [{ wait: 'argo' }, /Input 'wait' has an unknown value 'argo'; one of: none, argocd/],
    [{ 'argocd-url': '' }, /Input 'argocd-url' is required with 'wait: argocd'/],
    [{ 'argocd-url': 'argocd.acme.test' }, /Input 'argocd-url' is not an absolute URL/],
    [{ 'argocd-url': 'ftp://argocd.acme.test' }, /must be an http or https URL/],
    [{ 'argocd-url': 'https://u:p@argocd.acme.test' }, /must not contain credentials/],
    [{ 'argocd-url': 'https://argocd.acme.test/?x=1' }, /must not have a query/],
    [{ 'argocd-token': '' }, /Input 'argocd-token' is required with 'wait: argocd'/],
    [{ 'argocd-token': 'two words' }, /Input 'argocd-token' contains whitespace/],
    [{ 'wait-timeout-seconds': '5' }, /must be between 10 and 21600, not 5/],
    [{ 'wait-timeout-seconds': '-1' }, /must be a whole number/],
    [{ refresh: 'sometimes' }, /Input 'refresh' must be true or false/],
    [{ 'argocd-app-namespace': 'Apps_NS' }, /Input 'argocd-app-namespace' must be a DNS label/],
  ])('refuses %j', (bad, message) => {
    expect(() => parseArgoCdWaitInputs(reader({ ...full, ...bad }))).toThrow(message)
  })

  test('refuses a wait with nothing to wait for: a destroy, an unmerged pull request', () => {
    const wait = parseArgoCdWaitInputs(reader(full))
    expect(() => checkArgoCdWaitFits(wait, { ...release, operation: 'destroy' })).toThrow(
      /Input 'wait' 'argocd' waits for a deployed application/,
    )
    expect(() => checkArgoCdWaitFits(wait, { ...release, mode: 'pull-request' })).toThrow(
      /auto-merge: true/,
    )
    expect(() =>
      checkArgoCdWaitFits(wait, { ...release, mode: 'pull-request', autoMerge: true }),
    ).not.toThrow()
    // Without the wait, anything goes.
    expect(() => checkArgoCdWaitFits(undefined, { ...release, operation: 'destroy' })).not.toThrow()
  })
})

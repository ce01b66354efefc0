// "Require signed commits" for git pushes: which commits a push would add to a branch under the
// rule that GitHub has not verified. The pushed pack is indexed into a quarantine object
// directory first (as receive-pack does), so the commits can be walked before anything lands.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ZERO_SHA } from './git.js'
import type { PushCommand } from './git-http.js'
import type { RepoRecord } from './store.js'

export interface UnverifiedUpdate {
  command: PushCommand
  via: 'branch-protection' | 'ruleset'
  /** Commits the update would add to the branch that are not verified, newest first. */
  commits: string[]
}

/** Where the pack starts: after the commands' flush, and the push options' when sent. */
function packOffset(body: Buffer, caps: Set<string>): number {
  let offset = 0
  let sections = caps.has('push-options') ? 2 : 1
  while (sections > 0 && offset + 4 <= body.length) {
    const len = Number.parseInt(body.subarray(offset, offset + 4).toString('ascii'), 16)
    if (!Number.isFinite(len)) break
    offset += len === 0 ? 4 : len
    if (len === 0) sections -= 1
  }
  return offset
}

/** The updates of branches under the rule that would bring unverified commits; empty: allowed. */
export function unverifiedUpdates(
  repo: RepoRecord,
  commands: PushCommand[],
  caps: Set<string>,
  body: Buffer,
): UnverifiedUpdate[] {
  const git = repo.git!
  const ruled = commands.flatMap((command) => {
    const m = /^refs\/heads\/(.+)$/.exec(command.ref)
    const via = m ? repo.signedCommitRules.get(m[1]!) : undefined
    return via && command.new !== ZERO_SHA ? [{ command, via }] : []
  })
  if (ruled.length === 0) return []
  const quarantine = mkdtempSync(join(tmpdir(), 'gh-sandbox-quarantine-'))
  try {
    mkdirSync(join(quarantine, 'pack'))
    const env = {
      GIT_OBJECT_DIRECTORY: quarantine,
      GIT_ALTERNATE_OBJECT_DIRECTORIES: join(git.dir, 'objects'),
    }
    const pack = body.subarray(packOffset(body, caps))
    if (pack.length > 0) git.run(['index-pack', '--stdin', '--fix-thin'], { input: pack, env })
    const out: UnverifiedUpdate[] = []
    for (const { command, via } of ruled) {
      const current = git.revParse(command.ref)
      const args = ['rev-list', command.new, '--not', ...(current ? [current] : ['--all'])]
      const r = git.run(args, { env, allowFail: true })
      // Objects that did not arrive: receive-pack will refuse the push on its own.
      if (r.code !== 0) continue
      const commits = r.stdout
        .toString('utf8')
        .split('\n')
        .filter((sha) => sha !== '' && !repo.signatures.has(sha))
      if (commits.length > 0) out.push({ command, via, commits })
    }
    return out
  } finally {
    rmSync(quarantine, { recursive: true, force: true })
  }
}

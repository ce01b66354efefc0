/**
 * A tree diff as the text `git diff` prints, made in this process: the blobs it shows are fetched
 * in one request, and the line diff is jsdiff's (Myers, as git's default).
 */
import { structuredPatch } from 'diff'
import type { ObjectStore } from './object-store.js'
import type { TreeChange } from './tree-edit.js'

const ZERO = '0000000'
const short = (sha?: string) => (sha ? sha.slice(0, 7) : ZERO)
/** git's test: a NUL in the first 8000 bytes makes a file binary. */
const isBinary = (data: Buffer) => data.subarray(0, 8000).includes(0)

/** `git diff --no-color` of these changes; `prefix` is put before every path (e.g. the app's directory). */
export async function formatPatch(
  objects: ObjectStore,
  changes: TreeChange[],
  prefix = '',
): Promise<string> {
  // Gitlinks (160000) have no blob; everything else is read, the missing ones in one request.
  const blobs = changes
    .flatMap((c) => [c.before, c.after])
    .filter((f): f is { mode: string; sha: string } => !!f && f.mode !== '160000')
    .map((f) => f.sha)
  await objects.readMany(blobs)
  const content = (f?: { mode: string; sha: string }) =>
    !f
      ? Buffer.alloc(0)
      : f.mode === '160000'
        ? Buffer.from(`Subproject commit ${f.sha}\n`)
        : objects.get(f.sha)!.data

  const out: string[] = []
  for (const c of changes) {
    const path = `${prefix}${c.path}`
    const a = `a/${path}`
    const b = `b/${path}`
    out.push(`diff --git ${a} ${b}`)
    if (!c.before) out.push(`new file mode ${c.after!.mode}`)
    else if (!c.after) out.push(`deleted file mode ${c.before.mode}`)
    else if (c.before.mode !== c.after.mode)
      out.push(`old mode ${c.before.mode}`, `new mode ${c.after.mode}`)
    const same = c.before && c.after && c.before.mode === c.after.mode
    if (c.before?.sha !== c.after?.sha)
      out.push(
        `index ${short(c.before?.sha)}..${short(c.after?.sha)}${same ? ` ${c.after!.mode}` : ''}`,
      )
    const before = content(c.before)
    const after = content(c.after)
    if (isBinary(before) || isBinary(after)) {
      out.push(`Binary files ${c.before ? a : '/dev/null'} and ${c.after ? b : '/dev/null'} differ`)
      continue
    }
    if (c.before?.sha === c.after?.sha) continue
    out.push(`--- ${c.before ? a : '/dev/null'}`, `+++ ${c.after ? b : '/dev/null'}`)
    const patch = structuredPatch(a, b, before.toString('utf8'), after.toString('utf8'), '', '', {
      context: 3,
    })
    const old = before.toString('utf8').split('\n')
    for (const h of patch.hunks) {
      // As git: an empty side starts at line 0, and a one-line side has no count.
      const range = (start: number, lines: number) =>
        `${lines === 0 ? start - 1 : start}${lines === 1 ? '' : `,${lines}`}`
      const context = funcname(old, h.oldStart - 1)
      out.push(
        `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@${context ? ` ${context}` : ''}`,
        ...h.lines,
      )
    }
  }
  return out.length ? `${out.join('\n')}\n` : ''
}

/**
 * git's default hunk-header context: the last line above the hunk that starts with a letter, '_'
 * or '$', without its trailing blanks, cut to 80 bytes.
 */
function funcname(lines: string[], hunkStart: number): string {
  for (let n = hunkStart - 1; n >= 0; n--) {
    const line = lines[n]!
    if (/^[A-Za-z_$]/.test(line)) {
      const trimmed = line.replace(/\s+$/, '')
      const bytes = Buffer.from(trimmed, 'utf8')
      return bytes.length > 80 ? bytes.subarray(0, 80).toString('utf8') : trimmed
    }
  }
  return ''
}

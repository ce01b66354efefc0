import { InputError, clip } from '@argocd-actions/core'

/**
 * The path checks git itself makes, so that no release writes a tree git refuses: `git fsck`
 * (and GitHub's `receive.fsckObjects`) reports `hasDotgit`, and `git clone` of the deploy
 * repository fails for everyone, Argo CD included.
 *
 * Mirrors git's `verify_path` (read-cache.c) with `core.protectHFS` and `core.protectNTFS` on, as
 * on macOS and Windows clients, and the name checks of `fsck_tree` (fsck.c):
 * - `.git` in any case, and the spellings HFS+ and NTFS read as `.git`: HFS+ ignores some Unicode
 *   code points (`is_hfs_dotgit`, utf8.c), NTFS drops trailing dots and spaces, stops at `:`
 *   (a stream) and has the 8.3 short name `git~1` (`is_ntfs_dotgit`, path.c);
 * - `.`, `..` and empty components; `\` (a directory separator on Windows), NUL.
 * git refuses `.gitmodules`, `.gitattributes`, `.gitignore` and `.mailmap` (and their HFS/NTFS
 * spellings) only as symbolic links, and fsck parses any `.gitmodules` and `.gitattributes` it
 * finds. A release writes only regular files and directories, but these names change how git
 * treats the deploy repository for everyone who clones it, and no release needs them: they are
 * refused too, as are control characters (no tool shows them faithfully).
 */

/** Code points HFS+ ignores in names (git's `next_hfs_char`). */
const HFS_IGNORED = new Set([
  0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x206a, 0x206b, 0x206c,
  0x206d, 0x206e, 0x206f, 0xfeff,
])

/** HFS+: `.` + needle (ASCII, any case), ignoring the code points above (`is_hfs_dot_generic`). */
function isHfsDot(name: string, needle: string): boolean {
  const rest = [...name].filter((c) => !HFS_IGNORED.has(c.codePointAt(0)!)).join('')
  // Only ASCII folds (git clamps at 127): the Kelvin sign must not read as 'k'.
  return [...rest].every((c) => c.charCodeAt(0) < 0x80) && rest.toLowerCase() === `.${needle}`
}

/** NTFS: what is left after the name are only dots and spaces, up to the end or a `:`. */
const onlyDotsAndSpaces = (rest: string) => /^[. ]*(:.*)?$/s.test(rest)

/** `is_ntfs_dotgit`: `.git` or `git~1`, then only dots and spaces up to the end, `:` or `\`. */
function isNtfsDotgit(name: string): boolean {
  const m = /^(\.git|git~1)/i.exec(name)
  return !!m && /^[. ]*([:\\].*)?$/s.test(name.slice(m[0].length))
}

/** `is_ntfs_dot_generic`: `.<name>`, its short name `<first 6>~1..4`, or the fall-back `<prefix>~N`. */
function isNtfsDot(name: string, dotName: string, shortPrefix: string): boolean {
  const lower = name.toLowerCase()
  if (lower.startsWith(`.${dotName}`)) return onlyDotsAndSpaces(name.slice(dotName.length + 1))
  if (lower.startsWith(dotName.slice(0, 6)) && /^~[1-4]/.test(name.slice(6)))
    return onlyDotsAndSpaces(name.slice(8))
  // The fall-back short name: up to 6 characters of the hash prefix, `~`, a digit 1-9, digits.
  let i = 0
  let sawTilde = false
  for (; i < 8; i++) {
    const c = name[i]
    if (c === undefined) return false
    if (sawTilde) {
      if (c < '0' || c > '9') return false
    } else if (c === '~') {
      i++
      if (!(name[i] >= '1' && name[i] <= '9')) return false
      sawTilde = true
    } else if (i >= 6 || c.charCodeAt(0) > 0x7f || c.toLowerCase() !== shortPrefix[i]) return false
  }
  return onlyDotsAndSpaces(name.slice(8))
}

/** The dot files that change how git treats a repository, with git's NTFS short-name prefixes. */
const GIT_DOTFILES: Array<[string, string]> = [
  ['gitmodules', 'gi7eba'],
  ['gitattributes', 'gi7d29'],
  ['gitignore', 'gi250a'],
  ['mailmap', 'maba30'],
]

/** Longest name most file systems take (bytes). */
export const MAX_NAME_BYTES = 255
/** Longest path git and most file systems handle comfortably (bytes). */
export const MAX_PATH_BYTES = 4096

/** Why git (or a clone of the deploy repository) would refuse this name, or undefined. */
export function gitNameProblem(name: string): string | undefined {
  if (name === '') return 'an empty name (a doubled or leading /)'
  if (name === '.' || name === '..') return `'${name}'`
  if (name.includes('\\')) return 'a backslash (a directory separator on Windows)'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a control character'
  if (name.includes('/')) return "a '/' inside a name"
  if (isHfsDot(name, 'git') || isNtfsDotgit(name))
    return `'${printable(name)}', which git reads as .git`
  for (const [dotName, prefix] of GIT_DOTFILES)
    if (isHfsDot(name, dotName) || isNtfsDot(name, dotName, prefix))
      return `'${printable(name)}', which git reads as .${dotName}`
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `a name longer than ${MAX_NAME_BYTES} bytes`
  return undefined
}

/** Why git would refuse this `/`-separated repository path, or undefined. */
export function gitPathProblem(path: string): string | undefined {
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `a path longer than ${MAX_PATH_BYTES} bytes`
  for (const part of path.split('/')) {
    const problem = gitNameProblem(part)
    if (problem) return problem
  }
  return undefined
}

/** Throws an InputError naming `input` when git would refuse `path`. */
export function checkGitPath(input: string, path: string, example: string, what = ''): string {
  const problem = gitPathProblem(path)
  if (problem)
    throw new InputError(
      input,
      `${what}'${clip(printable(path))}' is not a path git accepts: it has ${problem}`,
      example,
    )
  return path
}

/** Control and invisible characters spelled out, so an error shows what is there. */
export function printable(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { InputError } from '../errors.js'
import { parseYamlInput } from '../yaml-input.js'
import builtinDocument from './profiles.json' with { type: 'json' }
import { ProfileError, parseProfile, type Profile } from './profile-schema.js'

const builtinDocs = (builtinDocument as { profiles: Record<string, unknown> }).profiles

const PROFILE_EXAMPLE =
  'github: { kinds: [fine-grained], repositories: { deploy: { contents: write } } }'

export const BUILTIN_PROFILE_NAMES = Object.keys(builtinDocs)

export function builtinProfile(name: string): Profile | undefined {
  const doc = builtinDocs[name]
  return doc === undefined ? undefined : parseProfile(name, doc)
}

export interface ProfileSource {
  /** `profile` input: a built-in name or a YAML file path in the workspace. */
  profile?: string
  /** `requirements` input: inline YAML, instead of a profile. */
  requirements?: string
  /** Relative paths are read from here (GITHUB_WORKSPACE). */
  workspace: string
}

/** Resolves the profile inputs into one validated profile; every failure names its input. */
export async function resolveProfile(source: ProfileSource): Promise<Profile> {
  const { profile, requirements } = source
  if (profile && requirements) {
    throw new InputError(
      'requirements',
      "cannot be used together with 'profile': give one of them",
      PROFILE_EXAMPLE,
    )
  }
  if (requirements) return fromYaml('requirements', 'inline', requirements)
  if (!profile) {
    throw new InputError(
      'profile',
      `is required (or 'requirements'); built-in profiles: ${BUILTIN_PROFILE_NAMES.join(', ')}`,
      'argocd-release',
    )
  }
  const builtin = builtinProfile(profile)
  if (builtin) return builtin
  if (!/[./\\]/.test(profile)) {
    throw new InputError(
      'profile',
      `'${profile}' is not a built-in profile; built-in profiles: ${BUILTIN_PROFILE_NAMES.join(', ')}; or give the path of a YAML file`,
      'argocd-release',
    )
  }
  const file = path.resolve(source.workspace, profile)
  const rel = path.relative(source.workspace, file)
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new InputError(
      'profile',
      `must be a path inside the workspace, not '${profile}'`,
      '.github/token-profiles/release.yml',
    )
  }
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(
      'profile',
      `names a file that cannot be read: ${rel} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      '.github/token-profiles/release.yml',
    )
  }
  return fromYaml('profile', path.basename(file).replace(/\.ya?ml$/, ''), text)
}

function fromYaml(input: string, name: string, text: string): Profile {
  const doc = parseYamlInput(parse, input, text, PROFILE_EXAMPLE)
  try {
    return parseProfile(name, doc)
  } catch (error) {
    if (error instanceof ProfileError) {
      throw new InputError(
        input,
        `is not a valid token profile: ${error.problems.join('; ')}`,
        PROFILE_EXAMPLE,
      )
    }
    throw error
  }
}

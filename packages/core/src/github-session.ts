import { explainGitHubError, type ErrorContext } from './github-errors.js'

/**
 * What a GitHub client has learned about its token, kept beside the client rather than in it so
 * that error handling does not need the Octokit modules loaded.
 */
const expirations = new WeakMap<object, { value?: string }>()

/** Called by the client factory: returns the function that records the expiry header. */
export function rememberTokenExpiration(octokit: object): (value: string) => void {
  const seen: { value?: string } = {}
  expirations.set(octokit, seen)
  return (value) => {
    seen.value = value
  }
}

/** The token's expiry as GitHub last reported it, if any response carried one. */
export function seenTokenExpiration(octokit: object): string | undefined {
  return expirations.get(octokit)?.value
}

/** Runs a GitHub call and turns its failure into an explained error. */
export async function explained<T>(
  octokit: object,
  ctx: Omit<ErrorContext, 'tokenExpiration'>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw explainGitHubError(error, { ...ctx, tokenExpiration: seenTokenExpiration(octokit) })
  }
}

// The REST side's token model (access.ts authorizeRepo), answered in GraphQL's terms: what the
// token cannot see is NOT_FOUND, what it may see but not do is FORBIDDEN (or, for a classic
// token missing a scope, INSUFFICIENT_SCOPES).
import { authorizeRepo } from '../access.js'
import { ApiError } from '../errors.js'
import type { RepoRecord, Store } from '../store.js'
import type { TokenRecord } from '../tokens.js'
import type { Access } from '../types.js'
import { GraphqlFieldError, repositoryNotFound } from './errors.js'

export const GRAPHQL_DOCS = 'https://docs.github.com/graphql'

/** The repository if the token can see it (metadata), else NOT_FOUND as for a missing one. */
export function visibleRepo(store: Store, token: TokenRecord, fullName: string): RepoRecord {
  const repo = store.repo(fullName)
  if (!repo) throw repositoryNotFound(fullName)
  check(store, token, repo, 'metadata', 'read', 'repository')
  return repo
}

/**
 * Throws unless the token may `access` the repository's contents. `field` names what was asked,
 * for the scope message (e.g. 'createCommitOnBranch').
 */
export function requireContents(
  store: Store,
  token: TokenRecord,
  repo: RepoRecord,
  access: Access,
  field: string,
): void {
  check(store, token, repo, 'contents', access, field)
}

function check(
  store: Store,
  token: TokenRecord,
  repo: RepoRecord,
  permission: 'metadata' | 'contents',
  access: Access,
  field: string,
): void {
  try {
    authorizeRepo(
      store,
      token,
      repo,
      {
        permission,
        access,
        privateScopes: ['repo'],
        publicScopes: access === 'write' ? ['public_repo'] : [],
        doc: GRAPHQL_DOCS,
      },
      {},
    )
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    if (err.status === 404 && access === 'write' && token.kind === 'classic')
      throw insufficientScopes(token, field, repo.private ? ['repo'] : ['public_repo', 'repo'])
    if (err.status === 404) throw repositoryNotFound(repo.fullName)
    throw new GraphqlFieldError('FORBIDDEN', err.message)
  }
}

/** GitHub's wording for a classic token without the scope a field needs (observed). */
function insufficientScopes(token: TokenRecord, field: string, need: string[]): GraphqlFieldError {
  const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`
  const have = token.kind === 'classic' ? token.scopes : []
  return new GraphqlFieldError(
    'INSUFFICIENT_SCOPES',
    `Your token has not been granted the required scopes to execute this query. The '${field}' field requires one of the following scopes: ${list(need)}, but your token has only been granted the: ${list(have)} scopes. Please modify your token's scopes at: https://github.com/settings/tokens.`,
  )
}

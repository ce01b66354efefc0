// POST /graphql: authenticated like the REST side, every document and its variables validated
// against GitHub's published schema, then the subset the sandbox models executed against the
// git-backed repositories. Answers are shaped like GitHub's: 200 with data and/or errors[].
import {
  GraphQLError,
  Kind,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
} from 'graphql'
import type { Reply, RouteContext } from '../context.js'
import { ApiError, errorBody } from '../errors.js'
import { GRAPHQL_DOCS, visibleRepo } from './access.js'
import { createCommitOnBranch, type CreateCommitOnBranchInput } from './commit-on-branch.js'
import { GraphqlFieldError, NotModelledError } from './errors.js'
import { repositoryObject, type GraphqlContext } from './objects.js'
import { githubSchema } from './schema.js'

interface GraphqlBody {
  query: string
  variables: Record<string, unknown> | undefined
  operationName: string | undefined
}

export async function serveGraphql(ctx: RouteContext): Promise<Reply> {
  const body = readBody(ctx.body)
  if (!ctx.token)
    throw new ApiError(
      401,
      errorBody(
        401,
        'This endpoint requires you to be authenticated.',
        'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      ),
    )
  if (typeof body === 'string') return { status: 200, body: { errors: [{ message: body }] } }

  let document: DocumentNode
  try {
    document = parse(body.query)
  } catch (err) {
    if (err instanceof GraphQLError) return { status: 200, body: { errors: [err.toJSON()] } }
    throw err
  }
  const invalid = validate(githubSchema(), document)
  if (invalid.length > 0) return { status: 200, body: { errors: invalid.map((e) => e.toJSON()) } }

  const context: GraphqlContext = {
    store: ctx.store,
    token: ctx.token,
    api: ctx.api,
    batches: new Map(),
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue: root,
    contextValue: context,
    variableValues: body.variables,
    operationName: body.operationName,
    fieldResolver,
    typeResolver,
  })
  const errors = result.errors?.map(formatError)
  if (errors?.some((e) => e['internal'])) {
    // A bug in the double: say so loudly rather than pass for GitHub.
    console.error('github sandbox: GraphQL resolver failed', result.errors)
  }
  return {
    status: 200,
    body: {
      ...('data' in result ? { data: result.data } : {}),
      ...(errors ? { errors: errors.map(({ internal: _, ...e }) => e) } : {}),
    },
  }
}

/** The request body, or the message GitHub answers (200, errors[]) for a body without a query. */
function readBody(raw: string): GraphqlBody | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new ApiError(400, errorBody(400, 'Problems parsing JSON', GRAPHQL_DOCS))
  }
  const o = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}
  // Recalled wording.
  if (typeof o['query'] !== 'string')
    return 'A query attribute must be specified and must be a string.'
  const variables = o['variables']
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return 'Variables are invalid JSON.'
  return {
    query: o['query'],
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof o['operationName'] === 'string' ? o['operationName'] : undefined,
  }
}

/** Query and Mutation root fields the sandbox models. */
const root = {
  repository: ({ owner, name }: { owner: string; name: string }, ctx: GraphqlContext) =>
    repositoryObject(ctx, visibleRepo(ctx.store, ctx.token, `${owner}/${name}`)),
  viewer: (_: unknown, ctx: GraphqlContext) => {
    const login =
      ctx.token.login ??
      (ctx.token.kind === 'installation' ? `${ctx.token.appSlug}[bot]` : 'unknown')
    return { __typename: 'User', login }
  },
  createCommitOnBranch: ({ input }: { input: CreateCommitOnBranchInput }, ctx: GraphqlContext) =>
    createCommitOnBranch(ctx, input),
}

/** A key of the source object answers the field (a function is called with the arguments). */
const fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, ctx, info) => {
  const value =
    source !== null && typeof source === 'object'
      ? (source as Record<string, unknown>)[info.fieldName]
      : undefined
  if (value === undefined) throw new NotModelledError(info.parentType.name, info.fieldName)
  return typeof value === 'function'
    ? (value as (a: unknown, c: unknown) => unknown)(args, ctx)
    : value
}

const typeResolver: GraphQLTypeResolver<unknown, GraphqlContext> = (value) =>
  (value as { __typename?: string }).__typename

/** GitHub's error shape: `type` first when it has one, then path, locations and message. */
function formatError(err: GraphQLError): Record<string, unknown> {
  const original = err.originalError
  const json = err.toJSON() as unknown as Record<string, unknown>
  if (original instanceof GraphqlFieldError) return { type: original.type, ...json }
  const known =
    !original || original instanceof NotModelledError || original instanceof GraphQLError
  return known ? json : { ...json, internal: true }
}

/** The operation a /graphql body asks for (for faults that target mutations), if it parses. */
export function graphqlOperation(raw: string): { type: string; name?: string } | undefined {
  try {
    const o = JSON.parse(raw) as Record<string, unknown>
    if (typeof o['query'] !== 'string') return undefined
    const ops = parse(o['query']).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )
    const wanted = typeof o['operationName'] === 'string' ? o['operationName'] : undefined
    const op = wanted ? ops.find((d) => d.name?.value === wanted) : ops[0]
    if (!op) return undefined
    return { type: op.operation, ...(op.name ? { name: op.name.value } : {}) }
  } catch {
    return undefined
  }
}

// GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process. Every
// document the sandbox receives is validated against it, as GitHub does, before anything runs.
import { buildClientSchema, type GraphQLSchema } from 'graphql'
import { schema as published } from '@octokit/graphql-schema'

let built: GraphQLSchema | undefined

/** From the introspection JSON: `buildSchema(schema.idl)` fails on its duplicate fields. */
export function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(published.json as Parameters<typeof buildClientSchema>[0])
  return built
}

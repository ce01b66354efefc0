'use strict'
// Bundles resolve `undici` here (tsconfig.json "paths", applied by ncc): the real one is evaluated
// on first use. Evaluating it starts a WebAssembly compile (its HTTP parser) that every process
// then waits for at exit, ~100 ms, though our requests go through node:http (core/http-fetch.ts).
// @actions/http-client imports it for ProxyAgent, @actions/github for fetch: only used with a proxy.
let real
const load = () => (real ??= require('../node_modules/undici/index.js'))
module.exports = new Proxy(
  {},
  {
    get: (_, name) => (name === '__esModule' ? false : load()[name]),
    has: (_, name) => name in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, name) => Reflect.getOwnPropertyDescriptor(load(), name),
  },
)

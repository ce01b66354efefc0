// Each action's dist bundles every module once: a module copied into two lazy chunks (issue 16:
// release-files.ts was in two chunks of the sync action) is dead weight and a second copy of
// module state. The build fails on it (scripts/build.js); this checks the committed bundles.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from '@argocd-actions/sandbox'
// @ts-expect-error: a plain ES module script without types
import { duplicateModules, listActions } from '../../scripts/build.js'

const actions: string[] = listActions(repoRoot)

test('there are actions to check', () => {
  expect(actions.length).toBeGreaterThanOrEqual(4)
})

test.each(actions)('no module appears in two chunks of %s', (name) => {
  expect(duplicateModules(path.join(repoRoot, 'actions', name, 'dist'))).toEqual([])
})

test('a module in two chunks is found, by id and by source path', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'chunks-'))
  const chunk = (id: number) =>
    [
      `export const id = ${id};`,
      'export const modules = {',
      '',
      '/***/ 2478:',
      '/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {',
      ';// CONCATENATED MODULE: ./actions/a/src/shared.ts',
      '/***/ }),',
      '};',
    ].join('\n')
  try {
    await writeFile(path.join(dir, '478.index.js'), chunk(478))
    await writeFile(path.join(dir, '789.index.js'), chunk(789))
    await writeFile(path.join(dir, 'index.js'), '/***/ 1:\n// 2478: only mentioned\n')
    expect(duplicateModules(dir)).toEqual([
      ['module 2478', ['478.index.js', '789.index.js']],
      ['./actions/a/src/shared.ts', ['478.index.js', '789.index.js']],
    ])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

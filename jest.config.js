// Jest runs TypeScript as ESM through ts-jest; tests live in test/ and packages/<name>/test.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test', '<rootDir>/packages', '<rootDir>/actions'],
  testMatch: ['**/test/**/*.test.ts'],
  moduleNameMapper: {
    // NodeNext source imports './x.js'; the file on disk is './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 60000,
}

import { mkdirSync } from 'node:fs';

// jest in its native ESM mode (`node --experimental-vm-modules`, see package.json's test:unit):
// the project is ESM and so are several of its dependencies (Octokit).
// Nest's dependency injection needs decorator metadata, which swc emits.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'es6' },
};

// test:unit's --outputFile goes here, and jest does not create the folder: a run of a few files on
// a fresh clone failed to write its report.
mkdirSync(new URL('./test-artifacts/', import.meta.url), { recursive: true });

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/api/src', '<rootDir>/collectors/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@lastmile/collectors$': '<rootDir>/collectors/src/index.ts',
    // Sources import each other as `./file.js` (Node's ESM rule); jest resolves the `.ts` beside it.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Each test file has a schema (or an embedded engine) of its own, so files run side by side.
  maxWorkers: 2,
  // Hooks start apps and browsers, so one limit covers both (jest has no separate hook timeout).
  testTimeout: 120_000,
};

import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's dependency injection needs decorator metadata, which esbuild does not emit: swc does.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: { '@lastmile/collectors': resolve(import.meta.dirname, 'collectors/src/index.ts') },
  },
  test: {
    globals: true,
    include: ['api/src/**/*.spec.ts', 'collectors/src/**/*.spec.ts', 'test/**/*.spec.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
  },
});

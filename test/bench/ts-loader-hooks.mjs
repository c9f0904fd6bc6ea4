import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const collectors = new URL('../../collectors/src/index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@lastmile/collectors') return { url: collectors, shortCircuit: true };
  if (
    specifier.endsWith('.js') &&
    (specifier.startsWith('.') || specifier.startsWith('/')) &&
    context.parentURL
  ) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (ts.protocol === 'file:' && existsSync(fileURLToPath(ts)))
      return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = readFileSync(fileURLToPath(url), 'utf8');
  const { code } = transformSync(source, {
    filename: fileURLToPath(url),
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}

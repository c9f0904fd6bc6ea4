import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { collectors } from '@lastmile/collectors';

// "Adding a kind is collectors/src/<kind>/ plus one line in registry.ts" (docs/source-kinds.md),
// proved on a copy: the collectors' sources are copied to a temporary folder, a throwaway kind's
// folder is written beside the others, the registry gets its line (and the line's import), and
// nothing else changes. The config file and the sources API, given that registry, take the kind.

const ROOT = resolve(import.meta.dirname, '../..');

const THROWAWAY = `import { z } from 'zod';
import type { Collector } from '../collector.js';
import { cron, envName, sourceName } from '../source-fields.js';

export const throwawaySourceSchema = z
  .object({
    kind: z.literal('throwaway'),
    name: sourceName,
    widgets: z.number().int().min(1),
    token_env: envName,
    schedule: cron.default('0 0 * * * *'),
  })
  .strict();

type ThrowawaySource = z.output<typeof throwawaySourceSchema>;

export const throwawayCollector: Collector<ThrowawaySource> = {
  kind: 'throwaway',
  schema: throwawaySourceSchema,
  modelRegistry: false,
  display: (source) => ({
    label: 'Throwaway',
    fields: [{ label: 'Widgets', value: String(source.widgets) }],
    links: [{ label: 'Widget shop', href: 'https://widgets.example/' + source.name }],
  }),
  async *collect(_source, context) {
    context.progress({ requests: 1, pages: 1, items: 2 });
    yield { events: [], cursors: [{ resource: 'widgets', value: { seen: 2 } }] };
  },
};
`;

describe('a source kind is one folder and one registry line', () => {
  let folder: string;
  beforeAll(() => {
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    // Inside the repository, so the copy resolves zod and the other packages as the original does.
    folder = mkdtempSync(join(ROOT, 'test-artifacts', 'source-kind-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('takes a throwaway kind in the config file and the sources API', async () => {
    const src = join(folder, 'collectors', 'src');
    cpSync(join(ROOT, 'collectors', 'src'), src, {
      recursive: true,
      filter: (path) => !path.endsWith('.spec.ts'),
    });
    mkdirSync(join(src, 'throwaway'));
    writeFileSync(join(src, 'throwaway', 'throwaway.collector.ts'), THROWAWAY);
    const registry = readFileSync(join(src, 'registry.ts'), 'utf8');
    const lines = registry.split('\n');
    const lastImport = lines.findLastIndex((line) => line.startsWith('import '));
    const lastEntry = lines.findIndex((line) => line === '];') - 1;
    expect(lines[lastEntry]).toMatch(/^ {2}\w+Collector,$/);
    lines.splice(lastEntry + 1, 0, '  throwawayCollector,');
    lines.splice(
      lastImport + 1,
      0,
      "import { throwawayCollector } from './throwaway/throwaway.collector.js';",
    );
    writeFileSync(join(src, 'registry.ts'), lines.join('\n'));
    expect(lines.length - registry.split('\n').length).toBe(2);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test/bench/ts-loader.mjs'),
        join(ROOT, 'test/sources/support/kind-probe.ts'),
        join(src, 'registry.ts'),
        folder,
      ],
      { cwd: ROOT, env: process.env, maxBuffer: 10 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout);

    const registered = collectors.map((collector) => collector.kind);
    const named = (kinds: string[]) => kinds.map((kind) => `"${kind}"`).join(', ');
    expect(result.kinds).toEqual([...registered, 'throwaway']);
    // The config file: the kind's own fields, its default schedule, and its own checks.
    expect(result.config.good).toEqual({
      sources: [
        {
          kind: 'throwaway',
          name: 'gadgets',
          widgets: 3,
          token_env: 'GADGET_TOKEN',
          schedule: '0 0 * * * *',
        },
      ],
    });
    expect(result.config.bad).toEqual([
      'FILE: sources[0].widgets: Too small: expected number to be >=1',
      'FILE: sources[0].token_env: is required',
    ]);
    expect(result.config.unregistered).toEqual([
      `FILE: sources[0].kind: must be one of ${named(registered)}`,
    ]);

    // The sources API: created and shown as its kind describes itself; bad fields named.
    const { created, rejected, unknown, run, stored, form } = result.api;
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'throwaway',
      name: 'gadgets',
      widgets: 3,
      display: {
        label: 'Throwaway',
        fields: [{ label: 'Widgets', value: '3' }],
        links: [{ label: 'Widget shop', href: 'https://widgets.example/gadgets' }],
      },
    });
    expect(rejected.status).toBe(400);
    const paths = rejected.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['(body)', 'token_env', 'widgets']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      { path: 'kind', message: `must be one of ${named([...registered, 'throwaway'])}` },
    ]);
    // The runner runs it, and the database took the kind with no list of its own.
    expect(run).toEqual({ status: 'succeeded', items: 2 });
    expect(stored).toEqual(['throwaway']);
    // The sources form's description of the kind: its fields, read from its schema.
    expect(form).toEqual({
      kind: 'throwaway',
      label: 'Throwaway',
      model_registry: false,
      fields: [
        expect.objectContaining({ name: 'name', type: 'text', required: true }),
        {
          name: 'widgets',
          label: 'Widgets',
          type: 'number',
          required: true,
          description: null,
          secret_variable: false,
        },
        {
          name: 'token_env',
          label: 'Token variable',
          type: 'text',
          required: true,
          description: null,
          secret_variable: true,
        },
        expect.objectContaining({ name: 'schedule', required: false, default: '0 0 * * * *' }),
      ],
    });
  }, 120_000);
});

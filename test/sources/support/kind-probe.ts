import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import request from 'supertest';
import type { Collector } from '@lastmile/collectors';
import { ConfigError, loadConfig } from '../../../api/src/config/config.js';
import { admin, createTestApp } from '../../support/app.js';

// Run by source-kind-folder.spec.ts in a child process (`node --import test/bench/ts-loader.mjs`),
// so the registry it loads is a copy in a temporary folder, compiled as it is read, whichever test
// runner started it. Prints what the config file and the sources API made of a throwaway kind.
//   argv: <the copied registry.ts> <a folder to write config files in>

const [registryPath, folder] = process.argv.slice(2);
const { collectors } = (await import(pathToFileURL(registryPath).href)) as {
  collectors: Collector[];
};

function configProblems(yaml: string, kinds?: Collector[]): string[] | { sources: unknown[] } {
  const path = join(folder, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, yaml);
  try {
    return { sources: loadConfig({ LASTMILE_CONFIG: path }, kinds).file.sources };
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.replace(path, 'FILE'));
    throw error;
  }
}

const good =
  'sources:\n  - kind: throwaway\n    name: gadgets\n    widgets: 3\n    token_env: GADGET_TOKEN\n';
const bad = 'sources:\n  - kind: throwaway\n    name: gadgets\n    widgets: 0\n';
const result: Record<string, unknown> = {
  kinds: collectors.map((c) => c.kind),
  config: {
    good: configProblems(good, collectors),
    bad: configProblems(bad, collectors),
    // The repository's own registry, without the folder's line, does not know the kind.
    unregistered: configProblems(good),
  },
};

const t = await createTestApp({ GADGET_TOKEN: 'not-a-real-token' }, { collectors });
try {
  const created = await request(t.http)
    .post('/api/v1/sources')
    .set(admin)
    .send({ kind: 'throwaway', name: 'gadgets', widgets: 3, token_env: 'GADGET_TOKEN' });
  const rejected = await request(t.http)
    .post('/api/v1/sources')
    .set(admin)
    .send({ kind: 'throwaway', name: 'gizmos', widgets: 'many', colour: 'red' });
  const unknown = await request(t.http)
    .post('/api/v1/sources')
    .set(admin)
    .send({ kind: 'nonesuch', name: 'nothing' });
  const sync = await request(t.http).post(`/api/v1/sources/${created.body.id}/sync`).set(admin);
  let run: { status?: string; items?: number } = {};
  for (let i = 0; i < 100 && run.status !== 'succeeded' && run.status !== 'failed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    run = (await request(t.http).get(`/api/v1/sync-runs/${sync.body.run_id}`).set(admin)).body;
  }
  const listed = await request(t.http).get('/api/v1/source-kinds').set(admin);
  const kindsInSchema: { kind: string }[] = await t.dataSource.query(
    `SELECT kind FROM sources ORDER BY kind`,
  );
  result.api = {
    created: { status: created.status, body: created.body },
    rejected: { status: rejected.status, body: rejected.body },
    unknown: { status: unknown.status, body: unknown.body },
    run: { status: run.status, items: run.items },
    stored: kindsInSchema.map((row) => row.kind),
    form: listed.body.kinds.find((kind: { kind: string }) => kind.kind === 'throwaway'),
  };
} finally {
  await t.close();
}
process.stdout.write(JSON.stringify(result));

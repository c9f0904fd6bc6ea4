// Each native registry kind (Databricks Unity Catalog, SageMaker, Vertex AI) against its stand-in
// on 127.0.0.1 with 200 models and 2,000 versions (every 4th model's last version in production),
// polled into a real PostgreSQL through the same path as the sync runner, with each collector's
// default page sizes: the first poll, then a poll with nothing changed. Prints each kind's
// requests (counted by the stand-in), seconds and rows written.
// Run: TEST_DATABASE_URL=postgres://... npm run bench:registries
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Collector,
  createDatabricksUcCollector,
  createSagemakerCollector,
  createVertexAiCollector,
  databricksUcSourceSchema,
  sagemakerSourceSchema,
  type SourceBase,
  vertexAiSourceSchema,
} from '@lastmile/collectors';
import { createTestApp, type TestApp } from '../support/app.js';
import { DatabricksUcStandIn } from '../support/databricks-uc-stand-in.js';
import type { RegistryStandIn } from '../support/registry-script.js';
import { SagemakerStandIn } from '../support/sagemaker-stand-in.js';
import { VertexAiStandIn } from '../support/vertex-ai-stand-in.js';
import { pollAt, registerSource } from '../registries/registry-poll.harness.js';

const MODELS = 200;
const VERSIONS_PER_MODEL = 10;

process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH00000000001';
process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

interface Kind {
  label: string;
  standIn: RegistryStandIn;
  collector: Collector<SourceBase>;
  source(): SourceBase;
  env: Record<string, string>;
}

async function kinds(): Promise<Kind[]> {
  const uc = await new DatabricksUcStandIn('dapi-bench').start();
  uc.seed(MODELS, VERSIONS_PER_MODEL, (m) =>
    uc.setAlias(m.name, 'champion', String(m.versions.length)),
  );
  const sm = await new SagemakerStandIn('us-east-1', 'AKIABENCH00000000001').start();
  sm.seedApproved(MODELS, VERSIONS_PER_MODEL);
  const vertex = await new VertexAiStandIn('acme-ml', 'us-central1').start();
  vertex.seed(MODELS, VERSIONS_PER_MODEL, (m) =>
    vertex.setAlias(m.name, 'prod', String(m.versions.length)),
  );
  const keyFile = vertex.writeKeyFile(mkdtempSync(join(tmpdir(), 'bench-vertex-')));
  return [
    {
      label: 'databricks_uc',
      standIn: uc,
      collector: createDatabricksUcCollector() as Collector<SourceBase>,
      source: () =>
        databricksUcSourceSchema.parse({
          kind: 'databricks_uc',
          name: 'uc',
          host: uc.url,
          token_env: 'UC_TOKEN',
        }),
      env: { UC_TOKEN: 'dapi-bench' },
    },
    {
      label: 'sagemaker',
      standIn: sm,
      collector: createSagemakerCollector() as Collector<SourceBase>,
      source: () =>
        sagemakerSourceSchema.parse({
          kind: 'sagemaker',
          name: 'sm',
          region: 'us-east-1',
          endpoint_url: sm.url,
        }),
      env: {},
    },
    {
      label: 'vertex_ai',
      standIn: vertex,
      collector: createVertexAiCollector() as Collector<SourceBase>,
      source: () =>
        vertexAiSourceSchema.parse({
          kind: 'vertex_ai',
          name: 'vertex',
          project: 'acme-ml',
          location: 'us-central1',
          api_endpoint: vertex.url,
          credentials_env: 'VERTEX_KEY',
        }),
      env: { VERTEX_KEY: keyFile },
    },
  ];
}

async function run(t: TestApp, kind: Kind, label: string, at: string): Promise<void> {
  const before = kind.standIn.totalRequests;
  const started = performance.now();
  const result = await pollAt(t, kind.collector, kind.source(), at, kind.env);
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  console.log(
    `${kind.label.padEnd(13)} ${label}: ${kind.standIn.totalRequests - before} requests, ${seconds.toFixed(2)} s, ` +
      `rows written ${result.inserted + result.updated} (${result.inserted} inserted, ${result.updated} updated), ` +
      `cursors written ${result.cursors}`,
  );
}

const t = await createTestApp();
const all = await kinds();
try {
  console.log(
    `Registry polls: ${MODELS} models, ${(MODELS * VERSIONS_PER_MODEL).toLocaleString('en')} versions per kind (stand-ins on 127.0.0.1)`,
  );
  for (const kind of all) {
    await registerSource(t, kind.source());
    await run(t, kind, 'first poll    ', new Date().toISOString());
    await run(t, kind, 'unchanged poll', new Date(Date.now() + 600_000).toISOString());
    const [{ versions, stages }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM model_versions WHERE registry = $1) AS versions,
              (SELECT count(*)::int FROM model_stage_events WHERE registry = $1) AS stages`,
      [kind.source().name],
    );
    console.log(
      `${kind.label.padEnd(13)} stored: ${versions} model versions, ${stages} stage events`,
    );
  }
} finally {
  for (const kind of all) await kind.standIn.stop();
  await t.close();
}

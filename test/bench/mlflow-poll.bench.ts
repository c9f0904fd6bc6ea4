// An MLflow registry of 2,000 models and 20,000 versions on the stand-in server, polled into a real
// PostgreSQL through the same path as the sync runner: the first poll, then a poll with nothing
// changed. Prints requests made (counted by the stand-in), seconds, and rows written.
// Run: TEST_DATABASE_URL=postgres://... node --import ./test/bench/ts-loader.mjs test/bench/mlflow-poll.bench.ts
// (without TEST_DATABASE_URL it runs on the embedded engine).
import { createTestApp } from '../support/app.js';
import { MlflowStandIn } from '../support/mlflow-stand-in.js';
import { mlflowSource, pollAt, registerSource } from '../mlflow/mlflow-poll.harness.js';

const MODELS = 2000;
const VERSIONS_PER_MODEL = 10;

const mlflow = await new MlflowStandIn().start();
const t = await createTestApp();
try {
  mlflow.seed(MODELS, VERSIONS_PER_MODEL);
  const source = mlflowSource(mlflow.url);
  await registerSource(t, source);

  const run = async (label: string, at: string) => {
    const before = { ...mlflow.requests };
    const started = performance.now();
    const result = await pollAt(t, source, at);
    const seconds = (performance.now() - started) / 1000;
    const made = (endpoint: keyof typeof before) => mlflow.requests[endpoint] - before[endpoint];
    console.log(
      `${label}: ${result.requests} requests (registered-models/search ${made('registered-models/search')}, ` +
        `model-versions/search ${made('model-versions/search')}, runs/get ${made('runs/get')}), ${seconds.toFixed(2)} s, ` +
        `rows written ${result.inserted + result.updated} (${result.inserted} inserted, ${result.updated} updated), ` +
        `cursors written ${result.cursors}`,
    );
  };

  console.log(
    `MLflow poll: ${MODELS.toLocaleString('en')} models, ${(MODELS * VERSIONS_PER_MODEL).toLocaleString('en')} versions (stand-in on 127.0.0.1)`,
  );
  await run('first poll    ', new Date().toISOString());
  await run('unchanged poll', new Date(Date.now() + 600_000).toISOString());
  const [{ versions }] = await t.dataSource.query(
    `SELECT count(*)::int AS versions FROM model_versions`,
  );
  const [{ stages }] = await t.dataSource.query(
    `SELECT count(*)::int AS stages FROM model_stage_events`,
  );
  console.log(`stored: ${versions} model versions, ${stages} stage events`);
} finally {
  await mlflow.stop();
  await t.close();
}

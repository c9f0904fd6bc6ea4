import type { TestApp } from '../support/app.js';
import type { MlflowStandIn } from '../support/mlflow-stand-in.js';
import * as harness from './mlflow-poll.harness.js';

// Renames that exchange names: each model keeps its own history, and the poll that sees it
// succeeds although for a moment two rows claim the same (registry, model, version).

describe('MLflow models that swap names between polls', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  const source = () => harness.mlflowSource(mlflow.url);
  const rows = async () =>
    (
      await t.dataSource.query(
        `SELECT v.native_id, v.model, v.version, count(e.id)::int AS stage_events
         FROM model_versions v
         LEFT JOIN model_stage_events e ON e.registry = v.registry AND e.model = v.model AND e.version = v.version
         WHERE v.registry = $1 GROUP BY v.native_id, v.model, v.version ORDER BY v.native_id`,
        [harness.SOURCE_NAME],
      )
    ).map(
      (r: { native_id: string; model: string; version: string; stage_events: number }) =>
        `${r.native_id} -> ${r.model}/${r.version} (${r.stage_events})`,
    );

  beforeAll(async () => ({ t, mlflow } = await harness.startMlflowTest()));
  afterAll(() => harness.stopMlflowTest(t, mlflow));

  it('blue and green exchange names; each version keeps its id and its events', async () => {
    mlflow.at('2026-04-06T09:00:00Z').createModel('blue');
    mlflow.createVersion('blue');
    mlflow.transitionStage('blue', '1', 'Production');
    mlflow.at('2026-04-06T09:30:00Z').createModel('green');
    mlflow.createVersion('green');
    await harness.pollAt(t, source(), '2026-04-06T10:00:00Z');
    expect(await rows()).toEqual(['blue/1 -> blue/1 (1)', 'green/1 -> green/1 (0)']);

    mlflow
      .at('2026-04-07T09:00:00Z')
      .renameModel('blue', 'tmp')
      .renameModel('green', 'blue')
      .renameModel('tmp', 'green');
    const result = await harness.pollAt(t, source(), '2026-04-07T10:00:00Z');

    // The model first called blue (in production) is now green, and the other way round.
    expect(result.inserted).toBe(0);
    expect(await rows()).toEqual(['blue/1 -> green/1 (1)', 'green/1 -> blue/1 (0)']);
    const intervals = await t.dataSource.query(
      `SELECT model, version, ended_at FROM model_production_intervals WHERE registry = $1`,
      [harness.SOURCE_NAME],
    );
    expect(intervals).toEqual([{ model: 'green', version: '1', ended_at: null }]);
  });
});

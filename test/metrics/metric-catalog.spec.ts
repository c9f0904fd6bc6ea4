import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METRICS, METRIC_NAMES } from '../../api/src/metrics/metric-catalog.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { getJson } from './support/metrics-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Specs feed renderers made-up report models; the code under test is what must not list names.
    // contract.d.ts is generated from the API's OpenAPI document, whose metric enum is the catalog.
    if (name === 'contract.d.ts') return [];
    return /\.(ts|tsx)$/.test(name) && !/\.spec\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Each place in the files where a metric's name is written out, as "file: name". */
function namesWritten(dir: string, pattern: (name: string) => RegExp): string[] {
  return sourceFiles(join(root, dir)).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return METRIC_NAMES.filter((name) => pattern(name).test(text)).map(
      (name) => `${relative(root, path)}: ${name}`,
    );
  });
}

describe('the metric catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /api/v1/metrics serves every metric once, with its facts and without its SQL', async () => {
    const body = await getJson(t, '/api/v1/metrics');
    expect(body.metrics.map((metric: { name: string }) => metric.name)).toEqual(METRIC_NAMES);
    for (const metric of body.metrics) {
      expect(metric).toEqual(
        expect.objectContaining({
          label: expect.any(String),
          description: expect.any(String),
          kind: expect.stringMatching(/^(duration|count|rate|gauge)$/),
          unit: expect.stringMatching(/^(seconds|count|ratio)$/),
          better: expect.stringMatching(/^(lower|higher)$/),
          filters: expect.any(Array),
        }),
      );
      expect(metric).not.toHaveProperty('query');
    }
    const byName = Object.fromEntries(
      body.metrics.map((metric: { name: string }) => [metric.name, metric]),
    );
    expect(byName.time_to_restore.label).toBe('Failed deployment recovery time');
    expect(byName.deployment_rework_rate).toMatchObject({
      kind: 'rate',
      better: 'lower',
      numerator: 'rework',
    });
    // A PR metric is not filtered by model, nor a model metric by repository.
    expect(byName.pr_cycle_time.filters).not.toContain('model');
    expect(byName.models_in_production.filters).not.toContain('repo');
  });

  it('each metric answers GET /api/v1/metrics/{metric} with the kind and unit it is listed with', async () => {
    for (const metric of METRICS) {
      const body = await getJson(t, `/api/v1/metrics/${metric.name}`);
      expect([body.kind, body.unit]).toEqual([metric.kind, metric.unit]);
    }
  });

  it('no metric name is written out in the web: it reads every metric from the catalog', () => {
    expect(namesWritten('web/src', (name) => new RegExp(`\\b${name}\\b`))).toEqual([]);
  });

  it('no metric name is written out as a string in the reports: they take them from the catalog', () => {
    expect(namesWritten('api/src/reports', (name) => new RegExp(`['"\`]${name}['"\`]`))).toEqual(
      [],
    );
  });
});

import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import request from 'supertest';
import { METRIC_NAMES } from '../../api/src/metrics/metric.types.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import {
  makeDeployment,
  makeIncident,
  makeModelStage,
  makeModelVersion,
  makePullRequest,
} from '../support/factories.js';

type Json = Record<string, any>;

// /api/docs-json is the public contract: a valid OpenAPI 3.1 document whose schemas are the ones
// the server validates with and answers by. Samples the server accepts validate against it, and
// what the server answers carries no field the document does not name.

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The same schema with every object closed, so that an undocumented field is an error. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closed(value)]),
  );
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

describe('the OpenAPI document at /api/docs-json', () => {
  let t: TestApp;
  let document: Json;
  let ajv: Ajv2020;
  let strictAjv: Ajv2020;
  const schemaOf = (ajvFor: Ajv2020, id: string): ValidateFunction =>
    ajvFor.getSchema(`lastmile#/components/schemas/${id}`)!;
  const problems = (validate: ValidateFunction, value: unknown) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

  /** The JSON schema id an operation answers with for a status. */
  const responseId = (path: string, method: string, status = '200'): string => {
    const ref = document.paths[path][method].responses[status].content['application/json'].schema
      .$ref as string;
    return ref.replace('#/components/schemas/', '');
  };
  /** Asserts a live answer matches its operation's schema, undocumented fields included. */
  const expectConforming = (path: string, method: string, body: unknown, status = '200') => {
    const where = `${method.toUpperCase()} ${path} ${status}`;
    const found = problems(schemaOf(strictAjv, responseId(path, method, status)), body);
    expect({ where, problems: found }).toEqual({ where, problems: [] });
  };

  beforeAll(async () => {
    t = await createTestApp();
    document = (await request(t.http).get('/api/docs-json').expect(200)).body;
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: 'lastmile', components: document.components });
    strictAjv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    strictAjv.addSchema({ $id: 'lastmile', components: closed(document.components) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('gives every route a response schema, the error format, and a schema for every body', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => (item as Json)[m]).map((m) => ({
        path,
        method: m,
        op: (item as Json)[m],
      })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(30);
    // Each gap is named, so that a failure says which route lacks what.
    const gaps: string[] = [];
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const success = Object.entries(op.responses as Json).filter(([s]) => /^2\d\d$/.test(s));
      if (success.length === 0) gaps.push(`${where}: no success response`);
      for (const [status, response] of success) {
        if (status === '204') continue;
        const content = Object.values((response as Json).content ?? {}) as Json[];
        if (content.length === 0 || content.some((media) => !media.schema))
          gaps.push(`${where} ${status}: no schema`);
      }
      if (op.responses['4XX']?.$ref !== '#/components/responses/Error')
        gaps.push(`${where}: no error format`);
      // A source's sync and test are actions on it: they take no body.
      const hasBody = ['post', 'put', 'patch'].includes(method) && !/\/(sync|test)$/.test(path);
      if (hasBody && !op.requestBody?.content?.['application/json']?.schema)
        gaps.push(`${where}: no request body schema`);
    }
    expect(gaps).toEqual([]);
    const error = document.components.responses.Error.content['application/json'].schema;
    expect(error).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.schemas.Error.required).toEqual(['error', 'message']);
  });

  it('names the metrics as an enum, the one the server checks', () => {
    expect(document.components.schemas.MetricName.enum).toEqual([...METRIC_NAMES]);
    const metric = document.paths['/api/v1/metrics/{metric}'].get.parameters.find(
      (p: Json) => p.name === 'metric',
    );
    expect(metric.schema.enum).toEqual([...METRIC_NAMES]);
  });

  it('describes every event type, and its samples are the ones the server accepts', async () => {
    const samples: Record<string, Json> = {
      PullRequestEvent: makePullRequest({ id: 'contract-pr', number: 7001 }),
      DeploymentEvent: makeDeployment({ id: 'contract-dep', pull_requests: [7001] }),
      IncidentEvent: makeIncident({ id: 'contract-inc', deployment_id: 'contract-dep' }),
      ModelVersionEvent: makeModelVersion({ id: 'contract-mv', version: '1' }),
      ModelStageEvent: makeModelStage({ id: 'contract-ms', precision: 'registry' }),
    };
    const oneOf = document.components.schemas.Event.oneOf.map((s: Json) => s.$ref);
    expect(oneOf.sort()).toEqual(
      Object.keys(samples)
        .map((id) => `#/components/schemas/${id}`)
        .sort(),
    );
    for (const [id, sample] of Object.entries(samples)) {
      expect({ id, problems: problems(schemaOf(ajv, id), sample) }).toEqual({ id, problems: [] });
      expect({ id, problems: problems(schemaOf(ajv, 'Event'), sample) }).toEqual({
        id,
        problems: [],
      });
      // What the schema refuses, the server refuses.
      expect(problems(schemaOf(ajv, id), { ...sample, colour: 'red' })).not.toEqual([]);
    }
    expect(
      problems(schemaOf(ajv, 'DeploymentEvent'), { ...samples.DeploymentEvent, status: 'ok' }),
    ).not.toEqual([]);
    const batch = { events: Object.values(samples) };
    expect(problems(schemaOf(ajv, 'EventBatch'), batch)).toEqual([]);
    const accepted = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send(batch)
      .expect(200);
    expectConforming('/api/v1/events', 'post', accepted.body);
    expect(accepted.body.accepted).toBe(5);

    const refused = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: [{ ...samples.DeploymentEvent, status: 'ok' }] })
      .expect(400);
    expect(problems(schemaOf(strictAjv, 'Error'), refused.body)).toEqual([]);
  });

  it('describes what the server answers, field for field', async () => {
    const get = async (path: string, query: Json = {}) =>
      (await request(t.http).get(path).query(query).expect(200)).body;
    const range = { from: '2026-02-02', to: '2026-03-30' };

    expectConforming('/api/health', 'get', await get('/api/health'));
    for (const metric of METRIC_NAMES) {
      const body = await get(`/api/v1/metrics/${metric}`, range);
      expectConforming('/api/v1/metrics/{metric}', 'get', body);
    }
    for (const list of [
      '/api/v1/pull-requests',
      '/api/v1/deployments',
      '/api/v1/model-promotions',
    ]) {
      const body = await get(list, range);
      expect({ list, rows: body.items.length > 0 }).toEqual({ list, rows: true });
      expectConforming(list, 'get', body);
    }
    // A repository's first deployment ships no PR (METRICS.md): send an earlier one.
    const first = makeDeployment({
      id: 'contract-dep-first',
      started_at: '2026-03-01T10:00:00Z',
      finished_at: '2026-03-01T10:05:00Z',
    });
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: [first] })
      .expect(200);
    const deployments = await get('/api/v1/deployments', range);
    expect(deployments.items.map((d: Json) => [d.id, d.pull_requests])).toEqual([
      ['contract-dep', 1],
      ['contract-dep-first', 0],
    ]);

    const team = await request(t.http)
      .put('/api/v1/teams/contract')
      .set(admin)
      .send({ repos: ['acme/serving'] })
      .expect(200);
    expectConforming('/api/v1/teams/{name}', 'put', team.body);
    expectConforming('/api/v1/teams', 'get', await get('/api/v1/teams'));

    const decision = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({
        title: 'Contract check',
        kind: 'buy',
        effective_at: '2026-03-01T00:00:00Z',
        scope: { teams: ['contract'] },
      })
      .expect(201);
    expectConforming('/api/v1/decisions', 'post', decision.body, '201');
    expectConforming('/api/v1/decisions', 'get', await get('/api/v1/decisions'));
    const comparisonPath = '/api/v1/decisions/{id}/comparison';
    const comparisons = `/api/v1/decisions/${decision.body.id}/comparison`;
    expectConforming(comparisonPath, 'get', await get(comparisons));
    expectConforming(comparisonPath, 'get', await get(comparisons, { metric: 'pr_cycle_time' }));

    const report = await request(t.http)
      .post('/api/v1/reports')
      .set(admin)
      .send({ week: '2026-W10' })
      .expect(201);
    expectConforming('/api/v1/reports', 'post', report.body, '201');
    expectConforming('/api/v1/reports', 'get', await get('/api/v1/reports'));

    const source = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'mlflow', name: 'contract-mlflow', base_url: 'http://127.0.0.1:9' })
      .expect(201);
    expectConforming('/api/v1/sources', 'post', source.body, '201');
    expectConforming('/api/v1/sources', 'get', await get('/api/v1/sources'));
    expectConforming('/api/v1/sync-runs', 'get', await get('/api/v1/sync-runs'));
    expectConforming('/api/v1/source-kinds', 'get', await get('/api/v1/source-kinds'));
  });
});

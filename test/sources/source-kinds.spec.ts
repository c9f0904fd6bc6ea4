import request from 'supertest';
import type { z } from 'zod';
import { collectors } from '@lastmile/collectors';
import { labelOf } from '../../api/src/sources/source-kinds.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';

// GET /api/v1/source-kinds: each registered kind's fields, read from its zod schema, which is what
// POST /api/v1/sources checks. The fields are compared with the schemas themselves (their keys,
// and what parsing a missing value gives), not with a second list.

interface Field {
  name: string;
  label: string;
  type: string;
  options?: string[];
  required: boolean;
  default?: unknown;
  description: string | null;
  secret_variable: boolean;
}
interface Kind {
  kind: string;
  label: string;
  model_registry: boolean;
  fields: Field[];
}

const READ_TOKEN = 'source-kinds-read-token-0123456789';

describe('GET /api/v1/source-kinds', () => {
  let t: TestApp;
  let kinds: Kind[];
  const kindOf = (name: string) => kinds.find((kind) => kind.kind === name)!;
  const fieldOf = (kind: string, name: string) =>
    kindOf(kind).fields.find((field) => field.name === name)!;
  const send = (body: Record<string, unknown>) =>
    request(t.http).post('/api/v1/sources').set(admin).send(body);

  beforeAll(async () => {
    t = await createTestApp({ LASTMILE_READ_TOKEN: READ_TOKEN });
    kinds = (
      await request(t.http)
        .get('/api/v1/source-kinds')
        .set('Authorization', `Bearer ${READ_TOKEN}`)
        .expect(200)
    ).body.kinds;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a read: the read token or the admin token, nothing without one', async () => {
    await request(t.http).get('/api/v1/source-kinds').expect(401);
    const asAdmin = await request(t.http).get('/api/v1/source-kinds').set(admin).expect(200);
    expect(asAdmin.body.kinds).toEqual(kinds);
    await request(t.http)
      .post('/api/v1/source-kinds')
      .set('Authorization', `Bearer ${READ_TOKEN}`)
      .expect(401);
  });

  it('lists every registered kind in the registry order, with its label and whether it is a registry', () => {
    expect(
      kinds.map(({ kind, label, model_registry }) => ({ kind, label, model_registry })),
    ).toEqual([
      { kind: 'github', label: 'GitHub', model_registry: false },
      { kind: 'gitlab', label: 'GitLab', model_registry: false },
      { kind: 'mlflow', label: 'MLflow', model_registry: true },
      { kind: 'databricks_uc', label: 'Databricks Unity Catalog', model_registry: true },
      { kind: 'sagemaker', label: 'SageMaker Model Registry', model_registry: true },
      { kind: 'vertex_ai', label: 'Vertex AI', model_registry: true },
    ]);
    expect(kinds.map((kind) => kind.kind)).toEqual(collectors.map((collector) => collector.kind));
  });

  it("has every key of each kind's schema but kind, in order, and no other", () => {
    for (const collector of collectors) {
      const keys = Object.keys((collector.schema as unknown as z.ZodObject).shape);
      expect({
        kind: collector.kind,
        fields: kindOf(collector.kind).fields.map((f) => f.name),
      }).toEqual({ kind: collector.kind, fields: keys.filter((key) => key !== 'kind') });
    }
  });

  it('says a field is required, and its default, as the schema parses a missing value', () => {
    for (const collector of collectors) {
      const shape = (collector.schema as unknown as z.ZodObject).shape;
      for (const field of kindOf(collector.kind).fields) {
        const missing = shape[field.name].safeParse(undefined);
        const where = `${collector.kind}.${field.name}`;
        expect({ where, required: field.required }).toEqual({ where, required: !missing.success });
        expect({ where, default: field.default }).toEqual({ where, default: missing.data });
      }
    }
    expect(fieldOf('gitlab', 'schedule').default).toBe('0 */30 * * * *');
    expect(fieldOf('sagemaker', 'production').default).toBe('approved');
    expect(
      kindOf('vertex_ai')
        .fields.filter((f) => f.required)
        .map((f) => f.name),
    ).toEqual(['name', 'project', 'location', 'credentials_env']);
  });

  it('types each field: text, lists of text, one of its options, numbers', () => {
    expect(fieldOf('gitlab', 'projects')).toMatchObject({
      type: 'text_list',
      required: false,
      default: [],
    });
    expect(fieldOf('gitlab', 'deployments_from')).toMatchObject({
      type: 'one_of',
      options: ['deployments', 'pipelines', 'releases'],
      default: 'deployments',
    });
    expect(fieldOf('github', 'api')).toMatchObject({
      label: 'Read through',
      type: 'one_of',
      options: ['graphql', 'rest', 'auto'],
    });
    expect(fieldOf('sagemaker', 'region')).toMatchObject({
      label: 'AWS region',
      type: 'text',
      required: true,
    });
    expect(fieldOf('databricks_uc', 'schemas')).toMatchObject({
      type: 'text_list',
      required: false,
    });
    expect(fieldOf('databricks_uc', 'schemas').default).toBeUndefined();
    expect(
      kinds.flatMap((kind) => kind.fields).every((f) => (f.type === 'one_of') === !!f.options),
    ).toBe(true);
  });

  it('describes every field, and marks the *_env ones as naming a variable that holds a secret', () => {
    for (const kind of kinds) {
      for (const field of kind.fields) {
        const where = `${kind.kind}.${field.name}`;
        expect({ where, described: (field.description ?? '').length > 20 }).toEqual({
          where,
          described: true,
        });
        expect({ where, secret: field.secret_variable }).toEqual({
          where,
          secret: field.name.endsWith('_env'),
        });
      }
    }
    expect(fieldOf('gitlab', 'token_env')).toMatchObject({
      label: 'Token variable',
      type: 'text',
      required: true,
      secret_variable: true,
    });
    expect(fieldOf('gitlab', 'token_env').description).toContain('GITLAB_* or *_TOKEN');
    expect(fieldOf('vertex_ai', 'credentials_env').secret_variable).toBe(true);
    expect(fieldOf('github', 'base_url')).toMatchObject({
      label: 'API URL',
      secret_variable: false,
    });
  });

  it('labels a field or kind with no label of its own after its key', () => {
    expect(labelOf('base_url')).toBe('Base URL');
    expect(labelOf('token_env')).toBe('Token variable');
    expect(labelOf('app_installation_id_env')).toBe('App installation ID variable');
    expect(labelOf('throwaway')).toBe('Throwaway');
  });

  it('a body of the required fields (and a group) is taken, and the defaults listed are what is stored', async () => {
    const created = await send({
      kind: 'gitlab',
      name: 'kinds-gitlab',
      token_env: 'GITLAB_TOKEN',
      group: 'acme',
    }).expect(201);
    const defaults = kindOf('gitlab').fields.filter((field) => field.default !== undefined);
    expect(defaults.map((field) => field.name)).toContain('projects');
    for (const field of defaults) expect(created.body[field.name]).toEqual(field.default);
  });

  it('PATCH: null takes a field out (an optional one unset, a default back), a required one is a 400 naming it', async () => {
    const created = await send({
      kind: 'sagemaker',
      name: 'kinds-sagemaker',
      region: 'eu-west-1',
      endpoint_url: 'http://127.0.0.1:9',
      schedule: '0 0 * * * *',
    }).expect(201);
    const patched = await request(t.http)
      .patch(`/api/v1/sources/${created.body.id}`)
      .set(admin)
      .send({ endpoint_url: null, schedule: null })
      .expect(200);
    expect(patched.body.endpoint_url).toBeUndefined();
    expect(patched.body.schedule).toBe(fieldOf('sagemaker', 'schedule').default);
    const stored = await t.dataSource.query(`SELECT config FROM sources WHERE id = $1`, [
      created.body.id,
    ]);
    expect(stored[0].config).not.toHaveProperty('endpoint_url');
    const refused = await request(t.http)
      .patch(`/api/v1/sources/${created.body.id}`)
      .set(admin)
      .send({ region: null })
      .expect(400);
    expect(refused.body.details.map((d: { path: string }) => d.path)).toEqual(['region']);
    const unchanged = await request(t.http)
      .get(`/api/v1/sources/${created.body.id}`)
      .set(admin)
      .expect(200);
    expect(unchanged.body.region).toBe('eu-west-1');
  });
});

import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { DatabricksUcStandIn } from '../support/databricks-uc-stand-in.js';
import { emptyProject, GitlabStandIn } from '../support/gitlab-stand-in.js';
import { SagemakerStandIn } from '../support/sagemaker-stand-in.js';
import { VertexAiStandIn } from '../support/vertex-ai-stand-in.js';

// POST /api/v1/sources/{id}/test for GitLab, Unity Catalog, SageMaker and Vertex AI: each kind's
// check (<kind>.check.ts) goes through the collector's own client to a local stand-in, and says
// which step worked and, for the one that did not, why.

const KEY_ID = 'AKIASTANDIN000000001';
const AWS_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const saved: Record<string, string | undefined> = {};

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('checking GitLab and model registry sources', () => {
  let t: TestApp;
  let gitlab: GitlabStandIn;
  let uc: DatabricksUcStandIn;
  let sm: SagemakerStandIn;
  let otherAccount: SagemakerStandIn;
  let vertex: VertexAiStandIn;
  beforeAll(async () => {
    // The AWS SDK reads its credentials from the process's environment, as in production.
    for (const [name, value] of Object.entries(AWS_ENV)) {
      saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    gitlab = await new GitlabStandIn().start();
    gitlab.projects.set('acme/serving', emptyProject(42, 'acme/serving'));
    uc = await new DatabricksUcStandIn('dapi-stand-in').start();
    uc.createModel('main.ml.churn');
    sm = await new SagemakerStandIn('us-east-1', KEY_ID).start();
    sm.createModel('churn');
    otherAccount = await new SagemakerStandIn('us-east-1', 'AKIAOTHERACCOUNT0001').start();
    vertex = await new VertexAiStandIn('acme-ml', 'us-central1').start();
    vertex.createModel('churn');
    t = await createTestApp({
      GITLAB_CHECK_TOKEN: gitlab.token,
      GITLAB_CHECK_EXPIRED: 'glpat-expired',
      DATABRICKS_CHECK_TOKEN: 'dapi-stand-in',
      DATABRICKS_CHECK_WRONG: 'dapi-revoked',
      VERTEX_KEY_FILE: vertex.writeKeyFile(mkdtempSync(join(tmpdir(), 'vertex-key-'))),
    });
  });
  afterAll(async () => {
    await t.close();
    await gitlab.close();
    await uc.stop();
    await sm.stop();
    await otherAccount.stop();
    await vertex.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  let count = 0;
  const check = async (body: Record<string, unknown>) => {
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ name: `kind-check-${++count}`, ...body })
      .expect(201);
    return (await request(t.http).post(`/api/v1/sources/${created.body.id}/test`).set(admin))
      .body as { ok: boolean; steps: { step: string; ok: boolean; message: string }[] };
  };

  it('GitLab: a project the token reads passes every step', async () => {
    expect(
      await check({
        kind: 'gitlab',
        base_url: gitlab.url,
        token_env: 'GITLAB_CHECK_TOKEN',
        projects: ['acme/serving'],
      }),
    ).toEqual({
      ok: true,
      steps: [
        { step: 'credentials', ok: true, message: 'GITLAB_CHECK_TOKEN set' },
        { step: 'reach', ok: true, message: `${new URL(gitlab.url).host} answered` },
        { step: 'auth', ok: true, message: 'GitLab accepted the token' },
        { step: 'access', ok: true, message: 'can read acme/serving' },
      ],
    });
  });

  it('GitLab: an expired token is a 401, a missing project a 404 naming it', async () => {
    const expired = await check({
      kind: 'gitlab',
      base_url: gitlab.url,
      token_env: 'GITLAB_CHECK_EXPIRED',
      projects: ['acme/serving'],
    });
    expect(expired.ok).toBe(false);
    expect(expired.steps.at(-1)).toEqual({
      step: 'auth',
      ok: false,
      message: '401 from GitLab: the token is invalid or expired',
    });
    const missing = await check({
      kind: 'gitlab',
      base_url: gitlab.url,
      token_env: 'GITLAB_CHECK_TOKEN',
      projects: ['acme/missing'],
    });
    expect(missing.steps.at(-1)).toEqual({
      step: 'access',
      ok: false,
      message: '404 from GitLab: acme/missing does not exist or the token cannot read it',
    });
  });

  it('GitLab: a token variable that is not set is named', async () => {
    expect(
      await check({
        kind: 'gitlab',
        base_url: gitlab.url,
        token_env: 'GITLAB_CHECK_UNSET',
        projects: ['acme/serving'],
      }),
    ).toEqual({
      ok: false,
      steps: [
        {
          step: 'credentials',
          ok: false,
          message: "GITLAB_CHECK_UNSET is not set in the server's environment",
        },
      ],
    });
  });

  it("Unity Catalog: lists a schema's models with its token, refused with a revoked one", async () => {
    const good = await check({
      kind: 'databricks_uc',
      host: uc.url,
      token_env: 'DATABRICKS_CHECK_TOKEN',
      schemas: ['main.ml'],
    });
    expect(good).toEqual({
      ok: true,
      steps: [
        { step: 'credentials', ok: true, message: 'DATABRICKS_CHECK_TOKEN set' },
        { step: 'reach', ok: true, message: `${new URL(uc.url).host} answered` },
        { step: 'auth', ok: true, message: 'Databricks accepted the token' },
        { step: 'access', ok: true, message: 'can list the models in main.ml' },
      ],
    });
    const wrong = await check({
      kind: 'databricks_uc',
      host: uc.url,
      token_env: 'DATABRICKS_CHECK_WRONG',
      schemas: ['main.ml'],
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.steps.at(-1)).toEqual({
      step: 'auth',
      ok: false,
      message: '401 from Databricks: the token is invalid or expired',
    });
  });

  it('Unity Catalog: a listing refused with 403 names the privileges it needs', async () => {
    uc.fail({ match: /^GET \/api\/2\.1\/unity-catalog\/models$/, status: 403 });
    const refused = await check({
      kind: 'databricks_uc',
      host: uc.url,
      token_env: 'DATABRICKS_CHECK_TOKEN',
      catalogs: ['main'],
    });
    expect(refused.steps.slice(-2)).toEqual([
      { step: 'auth', ok: true, message: 'Databricks accepted the token' },
      {
        step: 'access',
        ok: false,
        message:
          "403 from Unity Catalog: listing the metastore's models is refused (the token's principal needs USE CATALOG and USE SCHEMA on the catalogs and schemas, and EXECUTE on the models)",
      },
    ]);
  });

  it('SageMaker: lists the package groups with the credentials the SDK finds', async () => {
    expect(await check({ kind: 'sagemaker', region: 'us-east-1', endpoint_url: sm.url })).toEqual({
      ok: true,
      steps: [
        { step: 'credentials', ok: true, message: 'the AWS SDK found credentials' },
        { step: 'reach', ok: true, message: `${new URL(sm.url).host} answered` },
        { step: 'auth', ok: true, message: 'AWS accepted the credentials' },
        { step: 'access', ok: true, message: 'can list the model package groups' },
      ],
    });
  });

  it("SageMaker: another account's key is not recognised; a denied list names the permission", async () => {
    const unknown = await check({
      kind: 'sagemaker',
      region: 'us-east-1',
      endpoint_url: otherAccount.url,
    });
    expect(unknown.ok).toBe(false);
    expect(unknown.steps.at(-1)).toEqual({
      step: 'auth',
      ok: false,
      message: 'UnrecognizedClientException from AWS: the credentials are invalid or expired',
    });
    sm.denied.add('ListModelPackageGroups');
    try {
      const denied = await check({ kind: 'sagemaker', region: 'us-east-1', endpoint_url: sm.url });
      expect(denied.steps.at(-1)).toEqual({
        step: 'access',
        ok: false,
        message:
          'AccessDeniedException from SageMaker: the credentials need the permission sagemaker:ListModelPackageGroups',
      });
    } finally {
      sm.denied.delete('ListModelPackageGroups');
    }
  });

  it("Vertex AI: the key file's token lists the project's models", async () => {
    expect(
      await check({
        kind: 'vertex_ai',
        project: 'acme-ml',
        location: 'us-central1',
        api_endpoint: vertex.url,
        credentials_env: 'VERTEX_KEY_FILE',
      }),
    ).toEqual({
      ok: true,
      steps: [
        {
          step: 'credentials',
          ok: true,
          message: 'VERTEX_KEY_FILE names a key file, exchanged for an access token',
        },
        { step: 'reach', ok: true, message: `${new URL(vertex.url).host} answered` },
        { step: 'auth', ok: true, message: 'Vertex AI accepted the access token' },
        {
          step: 'access',
          ok: true,
          message: 'can list the models of project acme-ml in us-central1',
        },
      ],
    });
  });

  it('Vertex AI: a refused grant and a rejected access token each fail their step', async () => {
    const body = {
      kind: 'vertex_ai',
      project: 'acme-ml',
      location: 'us-central1',
      api_endpoint: vertex.url,
      credentials_env: 'VERTEX_KEY_FILE',
    };
    vertex.refuseGrant = true;
    try {
      expect((await check(body)).steps.at(-1)).toEqual({
        step: 'auth',
        ok: false,
        message:
          "400 from the token endpoint: the service account's key is invalid, disabled or deleted",
      });
    } finally {
      vertex.refuseGrant = false;
    }
    vertex.rejectAccessTokens = true;
    try {
      const rejected = await check(body);
      expect(rejected.ok).toBe(false);
      expect(rejected.steps.at(-1)).toEqual({
        step: 'auth',
        ok: false,
        message: '401 from Vertex AI: the access token is invalid or expired',
      });
    } finally {
      vertex.rejectAccessTokens = false;
    }
  });

  it.each([
    [
      'gitlab',
      (url: string) => ({ base_url: url, token_env: 'GITLAB_CHECK_TOKEN', projects: ['a/b'] }),
    ],
    ['databricks_uc', (url: string) => ({ host: url, token_env: 'DATABRICKS_CHECK_TOKEN' })],
    ['sagemaker', (url: string) => ({ region: 'us-east-1', endpoint_url: url })],
    [
      'vertex_ai',
      (url: string) => ({
        project: 'acme-ml',
        location: 'us-central1',
        api_endpoint: url,
        credentials_env: 'VERTEX_KEY_FILE',
      }),
    ],
  ])('%s: a service nothing answers at cannot be reached, and says why', async (kind, fields) => {
    const port = await closedPort();
    const result = await check({ kind, ...fields(`http://127.0.0.1:${port}`) });
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toEqual({
      step: 'reach',
      ok: false,
      message: `cannot reach 127.0.0.1:${port}: the connection was refused`,
    });
  });
});

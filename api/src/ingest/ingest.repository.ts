import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { firstCommitAt, firstReviewAt, isBotLogin } from '../linking/pull-request-firsts.js';
import { productionRule } from './production-rule.js';
import type {
  DeploymentEvent,
  IncidentEvent,
  LastmileEvent,
  ModelStageEvent,
  ModelVersionEvent,
  PullRequestEvent,
} from '@lastmile/collectors';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What a batch changed, for the linking step to re-derive. */
export interface AffectedScope {
  pullRequestIds: number[];
  deploymentIds: number[];
  incidentIds: number[];
  repos: Set<string>;
  models: Set<string>;
}

interface ChangedRow {
  id: string;
  native_id: string;
  source: string;
  inserted: boolean;
}

const DEFAULT_SOURCE = 'api';

/** Where the raw payloads of the types kept apart from their rows are (migration 1765000000000). */
export const PAYLOAD_TABLES = {
  pull_request: { rows: 'pull_requests', table: 'pull_request_payloads', key: 'pull_request_id' },
  deployment: { rows: 'deployments', table: 'deployment_payloads', key: 'deployment_id' },
} as const;

/** JSON with object keys sorted, so the same event hashes the same whatever its key order. Written
 * out by hand: it runs for every ingested event, and the entries/sort/map version was a third of
 * the API's time on a batch of 10,000 events. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i > 0 ? ',' : '') + stableJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${stableJson(item)}`;
  }
  return `${out}}`;
}

/** The hash of an event's stable JSON; one-shot: a Hash object per event cost twice the hashing. */
const contentHash = (json: string) => hash('sha1', json, 'base64');

const keyOf = (source: string, nativeId: string) => `${source}\u0000${nativeId}`;

const pullRequestRow = (e: PullRequestEvent, json: string) => ({
  source: e.source ?? DEFAULT_SOURCE,
  native_id: e.id,
  repo: e.repo,
  number: e.number,
  title: e.title ?? null,
  author: e.author ?? null,
  author_is_bot: isBotLogin(e.author, e.author_is_bot),
  created_at: e.created_at,
  merged_at: e.merged_at ?? null,
  closed_at: e.closed_at ?? null,
  merge_commit_sha: e.merge_commit_sha ?? null,
  base_branch: e.base_branch ?? null,
  draft: e.draft ?? false,
  stated_first_commit_at: e.first_commit_at ?? null,
  stated_first_review_at: e.first_review_at ?? null,
  first_commit_at: firstCommitAt(e),
  first_review_at: firstReviewAt(e),
  content_hash: contentHash(json),
});

const deploymentRow = (e: DeploymentEvent, json: string) => ({
  source: e.source ?? DEFAULT_SOURCE,
  native_id: e.id,
  repo: (e.repo ?? e.service) as string,
  environment: e.environment,
  // set when the batch is written: the rule is read under the linking lock
  is_production: false,
  sha: e.sha,
  status: e.status,
  started_at: e.started_at ?? null,
  finished_at: e.finished_at,
  fixes_native_id: e.fixes ?? null,
  stated_commits: e.commits !== undefined,
  stated_pull_requests: e.pull_requests !== undefined,
  content_hash: contentHash(json),
});

const incidentRow = (e: IncidentEvent, json: string) => ({
  source: e.source ?? DEFAULT_SOURCE,
  native_id: e.id,
  repo: e.repo ?? e.service ?? null,
  team: e.team ?? null,
  title: e.title ?? null,
  created_at: e.created_at,
  resolved_at: e.resolved_at ?? null,
  stated_deployment_id: e.deployment_id ?? null,
  content_hash: contentHash(json),
  raw: e,
});

const modelVersionRow = (e: ModelVersionEvent, json: string) => ({
  source: e.source ?? DEFAULT_SOURCE,
  native_id: e.id,
  registry: e.registry,
  model: e.model,
  version: e.version,
  created_at: e.created_at,
  run_id: e.run_id ?? null,
  run_started_at: e.run_started_at ?? null,
  current_stage: e.registry_state?.stage ?? null,
  aliases: e.registry_state?.aliases ?? [],
  last_updated_at: e.registry_state?.last_updated_at ?? null,
  deleted_at: e.registry_state?.deleted_at ?? null,
  content_hash: contentHash(json),
  raw: e,
});

const modelStageRow = (e: ModelStageEvent, json: string) => ({
  source: e.source ?? DEFAULT_SOURCE,
  native_id: e.id,
  registry: e.registry,
  model: e.model,
  version: e.version,
  action: e.action,
  environment: e.environment ?? 'production',
  at: e.at,
  at_precision: e.precision ?? 'exact',
  precision_seconds: e.precision_seconds ?? null,
  content_hash: contentHash(json),
  raw: e,
});

/** A type's events and their rows, built before the batch takes the linking lock. */
export interface PreparedRows<E, R = unknown> {
  events: E[];
  rows: R[];
  /** The rows as the upsert's parameter; deployments' is made when written (see deploymentRow). */
  json: string;
  /** Each event's stable JSON (its hash's input), for the types whose payloads are kept apart
   * (writePayloads): jsonb keeps no key order, so it is the same payload as the request's. */
  payloads: string[];
}

/** What a batch writes, built without the database: the CPU part of a write. */
export interface PreparedBatch {
  size: number;
  /** Events of the batch left out because a later one has the same key. */
  duplicates: number;
  pullRequests: PreparedRows<PullRequestEvent, ReturnType<typeof pullRequestRow>>;
  deployments: PreparedRows<DeploymentEvent, ReturnType<typeof deploymentRow>>;
  incidents: PreparedRows<IncidentEvent, ReturnType<typeof incidentRow>>;
  modelVersions: PreparedRows<ModelVersionEvent, ReturnType<typeof modelVersionRow>>;
  modelStages: PreparedRows<ModelStageEvent, ReturnType<typeof modelStageRow>>;
}

function prepareRows<E, R>(
  events: E[],
  toRow: (event: E, json: string) => R,
  { json = true, payloadsApart = false } = {},
): PreparedRows<E, R> {
  const texts = events.map(stableJson);
  const rows = events.map((event, index) => toRow(event, texts[index]));
  return {
    events,
    rows,
    json: json && rows.length > 0 ? JSON.stringify(rows) : '',
    payloads: payloadsApart ? texts : [],
  };
}

/**
 * Builds a batch's rows: content hashes, PR firsts and the statements' parameters. Done before the
 * batch waits for the linking lock, so that batches sent side by side build theirs while another
 * one writes; inside the lock, it was a quarter of the API's busy time per batch (CPU profile).
 */
export function prepareBatch(events: LastmileEvent[]): PreparedBatch {
  const latest = new Map<string, LastmileEvent>();
  // Within one batch, a later version of the same event replaces an earlier one.
  for (const event of events)
    latest.set(`${event.type}\u0000${event.source ?? DEFAULT_SOURCE}\u0000${event.id}`, event);
  const byType: { [K in LastmileEvent['type']]: Extract<LastmileEvent, { type: K }>[] } = {
    pull_request: [],
    deployment: [],
    incident: [],
    model_version: [],
    model_stage: [],
  };
  for (const event of latest.values()) (byType[event.type] as LastmileEvent[]).push(event);
  return {
    size: events.length,
    duplicates: events.length - latest.size,
    pullRequests: prepareRows(byType.pull_request, pullRequestRow, { payloadsApart: true }),
    deployments: prepareRows(byType.deployment, deploymentRow, {
      json: false,
      payloadsApart: true,
    }),
    incidents: prepareRows(byType.incident, incidentRow),
    modelVersions: prepareRows(byType.model_version, modelVersionRow),
    modelStages: prepareRows(byType.model_stage, modelStageRow),
  };
}

/**
 * Writes the raw payloads of the rows an upsert inserted or changed into their table (migration
 * 1765000000000), keyed by the row's id: one JSON document of the changed rows' events, zipped
 * with their ids, each element parsed into jsonb on its own. Parsing the whole document as jsonb
 * first copied every element out of it again: 104-115 ms against 86-89 ms for 7,000 PR payloads
 * in psql. (An array of texts, one per payload, took 65 ms in psql, but escaping it for the
 * array's text form cost the API more than that.) The upsert's own parameter leaves the payloads
 * out, so it stays small and is streamed once: with them in it, it was materialized to be joined
 * back to the changed rows, and the API's peak memory on 1,000,000 events was 273 MB against
 * 249 MB this way.
 */
async function writePayloads(
  manager: EntityManager,
  payloads: { table: string; key: string },
  prepared: PreparedRows<LastmileEvent>,
  idByKey: Map<string, string>,
): Promise<void> {
  const ids: string[] = [];
  const documents: string[] = [];
  prepared.events.forEach((event, index) => {
    const id = idByKey.get(keyOf(event.source ?? DEFAULT_SOURCE, event.id));
    if (id === undefined) return;
    ids.push(id);
    documents.push(prepared.payloads[index]);
  });
  if (ids.length === 0) return;
  await manager.query(
    `INSERT INTO ${payloads.table} (${payloads.key}, raw)
     SELECT payload.id, payload.raw::jsonb
     FROM ROWS FROM (unnest($1::bigint[]), json_array_elements($2::json)) AS payload (id, raw)
     ON CONFLICT (${payloads.key}) DO UPDATE SET raw = excluded.raw`,
    [ids, `[${documents.join(',')}]`],
  );
}

/**
 * Idempotent upserts of normalized events. Each type is written with one statement per batch
 * (rows passed as one jsonb parameter); a row whose content hash is unchanged is not touched.
 */
@Injectable()
export class IngestRepository {
  async upsertPullRequests(
    manager: EntityManager,
    batch: PreparedRows<PullRequestEvent>,
    affected: AffectedScope,
  ): Promise<UpsertCounts> {
    const { events } = batch;
    if (events.length === 0) return emptyCounts();
    const changed: ChangedRow[] = await manager.query(
      `INSERT INTO pull_requests AS t (source, native_id, repo, number, title, author, author_is_bot,
         created_at, merged_at, closed_at, merge_commit_sha, base_branch, draft,
         stated_first_commit_at, stated_first_review_at, first_commit_at, first_review_at, content_hash)
       SELECT x.source, x.native_id, x.repo, x.number, x.title, x.author, x.author_is_bot,
         x.created_at, x.merged_at, x.closed_at, x.merge_commit_sha, x.base_branch, x.draft,
         x.stated_first_commit_at, x.stated_first_review_at, x.first_commit_at, x.first_review_at,
         x.content_hash
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, repo text, number int,
         title text, author text, author_is_bot boolean, created_at timestamptz, merged_at timestamptz,
         closed_at timestamptz, merge_commit_sha text, base_branch text, draft boolean,
         stated_first_commit_at timestamptz, stated_first_review_at timestamptz,
         first_commit_at timestamptz, first_review_at timestamptz, content_hash text)
       ON CONFLICT (source, native_id) DO UPDATE SET
         repo = excluded.repo, number = excluded.number, title = excluded.title, author = excluded.author,
         author_is_bot = excluded.author_is_bot, created_at = excluded.created_at,
         merged_at = excluded.merged_at, closed_at = excluded.closed_at,
         merge_commit_sha = excluded.merge_commit_sha, base_branch = excluded.base_branch,
         draft = excluded.draft, stated_first_commit_at = excluded.stated_first_commit_at,
         stated_first_review_at = excluded.stated_first_review_at,
         first_commit_at = excluded.first_commit_at, first_review_at = excluded.first_review_at,
         content_hash = excluded.content_hash, updated_at = now()
       WHERE t.content_hash <> excluded.content_hash
       RETURNING t.id, t.source, t.native_id, (t.xmax = 0) AS inserted`,
      [batch.json],
    );
    if (changed.length === 0) return countsOf(events.length, changed);

    const idByKey = new Map(changed.map((row) => [keyOf(row.source, row.native_id), row.id]));
    await writePayloads(manager, PAYLOAD_TABLES.pull_request, batch, idByKey);
    // Only rows that existed before can have lists to replace; a new row has none yet.
    const ids = changed.filter((row) => !row.inserted).map((row) => row.id);
    // Lists go in as one array per column: a jsonb document of 16,000 reviews took twice as long to
    // parse as the same values as arrays.
    const commits = {
      prId: [] as string[],
      sha: [] as string[],
      authoredAt: [] as (string | null)[],
    };
    const reviews = {
      prId: [] as string[],
      ordinal: [] as number[],
      author: [] as (string | null)[],
      isBot: [] as boolean[],
      submittedAt: [] as string[],
      state: [] as (string | null)[],
      kind: [] as string[],
    };
    for (const event of events) {
      const prId = idByKey.get(keyOf(event.source ?? DEFAULT_SOURCE, event.id));
      if (prId === undefined) continue;
      affected.pullRequestIds.push(Number(prId));
      affected.repos.add(event.repo);
      for (const commit of event.commits ?? []) {
        commits.prId.push(prId);
        commits.sha.push(commit.sha);
        commits.authoredAt.push(commit.authored_at ?? null);
      }
      (event.reviews ?? []).forEach((review, ordinal) => {
        reviews.prId.push(prId);
        reviews.ordinal.push(ordinal);
        reviews.author.push(review.author);
        reviews.isBot.push(isBotLogin(review.author, review.author_is_bot));
        reviews.submittedAt.push(review.submitted_at);
        reviews.state.push(review.state ?? null);
        reviews.kind.push(review.state ? 'review' : 'comment');
      });
    }
    // Lists replace what was stored: a later version of an event replaces the earlier one.
    if (ids.length > 0) {
      await manager.query(`DELETE FROM pr_commits WHERE pull_request_id = ANY($1::bigint[])`, [
        ids,
      ]);
      await manager.query(`DELETE FROM pr_reviews WHERE pull_request_id = ANY($1::bigint[])`, [
        ids,
      ]);
    }
    if (commits.prId.length > 0) {
      await manager.query(
        `INSERT INTO pr_commits (pull_request_id, sha, authored_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[])
         ON CONFLICT DO NOTHING`,
        [commits.prId, commits.sha, commits.authoredAt],
      );
    }
    if (reviews.prId.length > 0) {
      await manager.query(
        `INSERT INTO pr_reviews (pull_request_id, ordinal, author, author_is_bot, submitted_at, state, kind)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::boolean[], $5::timestamptz[],
           $6::text[], $7::text[])`,
        [
          reviews.prId,
          reviews.ordinal,
          reviews.author,
          reviews.isBot,
          reviews.submittedAt,
          reviews.state,
          reviews.kind,
        ],
      );
    }
    return countsOf(events.length, changed);
  }

  async upsertDeployments(
    manager: EntityManager,
    batch: PreparedRows<DeploymentEvent, ReturnType<typeof deploymentRow>>,
    affected: AffectedScope,
    config: Pick<AppConfig, 'file' | 'collectors'>,
  ): Promise<UpsertCounts> {
    const { events } = batch;
    if (events.length === 0) return emptyCounts();
    const isProduction = await productionRule(
      manager,
      events.map((e) => e.source ?? DEFAULT_SOURCE),
      config,
    );
    const rows = batch.rows;
    for (const [index, e] of events.entries())
      rows[index].is_production = isProduction(e.source ?? DEFAULT_SOURCE, e.environment);
    const changed: ChangedRow[] = await manager.query(
      `INSERT INTO deployments AS t (source, native_id, repo, environment, is_production, sha, status,
         started_at, finished_at, fixes_native_id, stated_commits, stated_pull_requests, content_hash)
       SELECT x.source, x.native_id, x.repo, x.environment, x.is_production, x.sha, x.status,
         x.started_at, x.finished_at, x.fixes_native_id, x.stated_commits, x.stated_pull_requests,
         x.content_hash
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, repo text, environment text,
         is_production boolean, sha text, status text, started_at timestamptz, finished_at timestamptz,
         fixes_native_id text, stated_commits boolean, stated_pull_requests boolean, content_hash text)
       ON CONFLICT (source, native_id) DO UPDATE SET
         repo = excluded.repo, environment = excluded.environment, is_production = excluded.is_production,
         sha = excluded.sha, status = excluded.status, started_at = excluded.started_at,
         finished_at = excluded.finished_at, fixes_native_id = excluded.fixes_native_id,
         stated_commits = excluded.stated_commits, stated_pull_requests = excluded.stated_pull_requests,
         content_hash = excluded.content_hash, updated_at = now()
       WHERE t.content_hash <> excluded.content_hash
       RETURNING t.id, t.source, t.native_id, (t.xmax = 0) AS inserted`,
      [JSON.stringify(rows)],
    );
    if (changed.length === 0) return countsOf(events.length, changed);

    const idByKey = new Map(changed.map((row) => [keyOf(row.source, row.native_id), row.id]));
    await writePayloads(manager, PAYLOAD_TABLES.deployment, batch, idByKey);
    // Only rows that existed before can have lists to replace; a new row has none yet.
    const ids = changed.filter((row) => !row.inserted).map((row) => row.id);
    const commits = { deploymentId: [] as string[], sha: [] as string[] };
    const prs = { deploymentId: [] as string[], repo: [] as string[], number: [] as number[] };
    for (const event of events) {
      const deploymentId = idByKey.get(keyOf(event.source ?? DEFAULT_SOURCE, event.id));
      if (deploymentId === undefined) continue;
      affected.deploymentIds.push(Number(deploymentId));
      const repo = (event.repo ?? event.service) as string;
      affected.repos.add(repo);
      for (const sha of event.commits ?? []) {
        commits.deploymentId.push(deploymentId);
        commits.sha.push(sha);
      }
      for (const pr of event.pull_requests ?? []) {
        prs.deploymentId.push(deploymentId);
        prs.repo.push(repo);
        prs.number.push(pr);
      }
    }
    if (ids.length > 0) {
      await manager.query(
        `DELETE FROM deployment_commits WHERE deployment_id = ANY($1::bigint[])`,
        [ids],
      );
      await manager.query(
        `DELETE FROM deployment_pull_requests WHERE deployment_id = ANY($1::bigint[])`,
        [ids],
      );
    }
    if (commits.deploymentId.length > 0) {
      await manager.query(
        `INSERT INTO deployment_commits (deployment_id, sha)
         SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
        [commits.deploymentId, commits.sha],
      );
    }
    if (prs.deploymentId.length > 0) {
      await manager.query(
        `INSERT INTO deployment_pull_requests (deployment_id, repo, pr_number)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
        [prs.deploymentId, prs.repo, prs.number],
      );
    }
    return countsOf(events.length, changed);
  }

  async upsertIncidents(
    manager: EntityManager,
    batch: PreparedRows<IncidentEvent, ReturnType<typeof incidentRow>>,
    affected: AffectedScope,
  ): Promise<UpsertCounts> {
    const { events, rows } = batch;
    if (events.length === 0) return emptyCounts();
    const changed: ChangedRow[] = await manager.query(
      `INSERT INTO incidents AS t (source, native_id, repo, team, title, created_at, resolved_at,
         stated_deployment_id, content_hash, raw)
       SELECT x.source, x.native_id, x.repo, x.team, x.title, x.created_at, x.resolved_at,
         x.stated_deployment_id, x.content_hash, x.raw
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, repo text, team text,
         title text, created_at timestamptz, resolved_at timestamptz, stated_deployment_id text,
         content_hash text, raw jsonb)
       ON CONFLICT (source, native_id) DO UPDATE SET
         repo = excluded.repo, team = excluded.team, title = excluded.title,
         created_at = excluded.created_at, resolved_at = excluded.resolved_at,
         stated_deployment_id = excluded.stated_deployment_id,
         content_hash = excluded.content_hash, raw = excluded.raw, updated_at = now()
       WHERE t.content_hash <> excluded.content_hash
       RETURNING t.id, t.source, t.native_id, (t.xmax = 0) AS inserted`,
      [batch.json],
    );
    for (const row of changed) affected.incidentIds.push(Number(row.id));
    for (const row of rows) if (row.repo) affected.repos.add(row.repo);
    return countsOf(events.length, changed);
  }

  async upsertModelVersions(
    manager: EntityManager,
    batch: PreparedRows<ModelVersionEvent, ReturnType<typeof modelVersionRow>>,
    affected: AffectedScope,
  ): Promise<UpsertCounts> {
    const { events, rows } = batch;
    if (events.length === 0) return emptyCounts();
    await this.upsertModels(manager, rows);
    await this.addMovedModels(manager, 'model_versions', rows, affected);
    const changed: ChangedRow[] = await manager.query(
      `INSERT INTO model_versions AS t (source, native_id, registry, model, version, created_at, run_id,
         run_started_at, current_stage, aliases, last_updated_at, deleted_at, content_hash, raw)
       SELECT x.source, x.native_id, x.registry, x.model, x.version, x.created_at, x.run_id,
         x.run_started_at, x.current_stage, ARRAY(SELECT jsonb_array_elements_text(x.aliases)),
         x.last_updated_at, x.deleted_at, x.content_hash, x.raw
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, registry text, model text,
         version text, created_at timestamptz, run_id text, run_started_at timestamptz, current_stage text,
         aliases jsonb, last_updated_at timestamptz, deleted_at timestamptz, content_hash text, raw jsonb)
       ON CONFLICT (source, native_id) DO UPDATE SET
         registry = excluded.registry, model = excluded.model, version = excluded.version,
         created_at = excluded.created_at, run_id = excluded.run_id, run_started_at = excluded.run_started_at,
         -- The registry's present state comes only from registry collectors (registry_state); an event
         -- without it (the ingest API) leaves what a collector recorded.
         current_stage = CASE WHEN excluded.raw ? 'registry_state' THEN excluded.current_stage ELSE t.current_stage END,
         aliases = CASE WHEN excluded.raw ? 'registry_state' THEN excluded.aliases ELSE t.aliases END,
         last_updated_at = CASE WHEN excluded.raw ? 'registry_state' THEN excluded.last_updated_at ELSE t.last_updated_at END,
         deleted_at = CASE WHEN excluded.raw ? 'registry_state' THEN excluded.deleted_at ELSE t.deleted_at END,
         content_hash = excluded.content_hash, raw = excluded.raw, updated_at = now()
       WHERE t.content_hash <> excluded.content_hash
       RETURNING t.id, t.source, t.native_id, (t.xmax = 0) AS inserted`,
      [batch.json],
    );
    for (const row of rows) affected.models.add(`${row.registry}/${row.model}`);
    return countsOf(events.length, changed);
  }

  async upsertModelStages(
    manager: EntityManager,
    batch: PreparedRows<ModelStageEvent, ReturnType<typeof modelStageRow>>,
    affected: AffectedScope,
  ): Promise<UpsertCounts> {
    const { events, rows } = batch;
    if (events.length === 0) return emptyCounts();
    await this.upsertModels(manager, rows);
    await this.addMovedModels(manager, 'model_stage_events', rows, affected);
    const changed: ChangedRow[] = await manager.query(
      `INSERT INTO model_stage_events AS t (source, native_id, registry, model, version, action,
         environment, at, at_precision, precision_seconds, content_hash, raw)
       SELECT x.source, x.native_id, x.registry, x.model, x.version, x.action, x.environment, x.at,
         x.at_precision, x.precision_seconds, x.content_hash, x.raw
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, registry text, model text,
         version text, action text, environment text, at timestamptz, at_precision text,
         precision_seconds int, content_hash text, raw jsonb)
       ON CONFLICT (source, native_id) DO UPDATE SET
         registry = excluded.registry, model = excluded.model, version = excluded.version,
         action = excluded.action, environment = excluded.environment, at = excluded.at,
         at_precision = excluded.at_precision, precision_seconds = excluded.precision_seconds,
         content_hash = excluded.content_hash, raw = excluded.raw, updated_at = now()
       WHERE t.content_hash <> excluded.content_hash
       RETURNING t.id, t.source, t.native_id, (t.xmax = 0) AS inserted`,
      [batch.json],
    );
    for (const row of rows) affected.models.add(`${row.registry}/${row.model}`);
    return countsOf(events.length, changed);
  }

  /**
   * A row sent again under another model (a registry collector's rename keeps the row's id) leaves
   * its old model: that model is affected too, so its derived rows are rebuilt without it.
   */
  private async addMovedModels(
    manager: EntityManager,
    table: 'model_versions' | 'model_stage_events',
    rows: { source: string; native_id: string; registry: string; model: string }[],
    affected: AffectedScope,
  ): Promise<void> {
    const keys = rows.map((r) => ({
      source: r.source,
      native_id: r.native_id,
      registry: r.registry,
      model: r.model,
    }));
    const moved: { registry: string; model: string }[] = await manager.query(
      `SELECT DISTINCT t.registry, t.model
       FROM ${table} t
       JOIN jsonb_to_recordset($1::jsonb) AS x(source text, native_id text, registry text, model text)
         ON t.source = x.source AND t.native_id = x.native_id
       WHERE t.registry <> x.registry OR t.model <> x.model`,
      [JSON.stringify(keys)],
    );
    for (const row of moved) affected.models.add(`${row.registry}/${row.model}`);
  }

  private async upsertModels(
    manager: EntityManager,
    rows: { registry: string; model: string }[],
  ): Promise<void> {
    const distinct = [...new Map(rows.map((r) => [`${r.registry}\u0000${r.model}`, r])).values()];
    await manager.query(
      `WITH x AS (SELECT DISTINCT registry, model FROM jsonb_to_recordset($1::jsonb) AS x(registry text, model text)),
       r AS (INSERT INTO registries (name) SELECT DISTINCT registry FROM x ON CONFLICT DO NOTHING)
       INSERT INTO models (registry, name) SELECT registry, model FROM x ON CONFLICT DO NOTHING`,
      [JSON.stringify(distinct.map((r) => ({ registry: r.registry, model: r.model })))],
    );
  }
}

function emptyCounts(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

function countsOf(total: number, changed: ChangedRow[]): UpsertCounts {
  const inserted = changed.filter((row) => row.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: total - changed.length };
}

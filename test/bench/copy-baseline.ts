import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LastmileEvent } from '@lastmile/collectors';

// The yardstick of the ingest benchmark: the same events as the rows the ingest repository writes,
// put into the same tables (same indexes and constraints) by PostgreSQL's COPY, the fastest way in.
// The CSV files are prepared first and not timed; only the COPY is.

type Value = string | number | boolean | null | undefined;

const COLUMNS = {
  pull_requests:
    'id, source, native_id, repo, number, title, author, author_is_bot, created_at, merged_at, closed_at, merge_commit_sha, base_branch, draft, stated_first_commit_at, stated_first_review_at, content_hash',
  pull_request_payloads: 'pull_request_id, raw',
  pr_commits: 'pull_request_id, sha, authored_at',
  pr_reviews: 'pull_request_id, ordinal, author, author_is_bot, submitted_at, state, kind',
  deployments:
    'id, source, native_id, repo, environment, is_production, sha, status, started_at, finished_at, fixes_native_id, stated_commits, stated_pull_requests, content_hash',
  deployment_payloads: 'deployment_id, raw',
  deployment_commits: 'deployment_id, sha',
  deployment_pull_requests: 'deployment_id, repo, pr_number',
  incidents:
    'source, native_id, repo, team, title, created_at, resolved_at, stated_deployment_id, content_hash, raw',
  registries: 'name',
  models: 'registry, name',
  model_versions:
    'source, native_id, registry, model, version, created_at, run_id, run_started_at, content_hash, raw',
  model_stage_events:
    'source, native_id, registry, model, version, action, environment, at, at_precision, precision_seconds, content_hash, raw',
} as const;
type Table = keyof typeof COLUMNS;
const PRODUCTION = /^(prod|production)$/i;

function field(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return value === '' || /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

class CsvFiles {
  readonly rows = new Map<Table, number>();
  private readonly pending = new Map<Table, string[]>();

  constructor(readonly dir: string) {}

  add(table: Table, values: Value[]): void {
    const lines = this.pending.get(table) ?? [];
    lines.push(values.map(field).join(','));
    this.pending.set(table, lines);
    this.rows.set(table, (this.rows.get(table) ?? 0) + 1);
    if (lines.length >= 5_000) this.flush(table);
  }

  flush(table?: Table): void {
    for (const name of table ? [table] : [...this.pending.keys()]) {
      const lines = this.pending.get(name) ?? [];
      if (lines.length > 0) appendFileSync(this.path(name), `${lines.join('\n')}\n`);
      this.pending.set(name, []);
    }
  }

  path(table: Table): string {
    return join(this.dir, `${table}.csv`);
  }
}

const hash = (event: LastmileEvent) =>
  createHash('sha1').update(JSON.stringify(event)).digest('base64');
const source = (event: LastmileEvent) => event.source ?? 'api';

function toRows(
  files: CsvFiles,
  event: LastmileEvent,
  ids: { pr: number; deployment: number },
  models: Set<string>,
): void {
  const raw = JSON.stringify(event);
  switch (event.type) {
    case 'pull_request': {
      const id = ++ids.pr;
      files.add('pull_requests', [
        id,
        source(event),
        event.id,
        event.repo,
        event.number,
        event.title,
        event.author,
        event.author_is_bot ?? Boolean(event.author?.endsWith('[bot]')),
        event.created_at,
        event.merged_at,
        event.closed_at,
        event.merge_commit_sha,
        event.base_branch,
        event.draft ?? false,
        event.first_commit_at,
        event.first_review_at,
        hash(event),
      ]);
      files.add('pull_request_payloads', [id, raw]);
      for (const commit of event.commits ?? [])
        files.add('pr_commits', [id, commit.sha, commit.authored_at]);
      for (const [ordinal, review] of (event.reviews ?? []).entries()) {
        files.add('pr_reviews', [
          id,
          ordinal,
          review.author,
          review.author_is_bot ?? Boolean(review.author?.endsWith('[bot]')),
          review.submitted_at,
          review.state,
          review.state ? 'review' : 'comment',
        ]);
      }
      return;
    }
    case 'deployment': {
      const id = ++ids.deployment;
      files.add('deployments', [
        id,
        source(event),
        event.id,
        event.repo ?? event.service,
        event.environment,
        PRODUCTION.test(event.environment),
        event.sha,
        event.status,
        event.started_at,
        event.finished_at,
        event.fixes,
        event.commits !== undefined,
        event.pull_requests !== undefined,
        hash(event),
      ]);
      files.add('deployment_payloads', [id, raw]);
      for (const sha of event.commits ?? []) files.add('deployment_commits', [id, sha]);
      for (const pr of event.pull_requests ?? [])
        files.add('deployment_pull_requests', [id, event.repo ?? event.service, pr]);
      return;
    }
    case 'incident':
      files.add('incidents', [
        source(event),
        event.id,
        event.repo ?? event.service,
        event.team,
        event.title,
        event.created_at,
        event.resolved_at,
        event.deployment_id,
        hash(event),
        raw,
      ]);
      return;
    case 'model_version':
    case 'model_stage': {
      if (!models.has(event.registry)) {
        models.add(event.registry);
        files.add('registries', [event.registry]);
      }
      if (!models.has(`${event.registry}/${event.model}`)) {
        models.add(`${event.registry}/${event.model}`);
        files.add('models', [event.registry, event.model]);
      }
      if (event.type === 'model_version') {
        files.add('model_versions', [
          source(event),
          event.id,
          event.registry,
          event.model,
          event.version,
          event.created_at,
          event.run_id,
          event.run_started_at,
          hash(event),
          raw,
        ]);
      } else {
        files.add('model_stage_events', [
          source(event),
          event.id,
          event.registry,
          event.model,
          event.version,
          event.action,
          event.environment ?? 'production',
          event.at,
          event.precision ?? 'exact',
          event.precision_seconds,
          hash(event),
          raw,
        ]);
      }
      return;
    }
  }
}

export interface CopyResult {
  seconds: number;
  rows: number;
  rowsByTable: Record<string, number>;
}

/** COPYs the events' rows into a migrated, empty database; returns the COPY time alone. */
export function copyBaseline(events: Iterable<LastmileEvent>, databaseUrl: string): CopyResult {
  const files = new CsvFiles(mkdtempSync(join(tmpdir(), 'lastmile-copy-')));
  const ids = { pr: 0, deployment: 0 };
  const models = new Set<string>();
  try {
    for (const event of events) toRows(files, event, ids, models);
    files.flush();
    const started = process.hrtime.bigint();
    // Parents before children: the foreign keys are checked as in the API's writes.
    for (const table of Object.keys(COLUMNS) as Table[]) {
      if (!files.rows.get(table)) continue;
      const copy = spawnSync(
        'psql',
        [
          databaseUrl,
          '-v',
          'ON_ERROR_STOP=1',
          '-qc',
          `\\copy ${table} (${COLUMNS[table]}) FROM '${files.path(table)}' WITH (FORMAT csv)`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      if (copy.status !== 0) throw new Error(`COPY into ${table} failed`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rowsByTable = Object.fromEntries(files.rows);
    return {
      seconds,
      rows: Object.values(rowsByTable).reduce((sum, n) => sum + n, 0),
      rowsByTable,
    };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

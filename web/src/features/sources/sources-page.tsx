import { useState } from 'react';
import type { Source, SyncRun } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatCompactTime, formatCount, formatDateTime, formatDuration } from '../../lib/format';
import { SourceForm } from './source-form';
import {
  type CheckStep,
  useDeleteSource,
  useStartSync,
  useSourceKinds,
  useSources,
  useSyncRun,
  useSyncRuns,
  useTestSource,
} from './sources.queries';

function CheckResult({ steps }: { steps: CheckStep[] }) {
  return (
    <ul className="check-steps" aria-label="Check result">
      {steps.map((step) => (
        <li key={step.step} className={step.ok ? 'check-ok' : 'check-failed'} data-step={step.step}>
          <span aria-hidden="true">{step.ok ? '✓' : '✗'}</span> {step.message}
        </li>
      ))}
    </ul>
  );
}

const counted = (count: number, word: string) =>
  `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
const progressText = (run: SyncRun) =>
  `${counted(run.items, 'item')} · ${counted(run.pages, 'page')} · ${counted(run.requests, 'request')}`;
const durationOf = (run: SyncRun) => run.duration_seconds;

/**
 * A GitHub GraphQL run's budget, where the run recorded one: the points it used, what the token
 * had left, and while it runs, the time to its expected end ("34 points, 4,966 left, about 12 min
 * to go"). Null for a run that recorded none.
 */
export function budgetText(run: SyncRun, now = Date.now()): string | null {
  const parts: string[] = [];
  if (run.points > 0 || run.points_remaining !== null) parts.push(counted(run.points, 'point'));
  if (run.points_remaining !== null) parts.push(`${formatCount(run.points_remaining)} left`);
  const toGo = run.estimated_finish_at ? (Date.parse(run.estimated_finish_at) - now) / 1000 : 0;
  if (run.status === 'running' && toGo >= 1) parts.push(`about ${formatDuration(toGo)} to go`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function RunStatus({ run }: { run: SyncRun }) {
  const budget = budgetText(run);
  return (
    <div className="run" data-status={run.status}>
      <p>
        <span className={`status status-${run.status}`}>{run.status}</span>{' '}
        {run.status === 'running' ? 'since' : 'at'}{' '}
        {formatDateTime(
          run.status === 'running' ? run.started_at : (run.finished_at ?? run.started_at),
        )}
        {run.status !== 'running' && durationOf(run) !== null && (
          <span className="muted"> · took {formatDuration(durationOf(run))}</span>
        )}
      </p>
      <p className="muted" aria-live="polite">
        {run.status === 'running' && <span className="spinner" aria-hidden="true" />}{' '}
        {progressText(run)}
      </p>
      {budget && (
        <p className="muted" data-budget>
          {budget}
        </p>
      )}
      {run.error && (
        <p className="form-problem" role="alert">
          {run.error}
        </p>
      )}
    </div>
  );
}

function SourceDetails({ source }: { source: Source }) {
  const { fields = [], links = [] } = source.display ?? {};
  if (fields.length === 0 && links.length === 0) return null;
  return (
    <div className="source-details">
      {fields.length > 0 && (
        <dl>
          {fields.map((field) => (
            <div key={field.label}>
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {links.length > 0 && (
        <p className="source-links">
          {links.map((link) => (
            <a key={link.href} href={link.href} target="_blank" rel="noreferrer">
              {link.label}
            </a>
          ))}
        </p>
      )}
    </div>
  );
}

function SourceCard({ source, latest }: { source: Source; latest: SyncRun | null }) {
  const start = useStartSync();
  const check = useTestSource();
  const remove = useDeleteSource();
  const [runId, setRunId] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const live = useSyncRun(runId);
  const run = live.data ?? latest;
  const running = run?.status === 'running' || start.isPending;
  // A source from the config file is changed there, not here.
  const editable = source.origin !== 'config';
  if (editing) return <SourceForm source={source} onDone={() => setEditing(false)} />;
  return (
    <section
      className="card source"
      aria-labelledby={`source-${source.id}`}
      data-source={source.name}
    >
      <header className="card-header">
        <div>
          <h2 id={`source-${source.id}`}>{source.name}</h2>
          <p className="card-description">
            {source.display?.label ?? source.kind}
            {source.origin ? ` · from ${source.origin}` : ''}
            {source.schedule ? ` · schedule ${source.schedule}` : ''}
          </p>
          {source.schedule_words && (
            <p className="source-schedule" data-schedule>
              Syncs {source.schedule_words}
              {source.next_run_at ? `; next ${formatDateTime(source.next_run_at)}` : ''}
            </p>
          )}
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={running}
          onClick={() =>
            start.mutate(String(source.id), { onSuccess: (body) => setRunId(String(body.run_id)) })
          }
        >
          {running ? 'Syncing…' : 'Sync now'}
        </button>
      </header>
      <SourceDetails source={source} />
      {run ? <RunStatus run={run} /> : <p className="muted">Never synced.</p>}
      {start.error && <ErrorState title="The sync did not start" error={start.error} />}
      <div className="source-actions">
        <button
          type="button"
          className="button button-small"
          disabled={check.isPending}
          onClick={() => check.mutate(source.id)}
        >
          {check.isPending ? 'Testing…' : 'Test'}
        </button>
        {editable && (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {editable &&
          (confirming ? (
            <>
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => remove.mutate(source.id)}
              >
                Delete {source.name}
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => setConfirming(false)}
              >
                Keep it
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button-small"
              onClick={() => setConfirming(true)}
            >
              Delete…
            </button>
          ))}
      </div>
      {check.data && (
        <div data-check={check.data.ok ? 'ok' : 'failed'}>
          <p className={check.data.ok ? 'check-ok' : 'check-failed'}>
            {check.data.ok ? 'It can sync.' : 'It cannot sync yet:'}
          </p>
          <CheckResult steps={check.data.steps} />
        </div>
      )}
      {check.error && <ErrorState title="The test did not run" error={check.error} />}
      {remove.error && <ErrorState title="It was not deleted" error={remove.error} />}
    </section>
  );
}

const RUN_COLUMNS: Column<SyncRun>[] = [
  { key: 'source', label: 'Source', value: (row) => row.source },
  { key: 'trigger', label: 'Trigger', value: (row) => row.trigger ?? null },
  {
    key: 'status',
    label: 'Status',
    value: (row) => row.status,
    format: (row) => <span className={`status status-${row.status}`}>{row.status}</span>,
  },
  {
    key: 'started_at',
    label: 'Started',
    value: (row) => row.started_at,
    format: (row) => formatCompactTime(row.started_at),
  },
  {
    key: 'duration_seconds',
    label: 'Duration',
    value: durationOf,
    format: (row) => formatDuration(durationOf(row)),
    numeric: true,
  },
  {
    key: 'progress',
    label: 'Progress',
    value: (row) => [progressText(row), budgetText(row)].filter(Boolean).join(' · '),
  },
  {
    key: 'error',
    label: 'Error',
    value: (row) => row.error ?? null,
    format: (row) => row.error ?? '—',
    wrap: true,
  },
];

export function SourcesPage() {
  const sources = useSources();
  const runs = useSyncRuns();
  const kinds = useSourceKinds();
  const [adding, setAdding] = useState(false);
  // The list polls while a run is going, so a sync started elsewhere shows its progress too.
  const latestFor = (source: Source) =>
    runs.data?.find((run) => run.source_id === source.id) ?? source.last_sync;
  return (
    <>
      <div className="page-heading">
        <h1 className="page-title">Sources</h1>
        {!adding && (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add a source
          </button>
        )}
      </div>
      <p className="lede">
        Where Lastmile reads from. Each source syncs on its schedule; "Sync now" starts one at once,
        "Test" checks it can sync. Adding, editing, testing and syncing need the admin token
        (Settings).
      </p>
      {adding && <SourceForm onDone={() => setAdding(false)} />}
      {sources.isPending ? (
        <Loading />
      ) : sources.error ? (
        <ErrorState error={sources.error} onRetry={() => void sources.refetch()} />
      ) : sources.data.length === 0 ? (
        <EmptyState title="No sources connected">
          <p>
            Add a source
            {kinds.data ? ` (${kinds.data.map((kind) => kind.label).join(', ')})` : ''} with
            &ldquo;Add a source&rdquo;, in <code>lastmile.yaml</code> or with{' '}
            <code>POST /api/v1/sources</code>; send events from any CI or registry to{' '}
            <code>POST /api/v1/events</code>, or try Lastmile on demo data with{' '}
            <code>npm run demo</code>.
          </p>
        </EmptyState>
      ) : (
        <div className="grid">
          {sources.data.map((source) => (
            <SourceCard key={source.id} source={source} latest={latestFor(source)} />
          ))}
        </div>
      )}
      {runs.data && runs.data.length > 0 && (
        <section className="card card-wide runs" aria-labelledby="runs-title">
          <h2 id="runs-title">Recent syncs</h2>
          <DataTable
            caption="Recent syncs"
            columns={RUN_COLUMNS}
            rows={runs.data.slice(0, 20)}
            rowKey={(row) => row.id}
          />
        </section>
      )}
    </>
  );
}

import { useEffect, useRef } from 'react';
import type { DrillDownListName, DrillDownPage } from '../../api/types';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import { type Column, csvFileName } from '../../lib/csv';
import { formatCompactTime, formatCount } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';
import { metricLabel } from '../../metrics/metric-info';
import {
  DEPLOYMENT_COLUMNS,
  INCIDENT_COLUMNS,
  PR_COLUMNS,
  PROMOTION_COLUMNS,
} from './drill-down-columns';
import { useDrillDown } from './drill-down.queries';
import { clearDrillDownPeriod, selectDrillDown, useDrillDownSelection } from './drill-down-state';

interface ListFacts {
  label: string;
  /** What the whole range lists, after "Each". */
  description: string;
  columns: Column<never>[];
}

const LISTS: Record<DrillDownListName, ListFacts> = {
  'pull-requests': {
    label: 'Pull requests',
    description: 'merged pull request',
    columns: PR_COLUMNS,
  },
  deployments: {
    label: 'Deployments',
    description: 'production deployment',
    columns: DEPLOYMENT_COLUMNS,
  },
  incidents: {
    label: 'Incidents',
    description: 'resolved incident',
    columns: INCIDENT_COLUMNS,
  },
  'model-promotions': {
    label: 'Promotions',
    description: 'model version promotion',
    columns: PROMOTION_COLUMNS,
  },
};

const BY_WORDS: Record<string, string> = {
  merged_at: 'merged',
  deployed_at: 'deployed',
  finished_at: 'finished',
  resolved_at: 'resolved',
  promoted_at: 'promoted',
};

function Rows({
  list,
  query,
  by,
}: {
  list: DrillDownListName;
  query: ScopeQuery;
  by: string | undefined;
}) {
  const result = useDrillDown<never>(list, query, { by });
  const page: DrillDownPage<never> | undefined = result.data;
  const facts = LISTS[list];
  const rows = page?.items ?? [];
  if (result.isPending) return <Loading />;
  if (result.error)
    return <ErrorState error={result.error} onRetry={() => void result.refetch()} />;
  if (rows.length === 0) return <EmptyState />;
  return (
    <>
      <div className="card-tools card-tools-inline">
        <span className="muted" data-drill-count>
          {rows.length < (page?.total ?? 0)
            ? `The latest ${formatCount(rows.length)} of ${formatCount(page?.total)}; narrow the range or filters to see the rest.`
            : `${formatCount(rows.length)} ${rows.length === 1 ? 'row' : 'rows'}`}
        </span>
        <CsvButton
          name={facts.label}
          file={csvFileName(facts.label, 'list', query)}
          columns={facts.columns}
          rows={rows}
        />
      </div>
      <DataTable caption={facts.label} columns={facts.columns} rows={rows} />
    </>
  );
}

/** The page's drill-down: a tab per list, the whole range or the period a chart click chose. */
export function DrillDownPanel({
  lists,
  query,
}: {
  lists: DrillDownListName[];
  query: ScopeQuery;
}) {
  const selection = useDrillDownSelection();
  const active = selection.list && lists.includes(selection.list) ? selection.list : lists[0];
  const period = selection.list === active ? selection.period : undefined;
  const section = useRef<HTMLElement>(null);
  const periodKey = period ? `${period.from}/${period.to}/${period.metric}` : '';
  useEffect(() => {
    if (periodKey) section.current?.scrollIntoView({ block: 'start' });
  }, [periodKey]);
  if (!active) return null;
  const rowsQuery = period ? { ...query, from: period.from, to: period.to } : query;
  return (
    <section
      ref={section}
      className="card card-wide"
      aria-labelledby="drilldown-title"
      data-drilldown={active}
    >
      <header className="card-header">
        <div>
          <h2 id="drilldown-title">Drill-down</h2>
          <p className="card-description" data-drill-scope>
            {period ? (
              <>
                {LISTS[active].label} {BY_WORDS[period.by ?? ''] ?? 'in'}{' '}
                {formatCompactTime(period.from)} – {formatCompactTime(period.to)}
                {period.metric ? ` (the ${metricLabel(period.metric)} chart's period)` : ''}.{' '}
                <button type="button" className="link-button" onClick={clearDrillDownPeriod}>
                  Show the whole range
                </button>
              </>
            ) : (
              `Each ${LISTS[active].description} in the range, newest first. Click a chart's period to list only its rows.`
            )}
          </p>
        </div>
        {lists.length > 1 && (
          <div className="segmented" role="tablist" aria-label="Drill-down">
            {lists.map((list) => (
              <button
                key={list}
                type="button"
                role="tab"
                id={`tab-${list}`}
                aria-controls="panel-drilldown"
                aria-selected={list === active}
                onClick={() => selectDrillDown(list)}
              >
                {LISTS[list].label}
              </button>
            ))}
          </div>
        )}
      </header>
      <div role="tabpanel" id="panel-drilldown" aria-labelledby={`tab-${active}`}>
        <Rows list={active} query={rowsQuery} by={period?.by} />
      </div>
    </section>
  );
}

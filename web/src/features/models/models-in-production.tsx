import { useQuery } from '@tanstack/react-query';
import type {
  ModelInProduction,
  ModelProductionChange,
  ModelsInProductionList,
} from '../../api/types';
import { CsvButton } from '../../components/csv-button';
import { apiGet } from '../../lib/api-client';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import { type Column, csvFileName, wholeSeconds } from '../../lib/csv';
import { formatCompactTime, formatDuration } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';

/** GET /api/v1/models-in-production: the versions in production now, and what changed. */
function useModelsInProduction({ granularity: _granularity, ...params }: ScopeQuery) {
  return useQuery({
    queryKey: ['models-in-production', params],
    queryFn: ({ signal }) =>
      apiGet<ModelsInProductionList>('/api/v1/models-in-production', params, signal),
  });
}

const precisionOf = (precision: string | null, seconds: number | null) =>
  precision === 'observed' && seconds
    ? `observed, within ${formatDuration(seconds)}`
    : precision === 'registry'
      ? "registry's last-updated time"
      : (precision ?? '—');

const CURRENT: Column<ModelInProduction>[] = [
  { key: 'model', label: 'Model', value: (row) => `${row.registry}/${row.model}` },
  { key: 'version', label: 'Version', value: (row) => row.version },
  { key: 'environment', label: 'Environment', value: (row) => row.environment },
  {
    key: 'since',
    label: 'Since',
    value: (row) => row.since,
    format: (row) => formatCompactTime(row.since),
  },
  {
    key: 'precision',
    label: 'Precision',
    value: (row) => row.precision,
    format: (row) => precisionOf(row.precision, row.precision_seconds),
  },
  {
    key: 'precision_seconds',
    label: 'Uncertainty',
    numeric: true,
    value: (row) => wholeSeconds(row.precision_seconds),
    format: (row) => formatDuration(row.precision_seconds),
  },
];

const CHANGES: Column<ModelProductionChange>[] = [
  { key: 'at', label: 'When', value: (row) => row.at, format: (row) => formatCompactTime(row.at) },
  {
    key: 'change',
    label: 'Change',
    value: (row) => row.change,
    format: (row) => (row.change === 'entered' ? 'entered production' : 'left production'),
  },
  { key: 'model', label: 'Model', value: (row) => `${row.registry}/${row.model}` },
  { key: 'version', label: 'Version', value: (row) => row.version },
  { key: 'environment', label: 'Environment', value: (row) => row.environment },
  {
    key: 'reason',
    label: 'Why',
    value: (row) => row.reason,
    format: (row) =>
      row.change === 'left'
        ? (row.reason ?? '—')
        : precisionOf(row.precision, row.precision_seconds),
  },
];

/** Which model versions are in production now, and which entered or left in the range and why. */
export function ModelsInProductionList({ query }: { query: ScopeQuery }) {
  const result = useModelsInProduction(query);
  const data = result.data;
  return (
    <section className="card card-wide" aria-labelledby="in-production-title" data-in-production>
      <header className="card-header">
        <div>
          <h2 id="in-production-title">In production now</h2>
          <p className="card-description">
            Each model version in production today, since when, and how precisely that time is
            known; below, the versions that entered or left production in the range.
          </p>
        </div>
        {data && data.current.length > 0 && (
          <div className="card-tools">
            <CsvButton
              name="Models in production"
              file={csvFileName('Models in production', 'now', query)}
              columns={CURRENT}
              rows={data.current}
            />
          </div>
        )}
      </header>
      {result.isPending ? (
        <Loading />
      ) : result.error ? (
        <ErrorState error={result.error} onRetry={() => void result.refetch()} />
      ) : (
        <>
          {data && data.current.length > 0 ? (
            <DataTable caption="In production now" columns={CURRENT} rows={data.current} />
          ) : (
            <EmptyState title="No model is in production" />
          )}
          <h3 className="subheading">Entered or left production in the range</h3>
          {data && data.changes.length > 0 ? (
            <DataTable
              caption="Entered or left production in the range"
              columns={CHANGES}
              rows={data.changes}
            />
          ) : (
            <EmptyState title="No version entered or left production in this range" />
          )}
        </>
      )}
    </section>
  );
}

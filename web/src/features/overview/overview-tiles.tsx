import { useMetric } from '../../api/metrics.queries';
import { Tile } from '../../components/tile';
import { formatCount, formatDuration, formatRatio } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';

/** Percent change of two API values; display only (no metric is recomputed here). */
function change(
  current: number | null | undefined,
  previous: number | null | undefined,
): { changePct: number | null; fromZero: boolean } {
  if (current === null || current === undefined || previous === null || previous === undefined)
    return { changePct: null, fromZero: false };
  if (previous === 0)
    return current === 0 ? { changePct: 0, fromZero: false } : { changePct: null, fromZero: true };
  return { changePct: ((current - previous) / Math.abs(previous)) * 100, fromZero: false };
}

const plural = (count: number | null | undefined, word: string) =>
  `${formatCount(count ?? 0)} ${word}${count === 1 ? '' : 's'}`;

interface TilesProps {
  query: ScopeQuery;
  previousQuery: ScopeQuery;
}

function DurationTile({
  metric,
  label,
  unit,
  ...props
}: TilesProps & {
  metric: 'lead_time_for_changes' | 'model_release_lead_time' | 'time_to_restore';
  label: string;
  unit: string;
}) {
  const current = useMetric(metric, props.query);
  // The previous period waits for the current one, so the first numbers and charts come first.
  const previous = useMetric(metric, props.previousQuery, { enabled: current.isSuccess });
  const summary = current.data?.summary;
  return (
    <Tile
      label={label}
      value={formatDuration(summary?.median)}
      detail={
        summary
          ? `median of ${plural(summary.count, unit)}, p90 ${formatDuration(summary.p90)}`
          : undefined
      }
      {...change(summary?.median, previous.data?.summary.median)}
      comparing={previous.isPending}
      previousValue={formatDuration(previous.data?.summary.median)}
      better="lower"
      band={current.data?.band}
      isPending={current.isPending}
      error={current.error}
    />
  );
}

function ModelsTile(props: TilesProps) {
  const current = useMetric('models_in_production', props.query);
  const previous = useMetric('models_in_production', props.previousQuery, {
    enabled: current.isSuccess,
  });
  // The tile shows today's count; its change compares the ends of the two periods (the last point
  // of each series), which for the default range ending this week is the same comparison.
  const before = previous.data?.series.at(-1)?.value;
  const after = current.data?.series.at(-1)?.value;
  return (
    <Tile
      label="Models in production"
      value={formatCount(current.data?.summary.current)}
      detail="now"
      {...change(after, before)}
      comparing={previous.isPending}
      previousValue={formatCount(before)}
      better="higher"
      isPending={current.isPending}
      error={current.error}
    />
  );
}

function DeploymentFrequencyTile(props: TilesProps) {
  const current = useMetric('deployment_frequency', props.query);
  const previous = useMetric('deployment_frequency', props.previousQuery, {
    enabled: current.isSuccess,
  });
  const summary = current.data?.summary;
  return (
    <Tile
      label="Deployment frequency"
      value={`${formatCount(summary?.median_deploy_days_per_week)} days/wk`}
      detail={
        summary ? `median deploy-days a week; ${plural(summary.total, 'deployment')}` : undefined
      }
      {...change(
        summary?.median_deploy_days_per_week,
        previous.data?.summary.median_deploy_days_per_week,
      )}
      comparing={previous.isPending}
      previousValue={`${formatCount(previous.data?.summary.median_deploy_days_per_week)} days/wk`}
      better="higher"
      band={current.data?.band}
      isPending={current.isPending}
      error={current.error}
    />
  );
}

function ChangeFailureRateTile(props: TilesProps) {
  const current = useMetric('change_failure_rate', props.query);
  const previous = useMetric('change_failure_rate', props.previousQuery, {
    enabled: current.isSuccess,
  });
  const summary = current.data?.summary;
  return (
    <Tile
      label="Change failure rate"
      value={formatRatio(summary?.value)}
      detail={
        summary
          ? `${formatCount(summary.failures)} of ${plural(summary.deployments, 'deployment')}`
          : undefined
      }
      {...change(summary?.value, previous.data?.summary.value)}
      comparing={previous.isPending}
      previousValue={formatRatio(previous.data?.summary.value)}
      better="lower"
      band={current.data?.band}
      isPending={current.isPending}
      error={current.error}
    />
  );
}

export function OverviewTiles(props: TilesProps) {
  return (
    <div className="tiles">
      <ModelsTile {...props} />
      <DurationTile
        {...props}
        metric="lead_time_for_changes"
        label="Release lead time"
        unit="change"
      />
      <DurationTile
        {...props}
        metric="model_release_lead_time"
        label="Model release lead time"
        unit="promotion"
      />
      <DeploymentFrequencyTile {...props} />
      <ChangeFailureRateTile {...props} />
      <DurationTile {...props} metric="time_to_restore" label="Time to restore" unit="incident" />
    </div>
  );
}

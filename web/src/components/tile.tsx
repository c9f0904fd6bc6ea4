import type { Band } from '../api/types';
import { formatPct } from '../lib/format';

export interface TileProps {
  label: string;
  value: string;
  detail?: string;
  /** Percent change against the previous period, from the two API summaries. */
  changePct: number | null;
  /** The previous period's value was exactly zero (no percent change exists). */
  fromZero?: boolean;
  previousValue?: string;
  /** The previous period is still loading. */
  comparing?: boolean;
  better: 'lower' | 'higher';
  band?: Band | null;
  isPending: boolean;
  error?: unknown;
}

const BAND_LABELS = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' } as const;

export function Tile({
  label,
  value,
  detail,
  changePct,
  fromZero,
  previousValue,
  comparing,
  better,
  band,
  isPending,
  error,
}: TileProps) {
  const direction = fromZero
    ? 'up'
    : changePct === null || Math.abs(changePct) < 0.5
      ? 'flat'
      : changePct > 0
        ? 'up'
        : 'down';
  const good =
    direction === 'flat'
      ? 'neutral'
      : (direction === 'down') === (better === 'lower')
        ? 'good'
        : 'bad';
  return (
    <article className="tile" aria-label={label} data-tile={label}>
      <div className="tile-head">
        <h2 className="tile-label">{label}</h2>
        {band?.level && (
          <span className={`band band-${band.level}`} title={`DORA band (${band.benchmark})`}>
            {BAND_LABELS[band.level]}
          </span>
        )}
      </div>
      {isPending ? (
        <p className="tile-value tile-pending" aria-busy="true">
          …
        </p>
      ) : error ? (
        <p className="tile-error" role="alert">
          {error instanceof Error ? error.message : 'Could not load'}
        </p>
      ) : (
        <>
          <p className="tile-value" data-value>
            {value}
          </p>
          {detail && <p className="tile-detail">{detail}</p>}
          <p className="tile-footer">
            <span
              className={`change change-${good}`}
              title={previousValue ? `Previous period: ${previousValue}` : undefined}
            >
              {direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•'}{' '}
              {comparing
                ? 'comparing…'
                : changePct !== null
                  ? `${formatPct(changePct)} vs previous`
                  : fromZero
                    ? 'up from 0 before'
                    : 'no previous data'}
            </span>
          </p>
        </>
      )}
    </article>
  );
}

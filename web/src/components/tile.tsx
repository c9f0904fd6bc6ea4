import type { Band } from '../api/types';
import { ApiError } from '../lib/api-client';
import { formatPct } from '../lib/format';

export interface TileProps {
  label: string;
  value: string;
  detail?: string;
  /** Percent change against the previous period, from the two API summaries. */
  changePct: number | null;
  /** The previous period has nothing behind its figure (n = 0): no change is stated. */
  noEarlierData?: boolean;
  /** The previous period's figure, when it had data. */
  previousValue?: string;
  /** A filter that does not apply to this metric ("not filtered by repository"). */
  notice?: string;
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
  noEarlierData,
  previousValue,
  notice,
  comparing,
  better,
  band,
  isPending,
  error,
}: TileProps) {
  const direction =
    changePct === null || Math.abs(changePct) < 0.5 ? 'flat' : changePct > 0 ? 'up' : 'down';
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
          {error instanceof ApiError && error.details.length > 0
            ? error.details.map((detail) => detail.message).join('; ')
            : error instanceof Error
              ? error.message
              : 'Could not load'}
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
                : noEarlierData
                  ? 'no earlier data'
                  : changePct !== null
                    ? `${formatPct(changePct)} vs previous`
                    : previousValue
                      ? `was ${previousValue} before`
                      : 'no earlier data'}
            </span>
          </p>
          {notice && (
            <p className="scope-notice" data-notice>
              {notice}
            </p>
          )}
        </>
      )}
    </article>
  );
}

import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client';
import { openSettings } from '../lib/settings';
import { AppLink } from './app-link';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** What to do when there is nothing to show yet: most often, no data has been loaded. */
export function EmptyState({
  title = 'No data in this range',
  children,
}: {
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ?? (
        <p>
          Widen the range or clear the filters. No data yet? See{' '}
          <AppLink to="/sources">Sources</AppLink> or run <code>npm run demo</code>.
        </p>
      )}
    </div>
  );
}

export function NoDataHint() {
  return (
    <p>
      Widen the date range or clear the filters. If nothing has been loaded yet, connect a source on
      the <AppLink to="/sources">Sources</AppLink> page (or in <code>lastmile.yaml</code>), or load
      demo data with <code>npm run demo</code>.
    </p>
  );
}

function hintFor(error: unknown): ReactNode {
  if (!(error instanceof ApiError))
    return 'Reload the page; if it happens again, the browser console has details.';
  if (error.status === 0)
    return (
      <>
        Start the server with <code>npm start</code>, then try again.
      </>
    );
  if (error.status === 401)
    return (
      <>
        Open{' '}
        <button type="button" className="link-button" onClick={openSettings}>
          Settings
        </button>{' '}
        and paste the admin token that the server printed at its first start.
      </>
    );
  if (error.status === 404) return 'It may have been deleted, or the link is mistyped.';
  if (error.status === 400) return 'A filter value was not accepted; change or clear it.';
  if (error.status >= 500) return 'The server failed; its log says why.';
  return null;
}

export function ErrorState({
  error,
  onRetry,
  title = 'Could not load this',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((detail, index) => (
            <li key={index}>
              {detail.path ? <code>{detail.path}</code> : null} {detail.message}
            </li>
          ))}
        </ul>
      )}
      <p className="state-hint">{hintFor(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

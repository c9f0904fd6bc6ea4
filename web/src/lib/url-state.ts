import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Granularity } from '../api/types';
import { type Preset, type ResolvedRange, isPreset, resolveRange } from './date-range';

// The dashboard's state lives in the URL (path = page, query = filters), so any view can be shared
// and a reload restores it. No router library: history.pushState plus one subscription.

const listeners = new Set<() => void>();
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}
const currentHref = () => window.location.pathname + window.location.search;

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === currentHref()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
}

export function useHref(): string {
  return useSyncExternalStore(subscribe, currentHref);
}

export const PAGES = ['overview', 'delivery', 'models', 'decisions', 'reports', 'sources'] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  page: Page | 'not-found';
  /** The second path segment: a decision's or report's id, or "new". */
  id?: string;
}

export function parseRoute(pathname: string): Route {
  const [first, second] = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (!first) return { page: 'overview' };
  if ((PAGES as readonly string[]).includes(first)) return { page: first as Page, id: second };
  return { page: 'not-found' };
}

export function useRoute(): Route {
  const href = useHref();
  return useMemo(() => parseRoute(href.split('?')[0]), [href]);
}

export function useSearchParams(): URLSearchParams {
  const href = useHref();
  return useMemo(() => new URLSearchParams(href.split('?')[1] ?? ''), [href]);
}

/** A path on this site with the current query string kept, so filters follow the user. */
export function pathWithQuery(path: string, search = window.location.search): string {
  return `${path}${search}`;
}

/** Changes some query parameters (undefined or '' removes one), keeping the rest. */
export function setSearchParams(
  patch: Record<string, string | undefined>,
  options: { replace?: boolean } = {},
): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, options);
}

export interface Filters {
  range: Preset | 'custom';
  from?: string;
  to?: string;
  granularity: Granularity;
  team?: string;
  repo?: string;
  model?: string;
}

const GRANULARITIES: Granularity[] = ['day', 'week', 'month'];

export function filtersFrom(params: URLSearchParams): Filters {
  const range = params.get('range') ?? '';
  const granularity = params.get('granularity') as Granularity;
  return {
    range: range === 'custom' ? 'custom' : isPreset(range) ? range : '12w',
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    granularity: GRANULARITIES.includes(granularity) ? granularity : 'week',
    team: params.get('team') ?? undefined,
    repo: params.get('repo') ?? undefined,
    model: params.get('model') ?? undefined,
  };
}

/** The query every metric and drill-down call shares. */
export interface ScopeQuery {
  from: string;
  to: string;
  granularity: Granularity;
  team?: string;
  repo?: string;
  model?: string;
}

/** The API query of the filters in a URL, and of the equally long period before it. */
export function queriesFrom(
  filters: Filters,
  now = new Date(),
): { range: ResolvedRange; query: ScopeQuery; previousQuery: ScopeQuery } {
  const range = resolveRange({ preset: filters.range, from: filters.from, to: filters.to }, now);
  const query: ScopeQuery = {
    from: range.from,
    to: range.to,
    granularity: filters.granularity,
    team: filters.team,
    repo: filters.repo,
    model: filters.model,
  };
  return {
    range,
    query,
    previousQuery: { ...query, from: range.previousFrom, to: range.previousTo },
  };
}

export function useFilters(): {
  filters: Filters;
  range: ResolvedRange;
  query: ScopeQuery;
  previousQuery: ScopeQuery;
  setFilters: (patch: Partial<Record<keyof Filters, string | undefined>>) => void;
} {
  const params = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const queries = useMemo(() => queriesFrom(filters), [filters]);
  const setFilters = useCallback(
    (patch: Partial<Record<keyof Filters, string | undefined>>) =>
      setSearchParams(
        Object.fromEntries(
          Object.entries(patch).map(([key, value]) => [
            key,
            // Defaults stay out of the URL so shared links are short.
            (key === 'range' && value === '12w') || (key === 'granularity' && value === 'week')
              ? undefined
              : value,
          ]),
        ),
      ),
    [],
  );
  return { filters, ...queries, setFilters };
}

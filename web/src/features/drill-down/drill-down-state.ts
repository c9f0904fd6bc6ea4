import { useMemo } from 'react';
import type { DrillDownListName } from '../../api/types';
import { setSearchParams, useSearchParams } from '../../lib/url-state';

// The drill-down's tab and the period a chart click chose live in the URL, so a shared link opens
// the same rows: drill=<list>, drill_from/drill_to (the period), drill_by (the time that puts a row
// in it), drill_metric (the chart clicked, for the caption).

export interface DrillDownSelection {
  list: DrillDownListName | undefined;
  period: { from: string; to: string; by?: string; metric?: string } | undefined;
}

const LISTS: DrillDownListName[] = [
  'pull-requests',
  'deployments',
  'incidents',
  'model-promotions',
];

export function useDrillDownSelection(): DrillDownSelection {
  const params = useSearchParams();
  return useMemo(() => {
    const list = params.get('drill') as DrillDownListName | null;
    const from = params.get('drill_from');
    const to = params.get('drill_to');
    return {
      list: list && LISTS.includes(list) ? list : undefined,
      period:
        from && to
          ? {
              from,
              to,
              by: params.get('drill_by') ?? undefined,
              metric: params.get('drill_metric') ?? undefined,
            }
          : undefined,
    };
  }, [params]);
}

export function selectDrillDown(
  list: DrillDownListName,
  period?: { from: string; to: string; by: string; metric: string },
): void {
  setSearchParams({
    drill: list,
    drill_from: period?.from,
    drill_to: period?.to,
    drill_by: period?.by,
    drill_metric: period?.metric,
  });
}

export function clearDrillDownPeriod(): void {
  setSearchParams({
    drill_from: undefined,
    drill_to: undefined,
    drill_by: undefined,
    drill_metric: undefined,
  });
}

// Response shapes of the public API, as its OpenAPI document states them: contract.d.ts is
// generated from /api/docs-json at build (npm run contract -w api). Names only; no shape is
// written here.

import type { components } from './contract';

type Schemas = components['schemas'];

export type MetricName = Schemas['MetricName'];
export type Granularity = Schemas['Granularity'];
export type Stats = Schemas['DurationStats'];
export type Band = Schemas['Band'];

export type DurationMetric = Schemas['DurationMetricResponse'];
export type CountMetric = Schemas['CountMetricResponse'];
export type RateMetric = Schemas['RateMetricResponse'];
export type ModelsInProductionMetric = Schemas['GaugeMetricResponse'];
export type MetricResponse = Schemas['MetricResponse'];

export type DurationItem = DurationMetric['series'][number];
export type CountItem = CountMetric['series'][number];
export type RateItem = RateMetric['series'][number];
export type Breakdown = NonNullable<DurationItem['breakdown']>;

/** Each metric's response: the member of the union whose `metric` names it. */
type ResponseOf<Name extends MetricName, Response = MetricResponse> = Response extends {
  metric: infer Names;
}
  ? Name extends Names
    ? Response
    : never
  : never;
export type MetricResponses = { [Name in MetricName]: ResponseOf<Name> };

/** Drill-down lists are pages: {items, total, limit, offset}. */
export type DrillDownPage<Row> = Omit<Schemas['PullRequestPage'], 'items'> & { items: Row[] };

export type PullRequestRow = Schemas['PullRequestRow'];
export type DeploymentRow = Schemas['DeploymentRow'];
export type ModelPromotionRow = Schemas['ModelPromotionRow'];
export type Precision = ModelPromotionRow['precision'];

export type Team = Schemas['Team'];
export type DecisionScope = Schemas['DecisionScope'];
export type Decision = Schemas['Decision'];
export type WindowStats = Schemas['ComparisonWindow'];
export type Verdict = Schemas['Verdict'];
export type Comparison = Schemas['MetricComparison'];
export type ComparisonSet = Schemas['ComparisonSet'];
export type ReadingStatus = Schemas['ReadingStatus'];
export type DecisionVerdict = Schemas['DecisionVerdict'];
export type DecisionSummary = Schemas['DecisionSummary'];
export type Confounder = Schemas['Confounder'];
export type ReportSummary = Schemas['ReportSummary'];
export type Source = Schemas['Source'];
export type SyncRun = Schemas['SyncRun'];
export type TeamList = Schemas['TeamList'];
export type SourceList = Schemas['SourceList'];
export type SyncRunList = Schemas['SyncRunList'];
export type SyncStarted = Schemas['SyncStarted'];
export type DecisionList = Schemas['DecisionList'];
export type ReportList = Schemas['ReportList'];
/** The body of POST /api/v1/decisions. */
export type NewDecision = Schemas['DecisionCreate'];

// The metric catalog (GET /api/v1/metrics): the web lists no metric of its own.
export type MetricCatalog = Schemas['MetricCatalog'];
export type MetricCatalogEntry = Schemas['MetricCatalogEntry'];
export type MetricKind = MetricCatalogEntry['kind'];
export type MetricFilterName = MetricCatalogEntry['filters'][number];
export type DrillDownListName = NonNullable<MetricCatalogEntry['items']>['list'];
export type GaugeMetric = Schemas['GaugeMetricResponse'];
export type IncidentRow = Schemas['IncidentRow'];
export type ModelsInProductionList = Schemas['ModelsInProduction'];
export type ModelInProduction = ModelsInProductionList['current'][number];
export type ModelProductionChange = ModelsInProductionList['changes'][number];
export type SourceWritten = Schemas['SourceWritten'];
export type SourceCheck = Schemas['SourceCheck'];
export type SourceKindList = Schemas['SourceKindList'];
export type SourceKind = Schemas['SourceKind'];
export type SourceKindField = Schemas['SourceKindField'];

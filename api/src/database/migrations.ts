import { InitialSchema1764000000000 } from '../../../migrations/1764000000000-initial-schema.js';
import { MetricsLinking1764100000000 } from '../../../migrations/1764100000000-metrics-linking.js';
import { ModelVersionsDeferredUnique1764300000000 } from '../../../migrations/1764300000000-model-versions-deferred-unique.js';
import { NarrowPullRequestRows1764600000000 } from '../../../migrations/1764600000000-narrow-pull-request-rows.js';
import { DeploymentPullRequestsRepo1764700000000 } from '../../../migrations/1764700000000-deployment-pull-requests-repo.js';
import { ProductionIntervalsByVersion1764800000000 } from '../../../migrations/1764800000000-production-intervals-by-version.js';
import { IngestChildRowsWithoutForeignKeys1764900000000 } from '../../../migrations/1764900000000-ingest-child-rows-without-foreign-keys.js';
import { PayloadsBesideTheirRows1765000000000 } from '../../../migrations/1765000000000-payloads-beside-their-rows.js';
import { ProductionIntervalsByEnvironment1765100000000 } from '../../../migrations/1765100000000-production-intervals-by-environment.js';
import { PullRequestSpansStored1765200000000 } from '../../../migrations/1765200000000-pull-request-spans-stored.js';
import { DeploymentsWithoutShaIndex1765300000000 } from '../../../migrations/1765300000000-deployments-without-sha-index.js';
import { SourceKindsFromCollectors1765400000000 } from '../../../migrations/1765400000000-source-kinds-from-collectors.js';
import { SyncRunGraphqlPoints1765500000000 } from '../../../migrations/1765500000000-sync-run-graphql-points.js';
import { DataVersion1765600000000 } from '../../../migrations/1765600000000-data-version.js';
import { SourceProblems1765700000000 } from '../../../migrations/1765700000000-source-problems.js';
import { WebhookObjectVersions1765710000000 } from '../../../migrations/1765710000000-webhook-object-versions.js';
import { GithubWebhookKeysPerSource1765720000000 } from '../../../migrations/1765720000000-github-webhook-keys-per-source.js';

// Every migration, in order. A new migration is one file in migrations/ and one line here.
export const migrations = [
  InitialSchema1764000000000,
  MetricsLinking1764100000000,
  ModelVersionsDeferredUnique1764300000000,
  NarrowPullRequestRows1764600000000,
  DeploymentPullRequestsRepo1764700000000,
  ProductionIntervalsByVersion1764800000000,
  IngestChildRowsWithoutForeignKeys1764900000000,
  PayloadsBesideTheirRows1765000000000,
  ProductionIntervalsByEnvironment1765100000000,
  PullRequestSpansStored1765200000000,
  DeploymentsWithoutShaIndex1765300000000,
  SourceKindsFromCollectors1765400000000,
  SyncRunGraphqlPoints1765500000000,
  DataVersion1765600000000,
  SourceProblems1765700000000,
  WebhookObjectVersions1765710000000,
  GithubWebhookKeysPerSource1765720000000,
];

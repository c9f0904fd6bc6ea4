import type { Collector } from './collector.js';
import { databricksUcCollector } from './databricks-uc/databricks-uc.collector.js';
import { githubCollector } from './github/github.collector.js';
import { gitlabCollector } from './gitlab/gitlab.collector.js';
import { mlflowCollector } from './mlflow/mlflow.collector.js';
import { sagemakerCollector } from './sagemaker/sagemaker.collector.js';
import { vertexAiCollector } from './vertex-ai/vertex-ai.collector.js';

// Every source kind. Adding one is its folder, collectors/src/<kind>/, and one line in this list
// (docs/source-kinds.md has the checklist): the config file, the sources API, the runner, the
// production rule and the web all read the kind from here.
// prettier-ignore
export const collectors: Collector[] = [
  githubCollector,
  gitlabCollector,
  mlflowCollector,
  databricksUcCollector,
  sagemakerCollector,
  vertexAiCollector,
];

/** The collector of a kind, among the given ones. */
export function collectorOf(kinds: readonly Collector[], kind: string): Collector | undefined {
  return kinds.find((collector) => collector.kind === kind);
}

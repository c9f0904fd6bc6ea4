import type { Collector } from './collector.js';
import { githubCollector } from './github/github.collector.js';
import { mlflowCollector } from './mlflow/mlflow.collector.js';

// Every collector, by kind. Adding a source kind is one folder and one line here.
export const collectors: Collector[] = [githubCollector, mlflowCollector];

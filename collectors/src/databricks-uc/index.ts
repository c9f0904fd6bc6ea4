export {
  createDatabricksUcCollector,
  databricksUcCollector,
  type DatabricksUcCollectorOptions,
} from './databricks-uc.collector.js';
export { type DatabricksUcSource, databricksUcSourceSchema } from './databricks-uc.source.js';
export { checkDatabricksUcSource } from './databricks-uc.check.js';

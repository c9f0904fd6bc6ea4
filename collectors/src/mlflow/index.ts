export { type MlflowSource, mlflowSourceSchema } from './mlflow.source.js';
export * from './mlflow.types.js';
export { MlflowClient } from './mlflow.client.js';
export { MlflowResponseError } from './mlflow-response.parser.js';
export {
  createMlflowCollector,
  mlflowCollector,
  mlflowProductionRule,
} from './mlflow.collector.js';
export {
  applyMlflowWebhook,
  type MlflowWebhook,
  MlflowWebhookPayloadError,
  parseMlflowWebhook,
} from './webhook.mapper.js';
export { checkMlflowSource } from './mlflow.check.js';

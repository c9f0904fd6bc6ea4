export { type MlflowSource, mlflowSourceSchema } from './mlflow.source.js';
export * from './mlflow.types.js';
export { MlflowClient } from './mlflow.client.js';
export { MlflowResponseError } from './mlflow-response.parser.js';
export { createMlflowCollector, mlflowCollector, previousRegistry } from './mlflow.collector.js';
export type { PreviousRegistry } from './registry-diff.mapper.js';
export {
  applyMlflowWebhook,
  type MlflowWebhook,
  MlflowWebhookPayloadError,
  parseMlflowWebhook,
} from './webhook.mapper.js';
export { INDEX_CURSOR, MODEL_CURSOR, POLL_CURSOR } from './registry-state.js';

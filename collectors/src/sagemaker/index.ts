export {
  createSagemakerCollector,
  sagemakerCollector,
  type SagemakerCollectorOptions,
  sagemakerProductionRule,
} from './sagemaker.collector.js';
export { type SagemakerSource, sagemakerSourceSchema } from './sagemaker.source.js';
export {
  applySagemakerEvent,
  olderThanStoredPackage,
  parseSagemakerEvent,
  SAGEMAKER_PACKAGE_EVENT,
  type SagemakerPackageEvent,
  SagemakerEventPayloadError,
} from './sagemaker-webhook.mapper.js';
export { checkSagemakerSource } from './sagemaker.check.js';

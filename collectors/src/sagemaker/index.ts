export {
  createSagemakerCollector,
  sagemakerCollector,
  type SagemakerCollectorOptions,
  sagemakerProductionRule,
} from './sagemaker.collector.js';
export { type SagemakerSource, sagemakerSourceSchema } from './sagemaker.source.js';

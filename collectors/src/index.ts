export * from './events.js';
export * from './collector.js';
export * from './source-fields.js';
export * from './registry.js';
export * from './github/index.js';
export * from './mlflow/index.js';
export * from './model-registry/index.js';
export * from './databricks-uc/index.js';

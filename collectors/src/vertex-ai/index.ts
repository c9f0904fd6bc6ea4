export {
  createVertexAiCollector,
  vertexAiCollector,
  type VertexAiCollectorOptions,
} from './vertex-ai.collector.js';
export { type VertexAiSource, vertexAiSourceSchema } from './vertex-ai.source.js';
export { checkVertexAiSource } from './vertex-ai.check.js';

export * from './registry-snapshot.js';
export {
  diffRegistry,
  previousRegistry,
  type PreviousRegistry,
  runIdsToFetch,
  sameJson,
} from './registry-diff.mapper.js';
export { forEachLimited, registryBatch, type RegistryPoll } from './registry-poll.js';
export {
  INDEX_CURSOR,
  MODEL_CURSOR,
  POLL_CURSOR,
  type ProductionCriteria,
  ProductionRule,
  storableTime,
} from './registry-state.js';

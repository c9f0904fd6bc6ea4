export { createGithubCollector, githubCollector } from './github.collector.js';
export type { GithubClientOptions } from './github.client.js';
export { type GithubSource, githubSourceSchema } from './github.source.js';
export {
  githubWebhookEvents,
  ROUTED_GITHUB_EVENTS,
  type StoredLookup as GithubStoredLookup,
  tracksRepository,
} from './github-webhook.mapper.js';
export * from './github.mapper.js';
export { checkGithubSource } from './github.check.js';

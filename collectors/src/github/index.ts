export { createGithubCollector, githubCollector } from './github.collector.js';
export type { GithubClientOptions, GithubSource } from './github.client.js';
export * from './github.mapper.js';

export { createGitlabCollector, gitlabCollector } from './gitlab.collector.js';
export type { GitlabClientOptions, GitlabSource } from './gitlab.client.js';
export * from './gitlab.mapper.js';

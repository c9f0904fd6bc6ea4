export { createGitlabCollector, gitlabCollector } from './gitlab.collector.js';
export type { GitlabClientOptions } from './gitlab.client.js';
export { type GitlabSource, gitlabProjectPath, gitlabSourceSchema } from './gitlab.source.js';
export {
  gitlabWebhookEvents,
  type GitlabStoredLookup,
  hookProject,
  hookTime,
  hookTimeText,
  ROUTED_GITLAB_EVENTS,
  tracksProject,
} from './gitlab-webhook.mapper.js';
export * from './gitlab.mapper.js';
export { checkGitlabSource } from './gitlab.check.js';

import {
  type CheckContext,
  type CheckStep,
  checkOf,
  checkSignal,
  failedProbe,
  type SourceCheck,
  unsetVariable,
} from '../source-check.js';
import { GitlabClient, projectPath } from './gitlab.client.js';
import type { GitlabSource } from './gitlab.source.js';

/**
 * Checks a GitLab source without syncing it, through the collector's own client: its token's
 * variable is set, the instance answers, it accepts the token, and the first project (or the
 * group's project list) can be read.
 */
export async function checkGitlabSource(
  source: GitlabSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const host = new URL(source.base_url).host;
  if (!context.secret(source.token_env))
    return checkOf([{ step: 'credentials', ok: false, message: unsetVariable(source.token_env) }]);
  const steps: CheckStep[] = [
    { step: 'credentials', ok: true, message: `${source.token_env} set` },
  ];
  const client = new GitlabClient(source, {
    cursor: () => undefined,
    secret: (name) => context.secret(name),
    progress: () => undefined,
    now: () => new Date(),
    signal: checkSignal(context.signal),
  });
  const target = source.projects[0]
    ? { path: projectPath(source.projects[0]), what: source.projects[0] }
    : {
        path: `groups/${encodeURIComponent(source.group ?? '')}/projects?per_page=1`,
        what: `the group ${source.group}`,
      };
  try {
    await client.get(target.path);
  } catch (error) {
    return failedProbe(steps, error, {
      host,
      service: 'GitLab',
      credential: 'token',
      access: (status) =>
        status === 404
          ? `404 from GitLab: ${target.what} does not exist or the token cannot read it`
          : status === 403
            ? `403 from GitLab: ${target.what} is refused to this token (it needs the read_api scope and at least the Reporter role)`
            : `${status} from GitLab on ${target.path}`,
    });
  }
  steps.push(
    { step: 'reach', ok: true, message: `${host} answered` },
    { step: 'auth', ok: true, message: 'GitLab accepted the token' },
    { step: 'access', ok: true, message: `can read ${target.what}` },
  );
  return checkOf(steps);
}

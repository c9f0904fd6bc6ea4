import {
  type CheckContext,
  type CheckStep,
  checkFetch,
  checkOf,
  type SourceCheck,
  unreachable,
  unsetVariable,
} from '../source-check.js';
import type { GithubSource } from './github.source.js';

/**
 * Checks a GitHub source without syncing it: its credentials' variables are set, the API answers,
 * it accepts the token, and the first repository (or the organisation's list) can be read. A
 * GitHub App's token is made only by a sync; here its variables are checked and the API reached.
 */
export async function checkGithubSource(
  source: GithubSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const baseUrl = (source.base_url ?? 'https://api.github.com').replace(/\/+$/, '');
  const host = new URL(baseUrl).host;
  const steps: CheckStep[] = [];
  const variables = source.app_id_env
    ? [source.app_id_env, source.app_private_key_env].filter((name): name is string => !!name)
    : [source.token_env].filter((name): name is string => !!name);
  const unset = variables.filter((name) => !context.secret(name));
  steps.push(
    unset.length > 0
      ? { step: 'credentials', ok: false, message: unset.map(unsetVariable).join('; ') }
      : { step: 'credentials', ok: true, message: `${variables.join(' and ')} set` },
  );
  const token = source.app_id_env ? undefined : context.secret(source.token_env);
  const target = source.repos?.[0]
    ? { path: `/repos/${source.repos[0]}`, what: source.repos[0] }
    : {
        path: `/orgs/${source.org ?? ''}/repos?per_page=1`,
        what: `the organisation ${source.org}`,
      };
  let response: Response;
  try {
    response = await checkFetch(
      `${baseUrl}${target.path}`,
      {
        accept: 'application/vnd.github+json',
        'user-agent': 'lastmile',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      context.signal,
    );
  } catch (error) {
    steps.push({ step: 'reach', ok: false, message: unreachable(host, error) });
    return checkOf(steps);
  }
  steps.push({ step: 'reach', ok: true, message: `${host} answered` });
  if (response.status === 401) {
    steps.push({
      step: 'auth',
      ok: false,
      // Without a token to send, the 401 says only that one is needed.
      message: token
        ? '401 from GitHub: the token is invalid or expired'
        : '401 from GitHub: it needs a token',
    });
  } else if (token) {
    steps.push({ step: 'auth', ok: true, message: 'GitHub accepted the token' });
  }
  if (response.status === 404) {
    steps.push({
      step: 'access',
      ok: false,
      message: `404 from GitHub: ${target.what} does not exist or the token cannot read it`,
    });
  } else if (response.status === 403) {
    steps.push({
      step: 'access',
      ok: false,
      message: `403 from GitHub: ${target.what} is refused to this token (a missing scope, or the rate limit is spent)`,
    });
  } else if (response.ok) {
    steps.push({ step: 'access', ok: true, message: `can read ${target.what}` });
  } else if (response.status !== 401) {
    steps.push({
      step: 'access',
      ok: false,
      message: `${response.status} from GitHub on ${target.path}`,
    });
  }
  await response.body?.cancel();
  return checkOf(steps);
}

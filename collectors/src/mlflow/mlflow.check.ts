import {
  type CheckContext,
  type CheckStep,
  checkFetch,
  checkOf,
  type SourceCheck,
  unreachable,
  unsetVariable,
} from '../source-check.js';
import type { MlflowSource } from './mlflow.source.js';

/**
 * Checks an MLflow source without polling it: the variables it names are set, the tracking server
 * answers, and it lets these credentials search the model registry (one model).
 */
export async function checkMlflowSource(
  source: MlflowSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const baseUrl = source.base_url.replace(/\/+$/, '');
  const host = new URL(baseUrl).host;
  const steps: CheckStep[] = [];
  const variables = [source.token_env, source.username_env, source.password_env].filter(
    (name): name is string => !!name,
  );
  const unset = variables.filter((name) => !context.secret(name));
  if (variables.length > 0)
    steps.push(
      unset.length > 0
        ? { step: 'credentials', ok: false, message: unset.map(unsetVariable).join('; ') }
        : { step: 'credentials', ok: true, message: `${variables.join(' and ')} set` },
    );
  const token = context.secret(source.token_env);
  const username = context.secret(source.username_env);
  const password = context.secret(source.password_env);
  const authorization = token
    ? `Bearer ${token}`
    : username && password
      ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
      : undefined;
  let response: Response;
  try {
    response = await checkFetch(
      `${baseUrl}/api/2.0/mlflow/registered-models/search?max_results=1`,
      authorization ? { authorization } : {},
      context.signal,
    );
  } catch (error) {
    steps.push({ step: 'reach', ok: false, message: unreachable(host, error) });
    return checkOf(steps);
  }
  steps.push({ step: 'reach', ok: true, message: `${host} answered` });
  if (response.status === 401 || response.status === 403) {
    steps.push({
      step: 'auth',
      ok: false,
      message: `${response.status} from MLflow: the credentials are ${authorization ? 'invalid or expired' : 'missing'}`,
    });
  } else if (response.ok) {
    steps.push({ step: 'access', ok: true, message: 'can search the model registry' });
  } else {
    steps.push({
      step: 'access',
      ok: false,
      message: `${response.status} from MLflow on registered-models/search`,
    });
  }
  await response.body?.cancel();
  return checkOf(steps);
}

import {
  CHECK_TIMEOUT_MS,
  type CheckContext,
  type CheckStep,
  checkOf,
  checkSignal,
  failedProbe,
  failureOf,
  type SourceCheck,
  unreachable,
  unsetVariable,
} from '../source-check.js';
import { serviceAccountToken } from './service-account-token.js';
import { VertexAiClient } from './vertex-ai.client.js';
import { type VertexAiSource, vertexApiEndpoint } from './vertex-ai.source.js';

/**
 * Checks a Vertex AI source without polling it, through the collector's own token exchange and
 * client: the key file's variable is set, the key file's token endpoint issues an access token for
 * it, the API answers, and the project and location's models can be listed (one).
 */
export async function checkVertexAiSource(
  source: VertexAiSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const host = new URL(vertexApiEndpoint(source)).host;
  const path = context.secret(source.credentials_env);
  if (!path)
    return checkOf([
      { step: 'credentials', ok: false, message: unsetVariable(source.credentials_env) },
    ]);
  const steps: CheckStep[] = [];
  let token: string;
  try {
    token = await serviceAccountToken({
      describe: `Vertex AI source "${source.name}"`,
      variable: source.credentials_env,
      path,
      signal: checkSignal(context.signal),
    });
  } catch (error) {
    const failure = failureOf(error);
    const cause = (error as { cause?: unknown }).cause;
    if (failure.status !== undefined) {
      steps.push(
        { step: 'credentials', ok: true, message: `${source.credentials_env} names a key file` },
        {
          step: 'auth',
          ok: false,
          message: `${failure.status} from the token endpoint: the service account's key is invalid, disabled or deleted`,
        },
      );
    } else if (cause) {
      steps.push(
        { step: 'credentials', ok: true, message: `${source.credentials_env} names a key file` },
        { step: 'reach', ok: false, message: unreachable('the token endpoint', cause) },
      );
    } else {
      // The key file cannot be read, is not JSON, or is not a service account's key.
      steps.push({ step: 'credentials', ok: false, message: (error as Error).message });
    }
    return checkOf(steps);
  }
  steps.push({
    step: 'credentials',
    ok: true,
    message: `${source.credentials_env} names a key file, exchanged for an access token`,
  });
  const client = new VertexAiClient({
    source,
    token,
    signal: context.signal,
    attempts: 1,
    timeoutMs: CHECK_TIMEOUT_MS,
    modelsPageSize: 1,
  });
  const what = `the models of project ${source.project} in ${source.location}`;
  try {
    const pages = client.models();
    await pages.next();
    await pages.return(undefined);
  } catch (error) {
    return failedProbe(steps, error, {
      host,
      service: 'Vertex AI',
      credential: 'access token',
      access: (status) =>
        status === 403
          ? `403 from Vertex AI: the service account needs aiplatform.models.list on project ${source.project} (e.g. roles/aiplatform.viewer)`
          : status === 404
            ? `404 from Vertex AI: project ${source.project} or location ${source.location} does not exist`
            : `${status} from Vertex AI listing ${what}`,
    });
  }
  steps.push(
    { step: 'reach', ok: true, message: `${host} answered` },
    { step: 'auth', ok: true, message: 'Vertex AI accepted the access token' },
    { step: 'access', ok: true, message: `can list ${what}` },
  );
  return checkOf(steps);
}

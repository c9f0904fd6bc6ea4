import {
  CHECK_TIMEOUT_MS,
  type CheckContext,
  type CheckStep,
  checkOf,
  failedProbe,
  type SourceCheck,
  unsetVariable,
} from '../source-check.js';
import { DatabricksUcClient } from './databricks-uc.client.js';
import type { DatabricksUcSource } from './databricks-uc.source.js';

/**
 * Checks a Unity Catalog source without polling it, through the collector's own client: its
 * token's variable is set, the workspace answers, it accepts the token, and one page of the models
 * the source reads can be listed (its first schema's, else the metastore's, which its catalogs
 * are filtered from).
 */
export async function checkDatabricksUcSource(
  source: DatabricksUcSource,
  context: CheckContext,
): Promise<SourceCheck> {
  const host = new URL(source.host).host;
  const token = context.secret(source.token_env);
  if (!token)
    return checkOf([{ step: 'credentials', ok: false, message: unsetVariable(source.token_env) }]);
  const steps: CheckStep[] = [
    { step: 'credentials', ok: true, message: `${source.token_env} set` },
  ];
  const client = new DatabricksUcClient({
    source,
    token,
    signal: context.signal,
    attempts: 1,
    timeoutMs: CHECK_TIMEOUT_MS,
    modelsPageSize: 1,
  });
  const schema = source.schemas?.[0];
  const what = schema ? `the models in ${schema}` : "the metastore's models";
  try {
    // One page tells: the models' list is not read on.
    const pages = client.models(schema);
    await pages.next();
    await pages.return(undefined);
  } catch (error) {
    return failedProbe(steps, error, {
      host,
      service: 'Databricks',
      credential: 'token',
      access: (status) =>
        status === 403
          ? `403 from Unity Catalog: listing ${what} is refused (the token's principal needs USE CATALOG and USE SCHEMA on the catalogs and schemas, and EXECUTE on the models)`
          : status === 404
            ? `404 from Unity Catalog: ${schema ?? 'the models API'} does not exist or the token cannot read it`
            : `${status} from Unity Catalog listing ${what}`,
    });
  }
  steps.push(
    { step: 'reach', ok: true, message: `${host} answered` },
    { step: 'auth', ok: true, message: 'Databricks accepted the token' },
    { step: 'access', ok: true, message: `can list ${what}` },
  );
  return checkOf(steps);
}

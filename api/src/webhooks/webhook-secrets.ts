import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { WEBHOOK_ROUTES } from './webhook-routes.js';

/**
 * The values of the secrets that sign a webhook route's deliveries: those the sources of its kind
 * name (config-file sources are in the table too). Read per delivery, so a source added through
 * the API is heard at once.
 */
export function webhookSecrets(dataSource: DataSource, config: AppConfig) {
  return async (path: string): Promise<string[]> => {
    const route = WEBHOOK_ROUTES[path];
    const rows: { env: string }[] = await dataSource.query(
      `SELECT DISTINCT config ->> $2::text AS env FROM sources WHERE kind = $1 AND config ? $2::text`,
      [route.kind, route.secretEnv],
    );
    const values = rows.map((row) => config.secret(row.env)).filter((v) => v !== undefined);
    return [...new Set(values)].filter((value) => value !== '');
  };
}

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/**
 * The admin token comes from LASTMILE_ADMIN_TOKEN, or else is made at first start, kept in the
 * data directory (mode 0600) and printed once.
 */
@Injectable()
export class TokenService {
  readonly adminToken: string;
  readonly readToken: string | undefined;
  private readonly logger = new Logger('auth');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.readToken = config.readToken;
    this.adminToken = config.adminToken ?? this.storedAdminToken(config.dataDir);
  }

  private storedAdminToken(dataDir: string): string {
    const path = join(dataDir, 'admin-token');
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const token = `lm_${randomBytes(24).toString('base64url')}`;
    writeFileSync(path, `${token}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    // Printed to the terminal once, on purpose, bypassing the structured log.
    process.stdout.write(
      `\nLastmile made an admin token (kept in ${path}); it is shown only now:\n\n  ${token}\n\n` +
        `Send it as "Authorization: Bearer <token>" for writes, or set LASTMILE_ADMIN_TOKEN.\n\n`,
    );
    this.logger.log(`admin token created in ${path}`);
    return token;
  }
}

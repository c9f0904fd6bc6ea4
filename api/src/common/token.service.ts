import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/**
 * The message that shows a token made at first start. It is held until the command has done its
 * work and is printed then, bypassing the structured log: the last thing a person reads before
 * "Lastmile is running", rather than lost among the start-up lines.
 */
let firstStartNotice: string | undefined;

/** The first-start message, once (empty when no token was made). */
export function takeFirstStartNotice(): string {
  const notice = firstStartNotice ?? '';
  firstStartNotice = undefined;
  return notice;
}

/**
 * The admin token comes from LASTMILE_ADMIN_TOKEN, or else is made at first start, kept in the
 * data directory (mode 0600) and shown once.
 */
@Injectable()
export class TokenService {
  readonly adminToken: string;
  readonly readToken: string | undefined;
  private readonly logger = new Logger('auth');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.readToken = config.readToken;
    this.adminToken = config.adminToken ?? this.storedAdminToken(config.dataDir);
    config.secrets.addValue(this.adminToken);
    config.secrets.addValue(this.readToken);
  }

  private storedAdminToken(dataDir: string): string {
    const path = join(dataDir, 'admin-token');
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const token = `lm_${randomBytes(24).toString('base64url')}`;
    writeFileSync(path, `${token}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    firstStartNotice =
      `\nLastmile made an admin token (kept in ${path}); it is shown only now:\n\n  ${token}\n\n` +
      `Send it as "Authorization: Bearer <token>" for writes, or set LASTMILE_ADMIN_TOKEN.\n\n`;
    this.logger.log(`admin token created in ${path}`);
    return token;
  }
}

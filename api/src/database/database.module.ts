import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type DatabaseTarget, migrate, openDataSource } from './data-source.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';

export const EMBEDDED_ENGINE = Symbol('EMBEDDED_ENGINE');

/**
 * Opens PostgreSQL (DATABASE_URL, or the embedded engine under the data directory) and applies
 * pending migrations before anything else starts.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('database');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_ENGINE) private readonly embedded: EmbeddedPostgres | null,
  ) {}

  static forRoot(override?: DatabaseTarget): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: EMBEDDED_ENGINE,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            if (override || config.databaseUrl) return null;
            const engine = await startEmbeddedPostgres(config.dataDir);
            DatabaseModule.logger.log(
              `embedded PostgreSQL (PGlite) with data in ${config.dataDir}`,
            );
            return engine;
          },
        },
        {
          provide: DataSource,
          inject: [APP_CONFIG, EMBEDDED_ENGINE],
          useFactory: async (config: AppConfig, embedded: EmbeddedPostgres | null) => {
            const target: DatabaseTarget = override ?? {
              url: embedded?.url ?? (config.databaseUrl as string),
              poolSize: embedded ? 1 : 10,
            };
            const dataSource = await openDataSource(target);
            const applied = await migrate(dataSource);
            if (applied.length > 0)
              DatabaseModule.logger.log(`applied migrations: ${applied.join(', ')}`);
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (this.embedded) await this.embedded.stop();
  }
}

import { DataSource, type DataSourceOptions } from 'typeorm';
import { DatabaseLogger } from '../common/json-logger.js';
import { migrations } from './migrations.js';
import { readTimesWithMicroseconds } from './precise-time.js';

readTimesWithMicroseconds();

export interface DatabaseTarget {
  url: string;
  /** Schema to use instead of public (tests give each file its own). */
  schema?: string;
  /** The embedded engine takes one connection at a time. */
  poolSize?: number;
}

export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    schema: target.schema,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    migrations,
    entities: [],
    logging: ['error', 'warn'],
    logger: new DatabaseLogger(),
    extra: {
      max: target.poolSize ?? 10,
      options: connectionOptions(target.schema),
    },
  };
}

/**
 * JIT compilation off: our statements run in milliseconds, and LLVM took about a second to compile
 * each linking UPDATE (measured: 975 ms with JIT, 18 ms without). work_mem is left at the server's
 * setting (4 MB by default). Raising it to 32 MB, so that a year's 171,000 PRs sort in memory for
 * the percentiles, made the metrics slower: PostgreSQL's sort of 4 MB runs merged on disk beat one
 * 17 MB quicksort (30 ms against 80 ms for lead_time_for_changes' grouping sort), and the
 * benchmark's overview page took 699 and 693 ms at p95 against 959 and 999 ms with 32 MB. Tests
 * put each file in its own schema; search_path makes unqualified SQL land there.
 */
function connectionOptions(schema: string | undefined): string {
  return ['-c jit=off', schema ? `-c search_path=${schema}` : ''].filter(Boolean).join(' ');
}

export async function openDataSource(target: DatabaseTarget): Promise<DataSource> {
  if (target.schema) {
    const admin = new DataSource({ type: 'postgres', url: target.url, extra: { max: 1 } });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    await admin.destroy();
  }
  const dataSource = new DataSource(dataSourceOptions(target));
  await dataSource.initialize();
  return dataSource;
}

/** Applies pending migrations; returns the names of those applied. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

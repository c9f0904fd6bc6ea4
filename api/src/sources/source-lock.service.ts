import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

export interface HeldLock {
  release(): Promise<void>;
}

// The advisory lock key space: one class id for source syncs; the object id is the source id hashed
// with the schema, since advisory locks span the database and two installations (or two test files)
// may keep their tables in schemas of one database, each with its own source 1.
const SYNC_LOCK_CLASS = 0x4c4d; // "LM"
const LOCK_OBJECT = `hashtext(current_schema() || '/' || $2::text)`;

/**
 * One sync of a source at a time across replicas: a session-level PostgreSQL advisory lock held on a
 * dedicated connection for the whole run. The embedded engine has a single connection (and is one
 * process), so there the lock is held in memory instead.
 */
@Injectable()
export class SourceLockService {
  private readonly heldInProcess = new Set<number>();

  constructor(private readonly dataSource: DataSource) {}

  private get singleConnection(): boolean {
    const extra = this.dataSource.options.extra as { max?: number } | undefined;
    return extra?.max === 1;
  }

  async tryLock(sourceId: number): Promise<HeldLock | null> {
    if (this.heldInProcess.has(sourceId)) return null;
    if (this.singleConnection) {
      this.heldInProcess.add(sourceId);
      return {
        release: () => {
          this.heldInProcess.delete(sourceId);
          return Promise.resolve();
        },
      };
    }
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(
        `SELECT pg_try_advisory_lock($1, ${LOCK_OBJECT}) AS locked`,
        [SYNC_LOCK_CLASS, sourceId],
      );
      if (!locked) {
        await runner.release();
        return null;
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    this.heldInProcess.add(sourceId);
    return {
      release: async () => {
        this.heldInProcess.delete(sourceId);
        try {
          await runner.query(`SELECT pg_advisory_unlock($1, ${LOCK_OBJECT})`, [
            SYNC_LOCK_CLASS,
            sourceId,
          ]);
        } finally {
          await runner.release();
        }
      },
    };
  }
}

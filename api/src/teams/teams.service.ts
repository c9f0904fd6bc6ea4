import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors.js';
import { type AppConfig, formatIssuePath, teamSchema } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type Team, TeamsRepository } from './teams.repository.js';

@Injectable()
export class TeamsService implements OnApplicationBootstrap {
  constructor(
    private readonly repository: TeamsRepository,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.syncFromConfig(this.config.file.teams);
  }

  list(): Promise<Team[]> {
    return this.repository.list();
  }

  async get(name: string): Promise<Team> {
    const team = await this.repository.find(name);
    if (!team) throw new NotFoundError(`There is no team "${name}".`);
    return team;
  }

  async put(name: string, body: unknown): Promise<Team> {
    const parsed = teamSchema.safeParse({ ...(body as object), name });
    if (!parsed.success) {
      throw new ValidationFailedError(
        parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
      );
    }
    const existing = await this.repository.find(name);
    if (existing?.origin === 'config') {
      throw new ConflictError(`Team "${name}" is declared in the config file; change it there.`);
    }
    await this.dataSource.transaction((manager) =>
      this.repository.replace(manager, { ...parsed.data, origin: 'api' }),
    );
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    const existing = await this.get(name);
    if (existing.origin === 'config') {
      throw new ConflictError(`Team "${name}" is declared in the config file; remove it there.`);
    }
    await this.repository.remove(name);
  }
}

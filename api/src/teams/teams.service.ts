import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors.js';
import { type AppConfig, issueDetails, teamSchema } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { LinkingService } from '../linking/linking.service.js';
import { type Team, TeamsRepository } from './teams.repository.js';

@Injectable()
export class TeamsService implements OnApplicationBootstrap {
  constructor(
    private readonly repository: TeamsRepository,
    private readonly dataSource: DataSource,
    private readonly linking: LinkingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.applyConfigTeams(this.config.file.teams);
  }

  /**
   * Stores the config file's teams and drops the config teams it no longer declares. Incidents
   * named by team alone are re-attributed for both: a dropped team's incidents lose its
   * repositories.
   */
  async applyConfigTeams(teams: AppConfig['file']['teams']): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const dropped = await this.repository.syncFromConfig(manager, teams);
      const names = [...teams.map((team) => team.name), ...dropped];
      if (names.length > 0) await this.linking.relinkTeamIncidents(manager, names);
    });
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
      throw new ValidationFailedError(issueDetails(parsed.error, ''));
    }
    const existing = await this.repository.find(name);
    if (existing?.origin === 'config') {
      throw new ConflictError(`Team "${name}" is declared in the config file; change it there.`);
    }
    // Incidents named by team alone are attributed among the team's repositories: re-attribute.
    await this.dataSource.transaction(async (manager) => {
      await this.repository.replace(manager, { ...parsed.data, origin: 'api' });
      await this.linking.relinkTeamIncidents(manager, [name]);
    });
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    const existing = await this.get(name);
    if (existing.origin === 'config') {
      throw new ConflictError(`Team "${name}" is declared in the config file; remove it there.`);
    }
    await this.dataSource.transaction(async (manager) => {
      await this.repository.remove(name, manager);
      await this.linking.relinkTeamIncidents(manager, [name]);
    });
  }
}

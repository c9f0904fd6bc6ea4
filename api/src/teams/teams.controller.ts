import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Team } from './teams.repository.js';
import { TeamsService } from './teams.service.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  async list(): Promise<{ teams: Team[] }> {
    return { teams: await this.teams.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<Team> {
    return this.teams.get(name);
  }

  @Put(':name')
  put(@Param('name') name: string, @Body() body: unknown): Promise<Team> {
    return this.teams.put(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.teams.remove(name);
  }
}

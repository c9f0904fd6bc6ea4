import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import { teamBodySchema, teamListSchema, teamViewSchema } from './team.contract.js';
import type { Team } from './teams.repository.js';
import { TeamsService } from './teams.service.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @ApiJsonResponse(teamListSchema)
  async list(): Promise<{ teams: Team[] }> {
    return { teams: await this.teams.list() };
  }

  @Get(':name')
  @ApiJsonResponse(teamViewSchema)
  get(@Param('name') name: string): Promise<Team> {
    return this.teams.get(name);
  }

  @Put(':name')
  @ApiJsonBody(teamBodySchema)
  @ApiJsonResponse(teamViewSchema)
  put(@Param('name') name: string, @Body() body: unknown): Promise<Team> {
    return this.teams.put(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  remove(@Param('name') name: string): Promise<void> {
    return this.teams.remove(name);
  }
}

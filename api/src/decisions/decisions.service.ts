import { Injectable } from '@nestjs/common';
import { dateOrTimeProblem } from '../common/input-schemas.js';
import { NotFoundError, rejectUnknownParams, ValidationFailedError } from '../common/errors.js';
import { applyPatch, parseDecision } from './decision.schema.js';
import type { Decision, DecisionInput, DecisionListFilter } from './decision.types.js';
import { DecisionsRepository } from './decisions.repository.js';

@Injectable()
export class DecisionsService {
  constructor(private readonly repository: DecisionsRepository) {}

  list(query: Record<string, unknown>): Promise<Decision[]> {
    return this.repository.list(parseListQuery(query));
  }

  async get(id: number): Promise<Decision> {
    const decision = await this.repository.find(id);
    if (!decision) throw new NotFoundError(`There is no decision ${id}.`);
    return decision;
  }

  async create(body: unknown): Promise<Decision> {
    const input = parseDecision(body);
    await this.checkTeams(input);
    return this.repository.insert(input);
  }

  async update(id: number, body: unknown): Promise<Decision> {
    const current = await this.get(id);
    const input = applyPatch(current, body);
    await this.checkTeams(input);
    return (await this.repository.update(id, input)) ?? this.get(id);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repository.remove(id))) throw new NotFoundError(`There is no decision ${id}.`);
  }

  private async checkTeams(input: DecisionInput): Promise<void> {
    const unknown = await this.repository.unknownTeams(input.scope.teams);
    if (unknown.length === 0) return;
    throw new ValidationFailedError(
      unknown.map((name) => ({
        path: `scope.teams[${input.scope.teams.indexOf(name)}]`,
        message: `"${name}" is not a known team (PUT /api/v1/teams/${name} or declare it in the config)`,
      })),
    );
  }
}

/** Decision ids are positive integers; anything else is a 404, as no such decision exists. */
export function parseDecisionId(text: string): number {
  const id = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(id > 0)) throw new NotFoundError(`There is no decision "${text}".`);
  return id;
}

function parseListQuery(query: Record<string, unknown>): DecisionListFilter {
  rejectUnknownParams(query, ['team', 'from', 'to', 'summary']);
  const filter: DecisionListFilter = {};
  const problems: { path: string; message: string }[] = [];
  if (typeof query.team === 'string') filter.team = query.team;
  for (const key of ['from', 'to'] as const) {
    const text = query[key];
    if (text === undefined) continue;
    const problem = typeof text === 'string' ? dateOrTimeProblem(text) : 'must be given once';
    if (problem) problems.push({ path: key, message: problem });
    else filter[key] = new Date(text as string);
  }
  if (query.summary !== undefined && query.summary !== 'true' && query.summary !== 'false')
    problems.push({ path: 'summary', message: 'must be "true" or "false"' });
  if (query.team !== undefined && typeof query.team !== 'string')
    problems.push({ path: 'team', message: 'must be given once' });
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return filter;
}

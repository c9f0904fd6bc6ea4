// The decisions API's shapes (api.md, "Decisions").

export type DecisionKind = 'buy' | 'build' | 'other';

/** What a decision touched: the union of what is named; a team stands for its repos and models. */
export interface DecisionScope {
  teams: string[];
  repos: string[];
  /** "registry/model", or a model name alone (every registry). */
  models: string[];
}

export interface DecisionInput {
  title: string;
  kind: DecisionKind;
  vendor: string | null;
  description: string | null;
  effective_at: string;
  scope: DecisionScope;
}

export interface Decision extends DecisionInput {
  id: number;
  created_at: string;
  updated_at: string;
}

export interface DecisionListFilter {
  team?: string;
  from?: Date;
  to?: Date;
}

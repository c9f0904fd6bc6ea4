import { useQueries } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { metricQueryOptions } from '../api/metrics.queries';
import { useTeams } from '../api/teams.queries';
import { ApiError } from '../lib/api-client';
import { catalogMetrics } from '../metrics/catalog';
import { PRESETS } from '../lib/date-range';
import { formatDate } from '../lib/format';
import { type ScopeQuery, useFilters } from '../lib/url-state';

type ScopeFilter = 'team' | 'repo' | 'model';

/**
 * The API's word on each scope filter set: a metric the filter applies to is asked (the same
 * query a page's chart makes, so it costs nothing more), and a 400 naming the field is shown
 * beside it.
 */
function useFilterErrors(query: ScopeQuery): Partial<Record<ScopeFilter, string>> {
  const fields = (['team', 'repo', 'model'] as const).filter((field) => query[field]);
  const metrics = fields.map(
    (field) => catalogMetrics().find((entry) => entry.filters.includes(field))?.name,
  );
  const results = useQueries({
    queries: metrics.flatMap((metric) => (metric ? [metricQueryOptions(metric, query)] : [])),
  });
  const errors: Partial<Record<ScopeFilter, string>> = {};
  for (const result of results) {
    if (!(result.error instanceof ApiError)) continue;
    for (const detail of result.error.details)
      if (fields.includes(detail.path as ScopeFilter))
        errors[detail.path as ScopeFilter] = detail.message;
  }
  return errors;
}

const PRESET_LABELS: Record<keyof typeof PRESETS, string> = {
  '4w': '4 weeks',
  '12w': '12 weeks',
  '26w': '26 weeks',
  '1y': '1 year',
};

/** A text filter that commits on Enter, on leaving the field, or on picking a suggestion. */
function FilterInput({
  label,
  name,
  value,
  options,
  error,
  onCommit,
}: {
  label: string;
  name: string;
  value: string;
  options: string[];
  /** The API's objection to the value, shown beside the field. */
  error?: string;
  onCommit: (value: string) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft.trim());
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        list={`${id}-options`}
        value={draft}
        placeholder="All"
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          // Picking a suggestion from the list commits at once.
          if (options.includes(event.target.value)) onCommit(event.target.value);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          }
        }}
      />
      <datalist id={`${id}-options`}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert" data-filter-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FilterBar() {
  const { filters, range, query, setFilters } = useFilters();
  const teams = useTeams();
  const errors = useFilterErrors(query);
  const [customFrom, setCustomFrom] = useState(range.from);
  const [customTo, setCustomTo] = useState(range.lastDay);
  useEffect(() => {
    setCustomFrom(range.from);
    setCustomTo(range.lastDay);
  }, [range.from, range.lastDay]);

  const teamList = teams.data ?? [];
  const selectedTeams = filters.team
    ? teamList.filter((team) => team.name === filters.team)
    : teamList;
  const repos = [...new Set(selectedTeams.flatMap((team) => team.repos))].sort();
  const models = [
    ...new Set(selectedTeams.flatMap((team) => team.models.map((model) => model.model))),
  ].sort();

  const applyCustom = (event: FormEvent) => {
    event.preventDefault();
    if (customFrom && customTo && customFrom <= customTo)
      setFilters({ range: 'custom', from: customFrom, to: customTo });
  };

  return (
    <div className="filter-bar" role="region" aria-label="Filters">
      <div className="field">
        <span className="field-label" id="range-label">
          Range
        </span>
        <div className="segmented" role="group" aria-labelledby="range-label">
          {(Object.keys(PRESETS) as (keyof typeof PRESETS)[]).map((preset) => (
            <button
              key={preset}
              type="button"
              aria-pressed={filters.range === preset}
              title={PRESET_LABELS[preset]}
              onClick={() => setFilters({ range: preset, from: undefined, to: undefined })}
            >
              {preset}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={filters.range === 'custom'}
            onClick={() => setFilters({ range: 'custom', from: range.from, to: range.lastDay })}
          >
            Custom
          </button>
        </div>
      </div>
      {filters.range === 'custom' && (
        <form className="custom-range" onSubmit={applyCustom} aria-label="Custom range">
          <div className="field">
            <label htmlFor="range-from">From</label>
            <input
              id="range-from"
              type="date"
              value={customFrom}
              max={customTo}
              onChange={(event) => setCustomFrom(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="range-to">To</label>
            <input
              id="range-to"
              type="date"
              value={customTo}
              min={customFrom}
              onChange={(event) => setCustomTo(event.target.value)}
            />
          </div>
          <button type="submit" className="button button-small">
            Apply
          </button>
        </form>
      )}
      <div className="field">
        <label htmlFor="granularity">Granularity</label>
        <select
          id="granularity"
          value={filters.granularity}
          onChange={(event) => setFilters({ granularity: event.target.value })}
        >
          <option value="day">Day</option>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="team">Team</label>
        <select
          id="team"
          value={filters.team ?? ''}
          onChange={(event) => setFilters({ team: event.target.value || undefined })}
        >
          <option value="">All teams</option>
          {teamList.map((team) => (
            <option key={team.name} value={team.name}>
              {team.name}
            </option>
          ))}
          {filters.team && !teamList.some((team) => team.name === filters.team) && (
            <option value={filters.team}>{filters.team}</option>
          )}
        </select>
        {errors.team && (
          <p className="field-error" role="alert" data-filter-error="team">
            {errors.team}
          </p>
        )}
      </div>
      <FilterInput
        label="Repository"
        name="repo"
        value={filters.repo ?? ''}
        options={repos}
        error={errors.repo}
        onCommit={(repo) => setFilters({ repo })}
      />
      <FilterInput
        label="Model"
        name="model"
        value={filters.model ?? ''}
        options={models}
        error={errors.model}
        onCommit={(model) => setFilters({ model })}
      />
      <p className="range-summary" aria-live="polite">
        {formatDate(range.from)} – {formatDate(range.lastDay)}
      </p>
    </div>
  );
}

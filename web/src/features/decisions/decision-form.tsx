import { type FormEvent, useState } from 'react';
import { useTeams } from '../../api/teams.queries';
import type { Decision } from '../../api/types';
import { ErrorState } from '../../components/state-message';
import { toDateString } from '../../lib/date-range';
import { navigate } from '../../lib/url-state';
import { useCreateDecision } from './decisions.queries';

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** Records a decision (POST, admin token): what changed, when, and which teams, repos or models it touched. */
export function DecisionForm({ onCancel }: { onCancel: () => void }) {
  const teams = useTeams();
  const create = useCreateDecision();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<Decision['kind']>('buy');
  const [vendor, setVendor] = useState('');
  const [date, setDate] = useState(toDateString(new Date()));
  const [scopeTeams, setScopeTeams] = useState<string[]>([]);
  const [repos, setRepos] = useState('');
  const [models, setModels] = useState('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const scope = { teams: scopeTeams, repos: list(repos), models: list(models) };
    if (!scope.teams.length && !scope.repos.length && !scope.models.length) {
      setProblem('Choose at least one team, repository or model that the decision affected.');
      return;
    }
    setProblem('');
    create.mutate(
      {
        title: title.trim(),
        kind,
        effective_at: `${date}T00:00:00Z`,
        scope: Object.fromEntries(Object.entries(scope).filter(([, values]) => values.length)),
        vendor: vendor.trim() || undefined,
        description: description.trim() || undefined,
      },
      {
        onSuccess: (decision) => navigate(`/decisions/${encodeURIComponent(String(decision.id))}`),
      },
    );
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="decision-form-title">
      <h2 id="decision-form-title">Record a decision</h2>
      <div className="form-grid">
        <div className="field field-block field-span">
          <label htmlFor="decision-title">Title</label>
          <input
            id="decision-title"
            required
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="Adopted a managed feature store"
          />
        </div>
        <div className="field field-block">
          <label htmlFor="decision-kind">Kind</label>
          <select
            id="decision-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as Decision['kind'])}
          >
            <option value="buy">Buy</option>
            <option value="build">Build</option>
            <option value="other">Other</option>
          </select>
        </div>
        <div className="field field-block">
          <label htmlFor="decision-vendor">Vendor</label>
          <input
            id="decision-vendor"
            value={vendor}
            onChange={(event) => setVendor(event.target.value)}
            placeholder="Optional"
          />
        </div>
        <div className="field field-block">
          <label htmlFor="decision-date">Effective date</label>
          <input
            id="decision-date"
            type="date"
            required
            value={date}
            onChange={(event) => setDate(event.target.value)}
          />
        </div>
        <fieldset className="field field-block field-span">
          <legend>Teams in scope</legend>
          {teams.data?.length ? (
            <div className="checkbox-row">
              {teams.data.map((team) => (
                <label key={team.name}>
                  <input
                    type="checkbox"
                    checked={scopeTeams.includes(team.name)}
                    onChange={(event) =>
                      setScopeTeams(
                        event.target.checked
                          ? [...scopeTeams, team.name]
                          : scopeTeams.filter((name) => name !== team.name),
                      )
                    }
                  />
                  {team.name}
                </label>
              ))}
            </div>
          ) : (
            <p className="help">
              No teams are defined yet (lastmile.yaml or PUT /api/v1/teams/&lt;name&gt;); scope by
              repository or model below.
            </p>
          )}
        </fieldset>
        <div className="field field-block">
          <label htmlFor="decision-repos">Repositories</label>
          <input
            id="decision-repos"
            value={repos}
            onChange={(event) => setRepos(event.target.value)}
            placeholder="acme/serving, acme/features"
            aria-describedby="decision-list-help"
          />
        </div>
        <div className="field field-block">
          <label htmlFor="decision-models">Models</label>
          <input
            id="decision-models"
            value={models}
            onChange={(event) => setModels(event.target.value)}
            placeholder="churn, fraud"
            aria-describedby="decision-list-help"
          />
        </div>
        <p id="decision-list-help" className="help field-span">
          Separate several with commas.
        </p>
        <div className="field field-block field-span">
          <label htmlFor="decision-description">Description</label>
          <textarea
            id="decision-description"
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            placeholder="Optional: what changed and why"
          />
        </div>
      </div>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {create.error && <ErrorState title="The decision was not saved" error={create.error} />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save decision'}
        </button>
      </div>
    </form>
  );
}

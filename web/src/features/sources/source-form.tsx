import { type FormEvent, useState } from 'react';
import type { Source } from '../../api/types';
import { ApiError } from '../../lib/api-client';
import { useSaveSource } from './sources.queries';

const KINDS = ['github', 'mlflow'] as const;

/** The fields the form edits, as text; the API checks them and names any it refuses. */
interface Draft {
  kind: string;
  name: string;
  base_url: string;
  token_env: string;
  repos: string;
  org: string;
  schedule: string;
}

/** A field of the source's kind, as text (kinds differ in their fields; the API checks them). */
function textOf(source: Source | undefined, key: string): string {
  const value = (source as Record<string, unknown> | undefined)?.[key];
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(', ') : '';
}

const draftOf = (source?: Source): Draft => ({
  kind: source?.kind ?? 'github',
  name: source?.name ?? '',
  base_url: textOf(source, 'base_url'),
  token_env: textOf(source, 'token_env'),
  repos: textOf(source, 'repos'),
  org: textOf(source, 'org'),
  schedule: source?.schedule ?? '',
});

/** Only what was filled in: the API's defaults stand for the rest. */
function bodyOf(draft: Draft, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = editing ? {} : { kind: draft.kind };
  if (draft.name.trim()) body.name = draft.name.trim();
  if (draft.base_url.trim()) body.base_url = draft.base_url.trim();
  if (draft.token_env.trim()) body.token_env = draft.token_env.trim();
  if (draft.schedule.trim()) body.schedule = draft.schedule.trim();
  if (draft.kind === 'github') {
    const repos = draft.repos
      .split(/[\s,]+/)
      .map((repo) => repo.trim())
      .filter(Boolean);
    if (repos.length > 0 || editing) body.repos = repos;
    if (draft.org.trim()) body.org = draft.org.trim();
  }
  return body;
}

/** Adds a source, or edits one added through the API (admin token). */
export function SourceForm({ source, onDone }: { source?: Source; onDone: () => void }) {
  const editing = source !== undefined;
  const [draft, setDraft] = useState<Draft>(() => draftOf(source));
  const save = useSaveSource();
  const [warnings, setWarnings] = useState<string[]>([]);
  const set = (key: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: event.target.value });
  const prefix = editing ? `edit-${source.id}` : 'new-source';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { id: source?.id, body: bodyOf(draft, editing) },
      {
        onSuccess: (written) => {
          setWarnings(written.warnings ?? []);
          if ((written.warnings ?? []).length === 0) onDone();
        },
      },
    );
  };
  const error = save.error;
  return (
    <form
      className="card form source-form"
      onSubmit={submit}
      aria-label={editing ? `Edit ${source.name}` : 'Add a source'}
    >
      <h2>{editing ? `Edit ${source.name}` : 'Add a source'}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Kind</label>
          <select
            id={`${prefix}-kind`}
            value={draft.kind}
            disabled={editing}
            onChange={set('kind')}
          >
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind === 'github' ? 'GitHub' : 'MLflow'}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-name`}>Name</label>
          <input id={`${prefix}-name`} value={draft.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-base-url`}>
            {draft.kind === 'mlflow' ? 'Tracking server URL' : 'API URL'}
          </label>
          <input
            id={`${prefix}-base-url`}
            value={draft.base_url}
            placeholder={
              draft.kind === 'mlflow' ? 'https://mlflow.example.com' : 'https://api.github.com'
            }
            onChange={set('base_url')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-token-env`}>Token variable</label>
          <input
            id={`${prefix}-token-env`}
            value={draft.token_env}
            placeholder={draft.kind === 'github' ? 'GITHUB_TOKEN' : 'MLFLOW_TRACKING_TOKEN'}
            onChange={set('token_env')}
          />
          <p className="help">The name of the server's environment variable, never the token.</p>
        </div>
        {draft.kind === 'github' && (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-repos`}>Repositories</label>
              <input
                id={`${prefix}-repos`}
                value={draft.repos}
                placeholder="acme/serving, acme/ranker"
                onChange={set('repos')}
              />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-org`}>Or an organisation</label>
              <input id={`${prefix}-org`} value={draft.org} onChange={set('org')} />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={`${prefix}-schedule`}>Schedule (cron)</label>
          <input
            id={`${prefix}-schedule`}
            value={draft.schedule}
            placeholder={draft.kind === 'github' ? '0 */30 * * * *' : '0 */10 * * * *'}
            onChange={set('schedule')}
          />
        </div>
      </div>
      {error && (
        <div className="form-problem" role="alert">
          <p>{error.message}</p>
          {error instanceof ApiError && error.details.length > 0 && (
            <ul>
              {error.details.map((detail) => (
                <li key={`${detail.path}-${detail.message}`}>
                  <code>{detail.path}</code> {detail.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {warnings.length > 0 && (
        <div className="callout" role="status" data-warnings>
          <p>Saved. It cannot sync until this is fixed on the server:</p>
          <ul>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDone}>
          {warnings.length > 0 ? 'Close' : 'Cancel'}
        </button>
        {warnings.length === 0 && (
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add source'}
          </button>
        )}
      </div>
    </form>
  );
}

import { type FormEvent, useState } from 'react';
import type { Source, SourceKind, SourceKindField } from '../../api/types';
import { ErrorState, Loading } from '../../components/state-message';
import { ApiError } from '../../lib/api-client';
import { bodyOf, type Draft, draftOf, fieldOfPath } from './source-draft';
import { useSaveSource, useSourceKinds } from './sources.queries';

type Problems = Record<string, string[]>;

/** A default as the placeholder shows it. */
function defaultText(field: SourceKindField): string {
  const value = field.default;
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function FieldInput({
  field,
  id,
  value,
  problems,
  onChange,
}: {
  field: SourceKindField;
  id: string;
  value: string | boolean;
  problems: string[] | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const described = [
    field.description || field.secret_variable ? helpId : '',
    problems ? errorId : '',
  ]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    'aria-describedby': described || undefined,
    'aria-invalid': problems ? true : undefined,
    'aria-required': field.required || undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const set = (event: { target: { value: string } }) => onChange(event.target.value);
  // The mark sits beside the label, out of the field's name; aria-required says it to readers.
  const label = (
    <span className="field-label-row">
      <label htmlFor={id}>{field.label}</label>
      {field.required && (
        <span className="field-required" aria-hidden="true">
          required
        </span>
      )}
    </span>
  );
  let input;
  if (field.type === 'boolean') {
    input = (
      <label className="checkbox-field" htmlFor={id}>
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
        />
        {field.label}
      </label>
    );
  } else if (field.type === 'one_of') {
    input = (
      <select {...common} value={text} onChange={set}>
        <option value="">
          {field.default !== undefined ? `Default (${defaultText(field)})` : 'Choose…'}
        </option>
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'text_list') {
    input = (
      <textarea
        {...common}
        rows={2}
        value={text}
        placeholder={defaultText(field)}
        spellCheck={false}
        onChange={set}
      />
    );
  } else {
    input = (
      <input
        {...common}
        value={text}
        placeholder={defaultText(field)}
        inputMode={field.type === 'number' ? 'decimal' : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={set}
      />
    );
  }
  return (
    <div className="field" data-field={field.name}>
      {field.type !== 'boolean' && label}
      {input}
      {problems && (
        <p className="field-error" id={errorId} role="alert" data-field-error={field.name}>
          {problems.join('; ')}
        </p>
      )}
      {(field.description || field.secret_variable) && (
        <p className="help" id={helpId}>
          {field.description}
          {field.secret_variable && ' The name of the variable, never the secret.'}
          {field.type === 'text_list' && ' One a line, or separated by commas.'}
        </p>
      )}
    </div>
  );
}

/** Adds a source of any kind the API lists, or edits one added through the API (admin token). */
export function SourceForm({ source, onDone }: { source?: Source; onDone: () => void }) {
  const kinds = useSourceKinds();
  const title = source ? `Edit ${source.name}` : 'Add a source';
  if (kinds.data) return <SourceFields kinds={kinds.data} source={source} onDone={onDone} />;
  return (
    <section className="card form source-form" aria-label={title}>
      <h2>{title}</h2>
      {kinds.error ? (
        <ErrorState title="The kinds of source did not load" error={kinds.error} />
      ) : (
        <Loading />
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function SourceFields({
  kinds,
  source,
  onDone,
}: {
  kinds: SourceKind[];
  source?: Source;
  onDone: () => void;
}) {
  const editing = source !== undefined;
  const [kind, setKind] = useState(source?.kind ?? kinds[0]?.kind ?? '');
  const fields = kinds.find((k) => k.kind === kind)?.fields ?? [];
  // An edit sends only what changed from the source as it was.
  const [initial] = useState<Draft | undefined>(() =>
    source ? draftOf(fields, source) : undefined,
  );
  const [draft, setDraft] = useState<Draft>(() => draftOf(fields, source));
  const save = useSaveSource();
  const [warnings, setWarnings] = useState<string[]>([]);
  const prefix = editing ? `edit-${source.id}` : 'new-source';
  const chooseKind = (next: string) => {
    // Another kind has other fields; the name stays.
    const nextFields = kinds.find((k) => k.kind === next)?.fields ?? [];
    setDraft({ ...draftOf(nextFields), name: draft.name ?? '' });
    setKind(next);
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { id: source?.id, body: bodyOf(kind, fields, draft, initial) },
      {
        onSuccess: (written) => {
          setWarnings(written.warnings ?? []);
          if ((written.warnings ?? []).length === 0) onDone();
        },
      },
    );
  };
  const error = save.error;
  // The API's 400 names each field it refuses: the message goes beside that field.
  const details = error instanceof ApiError ? error.details : [];
  const problems: Problems = {};
  const elsewhere = details.filter((detail) => {
    const name = fieldOfPath(fields, detail.path);
    if (!name) return true;
    const message = detail.path === name ? detail.message : `${detail.path}: ${detail.message}`;
    (problems[name] ??= []).push(message);
    return false;
  });
  const known = kinds.some((k) => k.kind === kind);
  return (
    <form
      className="card form source-form"
      onSubmit={submit}
      aria-label={editing ? `Edit ${source.name}` : 'Add a source'}
      data-kind={kind}
    >
      <h2>{editing ? `Edit ${source.name}` : 'Add a source'}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Kind</label>
          <select
            id={`${prefix}-kind`}
            value={kind}
            disabled={editing}
            onChange={(event) => chooseKind(event.target.value)}
          >
            {!known && <option value={kind}>{kind}</option>}
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
          {!known && <p className="help">This server has no collector for sources of this kind.</p>}
        </div>
        {fields.map((field) => (
          <FieldInput
            key={`${kind}-${field.name}`}
            field={field}
            id={`${prefix}-${field.name.replaceAll('_', '-')}`}
            value={draft[field.name] ?? ''}
            problems={problems[field.name]}
            onChange={(value) => setDraft({ ...draft, [field.name]: value })}
          />
        ))}
      </div>
      {error && (
        <div className="form-problem" role="alert">
          <p>{error.message}</p>
          {elsewhere.length > 0 && (
            <ul>
              {elsewhere.map((detail) => (
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

import type { Source, SourceKindField } from '../../api/types';

// A source being typed into the form, field by field as GET /api/v1/source-kinds lists them: text
// as typed (a list is one text, an item a line or comma-separated), booleans as checked. The API
// checks the values and names any it refuses.

export type Draft = Record<string, string | boolean>;

/** A list as one text: comma-separated, or a line an item when an item holds a comma. */
function listText(items: unknown[]): string {
  const texts = items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return texts.join(texts.some((item) => item.includes(',')) ? '\n' : ', ');
}

/** Items a line when there is more than one line (a pattern may hold a comma), else by commas. */
function listOf(text: string): string[] {
  return text
    .split(text.includes('\n') ? '\n' : ',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return listText(value);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The form's starting values: the source's own when editing, else empty (defaults are shown). */
export function draftOf(fields: readonly SourceKindField[], source?: Source): Draft {
  const stored = source as Record<string, unknown> | undefined;
  return Object.fromEntries(
    fields.map((field) => [
      field.name,
      field.type === 'boolean'
        ? Boolean(stored?.[field.name] ?? field.default ?? false)
        : valueText(stored?.[field.name]),
    ]),
  );
}

/** A field's value as the body carries it, or undefined when it was left empty. */
function valueOf(field: SourceKindField, value: string | boolean): unknown {
  if (typeof value === 'boolean') return value;
  const text = value.trim();
  if (field.type === 'text_list') {
    const items = listOf(value);
    return items.length > 0 ? items : undefined;
  }
  if (text === '') return undefined;
  // Not a number: sent as typed, for the API to say what it takes.
  if (field.type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  return text;
}

/**
 * A new source: its kind and what was filled in (the API's defaults stand for the rest). An edit:
 * only the fields changed; one emptied is sent as null, which unsets it (or restores its default).
 */
export function bodyOf(
  kind: string,
  fields: readonly SourceKindField[],
  draft: Draft,
  initial?: Draft,
): Record<string, unknown> {
  const body: Record<string, unknown> = initial ? {} : { kind };
  for (const field of fields) {
    const value = draft[field.name] ?? '';
    if (initial) {
      if (value === initial[field.name]) continue;
      body[field.name] = valueOf(field, value) ?? null;
    } else if (field.type === 'boolean') {
      if (value !== (field.default ?? false)) body[field.name] = value;
    } else {
      const sent = valueOf(field, value);
      if (sent !== undefined) body[field.name] = sent;
    }
  }
  return body;
}

/** The field an error detail's path names ("repos[1]" names repos), if the kind has it. */
export function fieldOfPath(
  fields: readonly SourceKindField[],
  path: string | undefined,
): string | undefined {
  const key = path?.match(/^[^.[]+/)?.[0];
  return fields.some((field) => field.name === key) ? key : undefined;
}

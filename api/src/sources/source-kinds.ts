import { z } from 'zod';
import type { Collector } from '@lastmile/collectors';
import type { sourceKindFieldSchema, sourceKindSchema } from './source.contract.js';

// GET /api/v1/source-kinds: what a form needs to add a source of each registered kind, read from
// the kind's own zod schema (through its JSON Schema, as the API takes a body), so the fields the
// web offers are the ones the API checks, and a field added to a schema is offered with it.

export type SourceKind = z.output<typeof sourceKindSchema>;
type SourceKindField = z.output<typeof sourceKindFieldSchema>;

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  items?: JsonSchema;
  title?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** Words a label spells otherwise than the key does. */
const WORDS: Record<string, string> = { url: 'URL', id: 'ID', api: 'API', env: 'variable' };

/** A key or kind as a label, for a field with no `title` or a collector with no `label`. */
export function labelOf(key: string): string {
  const words = key.split('_').map((word) => WORDS[word] ?? word);
  return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

/**
 * Every registered kind, in the registry's order. Throws, naming the kind and field, on a field the
 * form cannot take (an object, a list of numbers): the server then fails at start, not a form.
 */
export function describeSourceKinds(collectors: readonly Collector[]): SourceKind[] {
  return collectors.map((collector) => ({
    kind: collector.kind,
    label: collector.label ?? labelOf(collector.kind),
    model_registry: collector.modelRegistry,
    fields: fieldsOf(collector),
  }));
}

function fieldsOf(collector: Collector): SourceKindField[] {
  // As a request body is read: a field with a default is not required.
  const schema = z.toJSONSchema(collector.schema, { io: 'input' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'kind')
    .map(([name, property]) => ({
      name,
      label: property.title ?? labelOf(name),
      ...typeOf(collector.kind, name, property),
      required: required.has(name),
      ...(property.default === undefined
        ? {}
        : { default: property.default as SourceKindField['default'] }),
      description: property.description ?? null,
      // Every `*_env` key names a variable of the server holding a credential (the config's rule,
      // secrets.ts): the value is the variable's name, never the secret.
      secret_variable: name.endsWith('_env'),
    }));
}

function typeOf(
  kind: string,
  name: string,
  property: JsonSchema,
): Pick<SourceKindField, 'type' | 'options'> {
  if (property.type === 'string' && Array.isArray(property.enum))
    return { type: 'one_of', options: property.enum.map(String) };
  if (property.type === 'string') return { type: 'text' };
  if (property.type === 'array' && property.items?.type === 'string') return { type: 'text_list' };
  if (property.type === 'boolean') return { type: 'boolean' };
  if (property.type === 'number' || property.type === 'integer') return { type: 'number' };
  throw new Error(
    `Source kind "${kind}": the field "${name}" is neither text, a list of text, one of a few values, a boolean nor a number; the sources form cannot take it.`,
  );
}

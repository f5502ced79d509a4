import { quoteJsonString } from '../json-writer';

/** A JSON Schema (sub)schema being written: keys in writing order. */
export type JsonSchemaNode = Map<string, unknown>;

/** JSON text written as is (default values, in the payload's own formatting). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Confluent's JsonSchemaData annotations. */
export const CONNECT = {
  TYPE: 'connect.type',
  VERSION: 'connect.version',
  PARAMETERS: 'connect.parameters',
  INDEX: 'connect.index',
} as const;

/** The Connect struct name Confluent gives a oneOf union (its fields are `<name>.field.<i>`). */
export const ONE_OF_NAME = 'io.confluent.connect.json.OneOf';

/** The connect.* keys in the order Confluent's registry text has them (a Java HashMap's). */
const ANNOTATION_ORDER: readonly string[] = [CONNECT.VERSION, CONNECT.INDEX, CONNECT.TYPE, CONNECT.PARAMETERS];

/** Compact JSON text for a schema node, annotations after the schema's own keys. */
export function writeJsonSchema(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return quoteJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(writeJsonSchema).join(',')}]`;
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) if (!ANNOTATION_ORDER.includes(k)) parts.push(`${quoteJsonString(k)}:${writeJsonSchema(v)}`);
    for (const k of ANNOTATION_ORDER) if (value.has(k)) parts.push(`${quoteJsonString(k)}:${writeJsonSchema(value.get(k))}`);
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`Cannot write ${typeof value} into a JSON Schema`);
}

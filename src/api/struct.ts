import { DataError } from './errors';
import { Field, Schema, SchemaType } from './schema';
import { connectValueToString } from './value-text';

/**
 * A record value with a STRUCT schema (Kafka's Struct). put() checks each value against its field's
 * schema; validate() checks that every required field without a default is set. get() returns the
 * field's default when the value is unset, as Kafka does.
 */
export class Struct {
  private readonly values: unknown[];

  constructor(readonly schema: Schema) {
    if (schema.type !== SchemaType.STRUCT) throw new DataError(`Not a struct schema: ${schema.type}`);
    this.values = new Array(schema.fields.length).fill(null);
  }

  private lookup(fieldName: string): Field {
    const field = this.schema.field(fieldName);
    if (!field) throw new DataError(`${fieldName} is not a valid field name`);
    return field;
  }

  get(fieldName: string): unknown {
    const field = this.lookup(fieldName);
    const value = this.values[field.index];
    return value === null || value === undefined ? (field.schema.defaultValue ?? null) : value;
  }

  getWithoutDefault(fieldName: string): unknown {
    return this.values[this.lookup(fieldName).index] ?? null;
  }

  put(fieldName: string, value: unknown): this {
    const field = this.lookup(fieldName);
    validateValue(field.schema, value, field.name);
    this.values[field.index] = value ?? null;
    return this;
  }

  validate(): void {
    for (const field of this.schema.fields) {
      const value = this.values[field.index];
      if ((value === null || value === undefined) && (field.schema.optional || field.schema.defaultValue !== null)) continue;
      validateValue(field.schema, value, field.name);
    }
  }

  equals(other: unknown): boolean {
    return other instanceof Struct && other.schema.equals(this.schema) && this.values.every((v, i) => valuesEqual(v, other.values[i]));
  }

  /** Kafka's text form: `Struct{id=1,name=foo}`, unset fields left out. */
  toString(): string {
    const parts: string[] = [];
    for (const field of this.schema.fields) {
      const value = this.values[field.index];
      if (value !== null && value !== undefined) parts.push(`${field.name}=${connectValueToString(value, field.schema)}`);
    }
    return `Struct{${parts.join(',')}}`;
  }
}

/** Deep equality of Connect values (Buffers by bytes, BigDecimal and Date by value). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'bigint' || typeof b === 'bigint') return (typeof a === 'bigint' || typeof a === 'number') && BigInt(a as number) === BigInt(b as number);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof (a as { equals?: unknown }).equals === 'function') return (a as { equals(o: unknown): boolean }).equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const key = [...b.keys()].find((bk) => valuesEqual(bk, k));
      if (key === undefined || !valuesEqual(v, b.get(key))) return false;
    }
    return true;
  }
  return false;
}

import { validateValue } from './validate-value';

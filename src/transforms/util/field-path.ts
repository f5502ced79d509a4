import { ConfigDef, ConfigError, ConfigType, ConfigValue, DataError, Field, Importance, Schema, SchemaType, Struct, Validator } from '../../api';
import { requireMapOrNull, requireStructOrNull } from './requirements';
import { fieldValue } from './replace-null-with-default';

/**
 * Field paths as Kafka's KIP-821 defines them (FieldSyntaxVersion / SingleFieldPath): with `V1` a
 * path is one top-level field name, taken literally; with `V2` it is dotted (`a.b.c`), and a step
 * holding dots is wrapped in backticks (`` `a.b`.c ``), a backtick inside it escaped with a backslash.
 */
export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';
const VERSIONS: readonly FieldSyntaxVersion[] = ['V1', 'V2'];

const caseInsensitiveVersion: Validator = {
  ensureValid(name: string, value: ConfigValue): void {
    if (typeof value !== 'string' || !VERSIONS.includes(value.toUpperCase() as FieldSyntaxVersion)) {
      throw ConfigError.invalidValue(name, value, `String must be one of (case insensitive): ${VERSIONS.join(', ')}`);
    }
  },
  describe: () => `(case insensitive) [${VERSIONS.join(', ')}]`,
};

/** Adds `field.syntax.version` (default V1) to a transform's ConfigDef, as Kafka's appendConfigTo. */
export function withFieldSyntaxVersion(def: ConfigDef): ConfigDef {
  return def.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'V1',
    validator: caseInsensitiveVersion,
    importance: Importance.HIGH,
    doc:
      'How field paths are read. V1: a path names a field at the top level of the struct or map. V2: dotted paths reach nested ' +
      'fields; wrap a name that contains dots in backticks, e.g. "`foo.bar`.baz" is the field baz inside the field named "foo.bar".',
  });
}

/** The parsed (already validated) `field.syntax.version` value. */
export function fieldSyntaxVersion(value: string | null): FieldSyntaxVersion {
  return (value ?? 'V1').toUpperCase() as FieldSyntaxVersion;
}

/** One field path: its steps, and lookups of the field and its value in schemas, Structs and Maps. */
export class SingleFieldPath {
  readonly steps: readonly string[];
  private readonly parents: readonly string[];
  private readonly last: string;

  /** Throws ConfigError for a V2 path with an unclosed backtick. */
  constructor(
    readonly text: string,
    readonly version: FieldSyntaxVersion,
  ) {
    this.steps = version === 'V1' ? [text] : parseV2(text);
    this.parents = this.steps.slice(0, -1);
    this.last = this.steps[this.steps.length - 1];
  }

  /** The field the path names within a struct schema, or null when a step does not exist. */
  fieldFrom(schema: Schema | null): Field | null {
    if (schema === null) return null;
    let current = schema;
    for (const step of this.parents) {
      const field = lookUp(current, step);
      if (field === null) return null;
      current = field.schema;
    }
    return lookUp(current, this.last);
  }

  /**
   * The value at the path in a Struct, or null when a step does not exist or a parent is null. The
   * last step's default is used for a null value when `withDefault`; parents always use theirs.
   */
  valueFromStruct(struct: Struct | null, withDefault = true): unknown {
    let current = struct;
    if (current === null) return null;
    for (const step of this.parents) {
      if (current.schema.field(step) === undefined) return null;
      current = requireStructOrNull(current.get(step), NESTED);
      if (current === null) return null;
    }
    if (current.schema.field(this.last) === undefined) return null;
    return fieldValue(current, this.last, withDefault);
  }

  /** The value at the path in a schemaless Map, or null when absent. */
  valueFromMap(map: Map<unknown, unknown> | null): unknown {
    let current = map;
    if (current === null) return null;
    for (const step of this.parents) {
      current = requireMapOrNull(current.get(step), NESTED);
      if (current === null) return null;
    }
    return current.get(this.last) ?? null;
  }

  toString(): string {
    return this.text;
  }
}

const NESTED = 'nested field access';

function lookUp(schema: Schema, name: string): Field | null {
  if (schema.type !== SchemaType.STRUCT) throw new DataError('Cannot look up fields on non-struct type');
  return schema.field(name) ?? null;
}

const BACKTICK = '`';
const DOT = '.';
const BACKSLASH = '\\';

/**
 * Splits a V2 path into steps: on dots, except inside a backtick pair; a pair closes at a backtick
 * that ends the path or is followed by a dot and is not preceded by a backslash (`\``), which stands
 * for a literal backtick. A trailing dot adds an empty last step.
 */
function parseV2(path: string): string[] {
  const steps: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== BACKTICK) {
      const dot = path.indexOf(DOT, i);
      steps.push(dot < 0 ? path.slice(i) : path.slice(i, dot));
      if (dot < 0) break;
      i = dot + 1;
      continue;
    }
    const opening = i;
    let name = '';
    let from = i + 1;
    let search = from;
    for (;;) {
      const tick = path.indexOf(BACKTICK, search);
      if (tick < 0) throw incompleteBacktick(path, opening);
      const escaped = path[tick - 1] === BACKSLASH;
      if (tick === path.length - 1) {
        if (escaped) throw incompleteBacktick(path, opening);
        steps.push(name + path.slice(from, tick));
        i = path.length;
        break;
      }
      if (path[tick + 1] !== DOT) {
        // A backtick inside the name: part of it; keep looking for the closing one.
        search = tick + 1;
        continue;
      }
      if (escaped) {
        name += path.slice(from, tick - 1) + BACKTICK;
        from = search = tick + 1;
        continue;
      }
      steps.push(name + path.slice(from, tick));
      i = tick + 2;
      break;
    }
  }
  if (path.endsWith(DOT)) steps.push('');
  // An empty path is one empty step, as with V1, so there is always a last step.
  if (steps.length === 0) steps.push('');
  return steps;
}

function incompleteBacktick(path: string, at: number): ConfigError {
  return new ConfigError(`Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`);
}

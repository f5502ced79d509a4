import Ajv, { AnySchema, ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { DataError } from '../../api';

/** Checks a JSON value (as JSON.parse gives it) against a schema; throws a DataError naming the first violation. */
export type PayloadValidator = (value: unknown, what: string) => void;

/**
 * A validator compiled once (with ajv) for a JSON Schema and the schemas it references by name, for
 * json.fail.invalid.schema. The dialect follows "$schema": 2019-09 and 2020-12 get ajv's classes for
 * them, anything else (draft-04/06/07, or none) is checked as draft-07, which reads the keywords
 * Confluent writes the same way. Unknown keywords (connect.*) are ignored.
 */
export function compileValidator(schemaText: string, references: ReadonlyMap<string, string>): PayloadValidator {
  const root = JSON.parse(schemaText) as Record<string, unknown>;
  const dialect = typeof root.$schema === 'string' ? root.$schema : '';
  const options = { strict: false, allErrors: false, validateFormats: false, validateSchema: false } as const;
  const ajv = dialect.includes('2020-12') ? new Ajv2020(options) : dialect.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  const prepare = (schema: Record<string, unknown>): AnySchema => {
    if (!/2019-09|2020-12/.test(String(schema.$schema ?? ''))) delete schema.$schema;
    return schema;
  };
  for (const [name, text] of references) ajv.addSchema(prepare(JSON.parse(text) as Record<string, unknown>), name);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(prepare(root));
  } catch (err) {
    throw new DataError(`The JSON Schema cannot be used for validation: ${(err as Error).message}`, { cause: err });
  }
  return (value, what) => {
    if (validate(value)) return;
    const first = validate.errors?.[0];
    const at = first?.instancePath ? first.instancePath : '(top level)';
    throw new DataError(`${what} does not match its JSON Schema at ${at}: ${first?.message ?? 'invalid'}${first?.params ? ` ${JSON.stringify(first.params)}` : ''}`);
  };
}

import { ConnectRecord, newRecord, Schema } from '../../api';

/**
 * The part of a record a `$Key` or `$Value` transform works on (Kafka's operatingSchema /
 * operatingValue / newRecord pairs), so one implementation serves both variants.
 */
export interface RecordPart {
  readonly which: 'key' | 'value';
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A copy of the record with this part replaced. */
  with<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R;
}

export const KEY: RecordPart = {
  which: 'key',
  schema: (r) => r.keySchema,
  value: (r) => r.key,
  with: (r, schema, value) => newRecord(r, { keySchema: schema, key: value }),
};

export const VALUE: RecordPart = {
  which: 'value',
  schema: (r) => r.valueSchema,
  value: (r) => r.value,
  with: (r, schema, value) => newRecord(r, { valueSchema: schema, value }),
};

/** Class names of a transform's two variants, as Kafka names them (`...InsertField$Key` / `$Value`). */
export function variantNames(kafkaClass: string): { key: { className: string; aliases: string[] }; value: { className: string; aliases: string[] } } {
  const simple = kafkaClass.slice(kafkaClass.lastIndexOf('.') + 1);
  return {
    key: { className: `${kafkaClass}$Key`, aliases: [`${simple}$Key`] },
    value: { className: `${kafkaClass}$Value`, aliases: [`${simple}$Value`] },
  };
}

/** The package of Kafka's built-in transforms. */
export const KAFKA_TRANSFORMS = 'org.apache.kafka.connect.transforms';
/** The package of Kafka's built-in predicates. */
export const KAFKA_PREDICATES = 'org.apache.kafka.connect.transforms.predicates';

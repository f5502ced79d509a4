import { ConfigError, DataError, Validator } from '../../api';

/** What a record-name strategy needs of a schema: its record's full name, if it is a record. */
export interface SubjectRecord {
  /** The full name of the record (Avro record, Protobuf message, JSON Schema title); null when the schema is not one. */
  fullName(): string | null;
  /** For the error when it is not one, e.g. "an Avro record schema". */
  readonly kind: string;
}

/** The Schema Registry subject a key or value schema of a topic is registered under. */
export type SubjectNameStrategy = (topic: string, isKey: boolean, record: SubjectRecord) => string;

const PACKAGE = 'io.confluent.kafka.serializers.subject.';

/** `<topic>-key` / `<topic>-value`: one evolving schema per topic (Confluent's default). */
const topicName: SubjectNameStrategy = (topic, isKey) => `${topic}-${isKey ? 'key' : 'value'}`;

/** `<record full name>`: one schema per record type, across topics. */
const recordName = (className: string): SubjectNameStrategy => (_topic, isKey, record) => fullRecordName(record, isKey, className);

/** `<topic>-<record full name>`: one schema per record type and topic. */
const topicRecordName = (className: string): SubjectNameStrategy => (topic, isKey, record) => `${topic}-${fullRecordName(record, isKey, className)}`;

const STRATEGIES: Record<string, (className: string) => SubjectNameStrategy> = {
  TopicNameStrategy: () => topicName,
  RecordNameStrategy: recordName,
  TopicRecordNameStrategy: topicRecordName,
};

export const DEFAULT_SUBJECT_NAME_STRATEGY = `${PACKAGE}TopicNameStrategy`;

/** The strategy named by Confluent's class name (either package) or its simple name. */
export function subjectNameStrategy(name: string, key: string): SubjectNameStrategy {
  const simple = simpleName(name);
  const make = simple === null ? undefined : STRATEGIES[simple];
  if (!make) throw ConfigError.invalidValue(key, name, `Unknown subject name strategy; use one of ${Object.keys(STRATEGIES).join(', ')}`);
  return make(PACKAGE + simple);
}

function simpleName(name: string): string | null {
  const trimmed = name.trim();
  for (const prefix of [PACKAGE, 'io.confluent.kafka.serializers.subject.strategy.', '']) {
    if (trimmed.startsWith(prefix) && Object.hasOwn(STRATEGIES, trimmed.slice(prefix.length))) return trimmed.slice(prefix.length);
  }
  return null;
}

export const subjectNameStrategyValidator: Validator = {
  ensureValid(name, value) {
    subjectNameStrategy(String(value), name);
  },
  describe: () => `${Object.keys(STRATEGIES).join(', ')} (simple or ${PACKAGE}* class name)`,
};

function fullRecordName(record: SubjectRecord, isKey: boolean, className: string): string {
  const full = record.fullName();
  if (full) return full;
  throw new DataError(`In configuration ${isKey ? 'key' : 'value'}.subject.name.strategy = ${className}, the message ${isKey ? 'key' : 'value'} must only be ${record.kind}`);
}

import { ConnectRecord, DataError, SinkRecord } from '../../api';

/** True for a record read from Kafka (it has a Kafka offset). */
export function isSinkRecord(record: ConnectRecord): record is SinkRecord {
  return (record as Partial<SinkRecord>).kafkaOffset !== undefined;
}

/** Kafka's Requirements.requireSinkRecord, for metadata only sink records have (the Kafka offset). */
export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!isSinkRecord(record)) throw new DataError(`Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`);
  return record;
}

import { ConnectRecord, connectValueToString, Header, Schema, SinkRecord, SourceRecord } from '../../api';

/** Kafka's ConnectSchema.toString: `Schema{STRING}`, `Schema{org.apache.kafka.connect.data.Date:INT32}`. */
export function schemaToString(schema: Schema | null): string {
  if (schema === null) return 'null';
  return schema.name !== null ? `Schema{${schema.name}:${schema.type}}` : `Schema{${schema.type}}`;
}

function offsetMapToString(map: Readonly<Record<string, unknown>> | null | undefined): string {
  if (map === null || map === undefined) return 'null';
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${connectValueToString(v)}`)
    .join(', ')}}`;
}

function headersToString(headers: readonly Header[]): string {
  if (headers.length === 0) return 'ConnectHeaders(headers=)';
  const items = headers.map((h) => `ConnectHeader(key=${h.key}, value=${connectValueToString(h.value, h.schema)}, schema=${schemaToString(h.schema)})`);
  return `ConnectHeaders(headers=[${items.join(', ')}])`;
}

/**
 * A record as Kafka's SourceRecord / SinkRecord toString prints it, for the messages that quote a
 * whole record (`Timestamp missing on record: SourceRecord{...} ConnectRecord{topic='t', ...}`).
 */
export function recordToString(record: ConnectRecord): string {
  const base =
    `ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition}, ` +
    `key=${connectValueToString(record.key, record.keySchema)}, keySchema=${schemaToString(record.keySchema)}, ` +
    `value=${connectValueToString(record.value, record.valueSchema)}, valueSchema=${schemaToString(record.valueSchema)}, ` +
    `timestamp=${record.timestamp}, headers=${headersToString(record.headers)}}`;
  const sink = record as Partial<SinkRecord>;
  if (sink.kafkaOffset !== undefined) {
    return `SinkRecord{kafkaOffset=${sink.kafkaOffset}, timestampType=${sink.timestampType}, originalTopic=${record.topic}, originalKafkaPartition=${record.kafkaPartition}, originalKafkaOffset=${sink.kafkaOffset}} ${base}`;
  }
  const source = record as Partial<SourceRecord>;
  if ('sourcePartition' in source || 'sourceOffset' in source) {
    return `SourceRecord{sourcePartition=${offsetMapToString(source.sourcePartition)}, sourceOffset=${offsetMapToString(source.sourceOffset)}} ${base}`;
  }
  return base;
}

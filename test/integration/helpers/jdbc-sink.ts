import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../../harness/kcat';

/**
 * Helpers for JDBC sink tests through the CLI: Connect JSON envelopes to produce, and the offsets
 * the sink's consumer group committed. Database-neutral: the PostgreSQL/MariaDB sink tests use them
 * too (pass the rows to produce and read the table with the server's adminQuery).
 */

/** A Connect JSON schema field, as JsonConverter writes it. */
export interface JsonField {
  readonly field: string;
  readonly type: 'int8' | 'int16' | 'int32' | 'int64' | 'float' | 'double' | 'boolean' | 'string' | 'bytes';
  readonly optional?: boolean;
  readonly name?: string;
  readonly parameters?: Record<string, string>;
  readonly default?: unknown;
}

/** A struct schema in JsonConverter's envelope form. */
export function structSchema(name: string, fields: readonly JsonField[]): Record<string, unknown> {
  return { type: 'struct', name, optional: false, fields: fields.map((f) => ({ optional: false, ...f })) };
}

/** The JSON text JsonConverter (schemas.enable=true) reads as a Struct of `schema`. */
export function envelope(schema: Record<string, unknown>, payload: Record<string, unknown>): string {
  return JSON.stringify({ schema, payload });
}

/** Produces JSON values (strings) with optional keys to partition `partition` (default 0) of `topic`, through kcat. */
export async function produceValues(bootstrap: string, topic: string, values: ReadonlyArray<string | null | { key: string | null; value: string | null }>, partition = 0): Promise<void> {
  await produce(
    bootstrap,
    topic,
    values.map((v) => (v === null || typeof v === 'string' ? { key: null, value: v, partition } : { key: v.key, value: v.value, partition })),
  );
}

/** The offset the consumer group `connect-<connector>` committed for a partition, -1 when none. */
export async function committedOffset(bootstrap: string, connector: string, topic: string, partition = 0): Promise<number> {
  const admin = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: `connect-${connector}`, topics: [topic] });
    return Number(entry?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
  } finally {
    await admin.disconnect();
  }
}

/** Worker keys for a JDBC sink connector file: the class, the URL, and Connect's error handling for a DLQ when given. */
export function jdbcSinkProps(name: string, url: string, topic: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    name,
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    'connection.url': url,
    topics: topic,
    ...extra,
  };
}

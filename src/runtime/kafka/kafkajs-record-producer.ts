import { CompressionTypes, Producer } from 'kafkajs';
import { ConnectError } from '../../api';
import { ProducerSettings } from './client-config';
import { OutgoingRecord, RecordProducer, SentRecordMetadata } from './kafka-client-factory';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';

/** The source tasks' producer on kafkajs. */
export class KafkajsRecordProducer implements RecordProducer {
  readonly deliveryTimeoutMs: number;
  constructor(
    private readonly producer: Producer,
    private readonly settings: ProducerSettings,
  ) {
    this.deliveryTimeoutMs = settings.deliveryTimeoutMs;
  }

  async send(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]> {
    try {
      return await this.sendBatch(records);
    } catch (err) {
      throw new ConnectError(`Failed to send ${records.length} record(s) to Kafka: ${describeKafkaError(err)}`, {
        cause: err,
        retriable: isRetriableKafkaError(err),
      });
    }
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (err) {
      throw new ConnectError(`Failed to connect the producer: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    }
  }

  private async sendBatch(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const r of records) {
      let list = byTopic.get(r.topic);
      if (!list) byTopic.set(r.topic, (list = []));
      list.push(r);
    }
    await this.producer.sendBatch({
      acks: this.settings.acks,
      compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({
          key: r.key,
          value: r.value,
          partition: r.partition ?? undefined,
          timestamp: r.timestamp === null ? undefined : String(r.timestamp),
          headers: r.headers.length ? headersObject(r.headers) : undefined,
        })),
      })),
    });
    // kafkajs reports base offsets per partition only; per-record offsets are not needed by the runtime.
    return records.map((r) => ({ topic: r.topic, partition: r.partition ?? -1, offset: null }));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

const EMPTY = Buffer.alloc(0);

function headersObject(headers: Array<[string, Buffer | null]>): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  // kafkajs 2.2.4 cannot write a null header value: its record encoder measures the value with
  // Buffer.byteLength before checking for null, and the send fails. An empty value is the closest
  // it can write (a null header from a source task or in a record copied to a dead letter queue).
  for (const [k, v] of headers) (out[k] ??= []).push(v ?? EMPTY);
  return out;
}

import { CompressionTypes, ICustomPartitioner, IHeaders, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { ConnectError } from '../../api';
import { ProducerSettings } from './client-config';
import { OutgoingRecord, RecordProducer, SentRecordMetadata } from './kafka-client-factory';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';

/** The source tasks' producer on kafkajs. */
export class KafkajsRecordProducer implements RecordProducer {
  readonly deliveryTimeoutMs: number;
  /**
   * `nullHeaderValues`: whether kafkajs can write a null header value (with the project's kafkajs
   * patches); without them a null value is sent as an empty one.
   */
  constructor(
    private readonly producer: Producer,
    private readonly settings: ProducerSettings,
    private readonly nullHeaderValues = false,
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
    // One kafkajs message per record, in record order; the partitioner writes its choice into each.
    const messages = new Array<Message>(records.length);
    const byTopic = new Map<string, Message[]>();
    let lastTopic: string | null = null;
    let list: Message[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.topic !== lastTopic) {
        lastTopic = r.topic;
        let found = byTopic.get(r.topic);
        if (!found) byTopic.set(r.topic, (found = []));
        list = found;
      }
      const message: Message = {
        key: r.key,
        value: r.value,
        partition: r.partition ?? undefined,
        // kafkajs declares a string, but its encoder only subtracts and compares timestamps, which works
        // on numbers as well and spares a string per record.
        timestamp: (r.timestamp ?? undefined) as string | undefined,
        headers: r.headers.length ? headersObject(r.headers, this.nullHeaderValues) : undefined,
      };
      messages[i] = message;
      list.push(message);
    }
    const results = await this.producer.sendBatch({
      acks: this.settings.acks,
      compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
    return metadataInSendOrder(records, messages, results);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

/**
 * kafkajs's default partitioner (murmur2 of the key like Java's, round robin without a key), made
 * sticky: the partition chosen for a message is written into it, so the runtime knows where each
 * record went, and a retry (kafkajs partitions again on every attempt) keeps each record where it
 * was first put, as Java's producer does.
 */
export const createRecordPartitioner: ICustomPartitioner = () => {
  const choose = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message } = args;
    if (message.partition === undefined || message.partition === null) message.partition = choose(args);
    return message.partition;
  };
};

/**
 * Each record's partition (as the partitioner chose it) and offset: Kafka answers one base offset per
 * partition of a batch, and kafkajs sends a partition's messages in the order given, so a record's
 * offset is its partition's base offset plus its place among that partition's records. Null offsets
 * when Kafka did not say (acks=0).
 */
function metadataInSendOrder(records: readonly OutgoingRecord[], messages: readonly Message[], results: readonly RecordMetadata[]): SentRecordMetadata[] {
  // Next offset per topic, indexed by partition; a batch usually goes to one topic, so the topic's
  // table is looked up again only when the topic changes.
  const next = new Map<string, Array<bigint | undefined>>();
  for (const r of results) {
    const base = r.baseOffset ?? r.offset;
    if (base === undefined || base.startsWith('-')) continue;
    let partitions = next.get(r.topicName);
    if (!partitions) next.set(r.topicName, (partitions = []));
    partitions[r.partition] = BigInt(base);
  }
  const out = new Array<SentRecordMetadata>(records.length);
  let topic: string | null = null;
  let partitions: Array<bigint | undefined> | undefined;
  for (let i = 0; i < records.length; i++) {
    if (records[i].topic !== topic) {
      topic = records[i].topic;
      partitions = next.get(topic);
    }
    const partition = messages[i].partition as number;
    const offset = partitions?.[partition];
    if (offset === undefined) {
      out[i] = { topic, partition, offset: null };
    } else {
      partitions![partition] = offset + 1n;
      out[i] = { topic, partition, offset };
    }
  }
  return out;
}

const EMPTY = Buffer.alloc(0);

function headersObject(headers: ReadonlyArray<[string, Buffer | null]>, nullValues: boolean): IHeaders {
  // kafkajs's types have no null header value, though the patched encoder writes one.
  const out: Record<string, Array<Buffer | null>> = {};
  // Released kafkajs 2.2.4 cannot write a null header value: its record encoder measures the value
  // with Buffer.byteLength before checking for null, and the send fails. Unpatched, an empty value is
  // the closest it can write (a null header from a source task or in a record copied to a DLQ).
  for (const [k, v] of headers) (out[k] ??= []).push(v === null && !nullValues ? EMPTY : v);
  return out as IHeaders;
}

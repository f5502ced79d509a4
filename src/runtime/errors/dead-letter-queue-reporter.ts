import { ConnectError } from '../../api';
import type { ClientOverrides } from '../kafka/client-config';
import { KafkaClientFactory, OutgoingRecord, RecordProducer } from '../kafka/kafka-client-factory';
import { RuntimeLogger } from '../runtime-logger';
import { retry, RetryClock, systemClock } from '../retry';
import { DeadLetterQueueConfig, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG } from './dlq-config';
import { ErrorContext, ErrorReporter } from './error-context';

/** Kafka's header names (DeadLetterQueueReporter), so DLQ readers written for Kafka Connect work unchanged. */
export const DLQ_HEADER_PREFIX = '__connect.errors.';
export const DlqHeaders = {
  ORIGINAL_TOPIC: `${DLQ_HEADER_PREFIX}topic`,
  ORIGINAL_PARTITION: `${DLQ_HEADER_PREFIX}partition`,
  ORIGINAL_OFFSET: `${DLQ_HEADER_PREFIX}offset`,
  CONNECTOR_NAME: `${DLQ_HEADER_PREFIX}connector.name`,
  TASK_ID: `${DLQ_HEADER_PREFIX}task.id`,
  STAGE: `${DLQ_HEADER_PREFIX}stage`,
  EXECUTING_CLASS: `${DLQ_HEADER_PREFIX}class.name`,
  EXCEPTION: `${DLQ_HEADER_PREFIX}exception.class.name`,
  EXCEPTION_MESSAGE: `${DLQ_HEADER_PREFIX}exception.message`,
  EXCEPTION_STACK_TRACE: `${DLQ_HEADER_PREFIX}exception.stacktrace`,
} as const;

/** Kafka creates the dead letter queue with one partition. */
const DLQ_PARTITIONS = 1;

/** Our errors under the Java class names Kafka Connect writes for their counterparts. */
const JAVA_EXCEPTION_NAMES: ReadonlyMap<string, string> = new Map([
  ['ConnectError', 'org.apache.kafka.connect.errors.ConnectException'],
  ['DataError', 'org.apache.kafka.connect.errors.DataException'],
  ['RetriableError', 'org.apache.kafka.connect.errors.RetriableException'],
  ['ConfigError', 'org.apache.kafka.common.config.ConfigException'],
]);

/**
 * The class name written to __connect.errors.exception.class.name. As Kafka records the concrete
 * class, only exact matches are mapped: a subclass (say a connector's own error) keeps its JS name.
 * Matched by name rather than identity so errors from a plugin's own copy of the API map too.
 */
export function exceptionClassName(err: Error): string {
  const name = err.name || err.constructor?.name || 'Error';
  // Retriability is a flag in our model; Kafka expresses it by class.
  if (name === 'ConnectError' && (err as ConnectError).retriable === true) return 'org.apache.kafka.connect.errors.RetriableException';
  return JAVA_EXCEPTION_NAMES.get(name) ?? name;
}

/**
 * The error as Java's printStackTrace lays it out: `<class>: <message>`, the frames, then each
 * cause as `Caused by: ...`. The frames are the JavaScript ones.
 */
export function stackTraceText(err: Error): string {
  const lines: string[] = [];
  const seen = new Set<Error>();
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && !seen.has(current) && depth < 10; depth++) {
    seen.add(current);
    lines.push(`${depth === 0 ? '' : 'Caused by: '}${exceptionClassName(current)}: ${current.message}`);
    for (const line of (current.stack ?? '').split('\n')) if (/^\s+at /.test(line)) lines.push(line);
    current = (current as { cause?: unknown }).cause;
  }
  return lines.join('\n') + '\n';
}

export interface DeadLetterQueueReporterOptions {
  config: DeadLetterQueueConfig;
  connectorName: string;
  taskId: number;
  /** A producer of its own (Kafka: connector-dlq-producer-<connector>-<task>); the reporter connects and disconnects it. */
  producer: RecordProducer;
  /** Creates the topic if missing; a rejection is logged and the topic left to auto-creation. */
  ensureTopic(topic: string, replicationFactor: number): Promise<'created' | 'exists'>;
  logger: RuntimeLogger;
  /** First wait between retries of a retriable send failure; doubles up to 5 s. */
  retryBackoffMs?: number;
  /** Time for the retries; default the system clock. */
  clock?: RetryClock;
}

const RETRY_BACKOFF_MAX_MS = 5000;

/**
 * Writes the original bytes of each failed sink record to the connector's dead letter queue topic
 * (Kafka's DeadLetterQueueReporter). report() resolves once Kafka acknowledged the record, so the
 * caller commits a skipped record's offset only after it is in the queue. Retriable send failures
 * are retried for the producer's delivery.timeout.ms; anything else rejects, and the caller fails
 * the task. Source-side contexts are ignored: Kafka has no dead letter queue for sources.
 *
 * ErrorContext.error is written as given. Kafka records the exception the stage itself threw (e.g.
 * JsonConverter's DataException), so the operator should pass that, not a runtime wrapper of it.
 */
export class DeadLetterQueueReporter implements ErrorReporter {
  private readonly o: DeadLetterQueueReporterOptions;
  private readonly topic: string;
  private ready: Promise<void> | null = null;
  private connecting: Promise<void> | null = null;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Records written to the queue or attempted (Kafka's deadletterqueue-produce-requests). */
  produceRequests = 0;
  /** Records that could not be written (deadletterqueue-produce-failures). */
  produceFailures = 0;

  constructor(options: DeadLetterQueueReporterOptions) {
    this.o = options;
    this.topic = options.config.topic.trim();
  }

  /**
   * Makes sure the topic exists (bounded by the admin timeout; a failure is only a warning). Idempotent,
   * never rejects; report() awaits it, so calling it early just starts the work sooner.
   */
  start(): Promise<void> {
    this.ready ??= this.topic === '' ? Promise.resolve() : this.ensureTopic();
    return this.ready;
  }

  private async ensureTopic(): Promise<void> {
    const { replicationFactor } = this.o.config;
    try {
      const outcome = await this.o.ensureTopic(this.topic, replicationFactor);
      if (outcome === 'created') this.o.logger.info(`Created dead letter queue topic ${this.topic} (1 partition, replication factor ${replicationFactor})`);
    } catch (err) {
      this.o.logger.warn(
        `Could not create dead letter queue topic ${this.topic} with replication factor ${replicationFactor} ` +
          `(${DLQ_TOPIC_REPLICATION_FACTOR_CONFIG}): ${(err as Error).message}. ` +
          'Continuing: the topic must exist already or be created automatically by the brokers on first write.',
      );
    }
  }

  async report(context: ErrorContext): Promise<void> {
    const original = context.consumedRecord;
    if (this.topic === '' || original === null) return;
    if (this.closing.signal.aborted) throw new ConnectError(`The dead letter queue reporter for topic ${this.topic} is closed`);
    await this.start();
    const headers: Array<[string, Buffer | null]> = original.headers.map(([k, v]) => [k, v]);
    if (this.o.config.contextHeadersEnabled) this.addContextHeaders(headers, context);
    const record: OutgoingRecord = {
      topic: this.topic,
      partition: null,
      key: original.key,
      value: original.value,
      timestamp: original.timestamp >= 0 ? original.timestamp : null,
      headers,
    };
    const sending = this.send(record, `the record at topic ${original.topic} partition ${original.partition} offset ${original.offset}`);
    const settled = sending.catch(() => undefined);
    this.inFlight.add(settled);
    try {
      await sending;
    } finally {
      this.inFlight.delete(settled);
    }
  }

  private addContextHeaders(headers: Array<[string, Buffer | null]>, context: ErrorContext): void {
    const add = (key: string, value: string | null): void => {
      headers.push([key, value === null ? null : Buffer.from(value, 'utf8')]);
    };
    const original = context.consumedRecord!;
    add(DlqHeaders.ORIGINAL_TOPIC, original.topic);
    add(DlqHeaders.ORIGINAL_PARTITION, String(original.partition));
    add(DlqHeaders.ORIGINAL_OFFSET, original.offset.toString());
    add(DlqHeaders.CONNECTOR_NAME, this.o.connectorName);
    add(DlqHeaders.TASK_ID, String(this.o.taskId));
    add(DlqHeaders.STAGE, context.stage);
    add(DlqHeaders.EXECUTING_CLASS, context.executingClass);
    const err = context.error;
    if (err) {
      add(DlqHeaders.EXCEPTION, exceptionClassName(err));
      add(DlqHeaders.EXCEPTION_MESSAGE, typeof err.message === 'string' ? err.message : null);
      add(DlqHeaders.EXCEPTION_STACK_TRACE, stackTraceText(err));
    }
  }

  private async send(record: OutgoingRecord, what: string): Promise<void> {
    const { producer, logger } = this.o;
    const clock = this.o.clock ?? systemClock;
    const failed = (err: unknown): ConnectError =>
      new ConnectError(`Failed to write ${what} to the dead letter queue topic ${this.topic}: ${(err as Error).message}`, { cause: err });
    let abandoned: ConnectError | null = null;
    this.produceRequests++;
    try {
      await retry(
        async () => {
          await this.connect();
          await producer.send([record]);
        },
        {
          signal: this.closing.signal,
          backoff: { initialMs: this.o.retryBackoffMs ?? 100, maxMs: RETRY_BACKOFF_MAX_MS },
          deadline: clock.now() + producer.deliveryTimeoutMs,
          clock,
          onRetry: (err, _attempt, delayMs) =>
            logger.warn(`Failed to write ${what} to the dead letter queue topic ${this.topic}, retrying in ${delayMs} ms: ${(err as Error).message}`),
          abandon: (err) => (abandoned = failed(err)),
        },
      );
    } catch (err) {
      this.produceFailures++;
      throw err === abandoned ? err : failed(err);
    }
  }

  /** Connects once; a failed connect is forgotten so that the next attempt tries again. */
  private connect(): Promise<void> {
    this.connecting ??= this.o.producer.connect().catch((err: unknown) => {
      this.connecting = null;
      throw err;
    });
    return this.connecting;
  }

  /** Ends retries in progress (they reject), lets sends in flight finish, and disconnects the producer. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.ready;
    await Promise.all(this.inFlight);
    const connected = this.connecting;
    if (!connected) return;
    this.connecting = null;
    try {
      await connected;
    } catch {
      return; // never connected: nothing to disconnect
    }
    await this.o.producer.disconnect().catch((err: unknown) => this.o.logger.warn(`Error closing the dead letter queue producer: ${(err as Error).message}`));
  }
}

/**
 * The dead letter queue reporter of one sink task, or null when the connector has no DLQ topic.
 * Starts creating the topic at once, as Kafka does when it builds the task's reporters.
 */
export function createDeadLetterQueueReporter(args: {
  clients: KafkaClientFactory;
  config: DeadLetterQueueConfig;
  connectorName: string;
  taskId: number;
  /** The worker's client.id; empty for Kafka's per-task defaults. */
  clientIdBase: string;
  /** The connector's producer.override.* and admin.override.* keys, for the queue's producer and admin client (as Kafka). */
  overrides?: { producer: ClientOverrides; admin: ClientOverrides };
  logger: RuntimeLogger;
}): DeadLetterQueueReporter | null {
  const { clients, config, connectorName, taskId, logger } = args;
  if (config.topic.trim() === '') return null;
  const id = `${connectorName}-${taskId}`;
  const producerId = args.clientIdBase || `connector-dlq-producer-${id}`;
  const adminId = args.clientIdBase || `connector-dlq-adminclient-${id}`;
  const reporter = new DeadLetterQueueReporter({
    config,
    connectorName,
    taskId,
    producer: clients.createProducer(producerId, logger, args.overrides?.producer),
    ensureTopic: (topic, replicationFactor) => clients.ensureTopic(adminId, topic, { partitions: DLQ_PARTITIONS, replicationFactor }, args.overrides?.admin),
    logger,
  });
  void reporter.start(); // owned by the reporter: report() and close() await it, and it never rejects
  return reporter;
}

import { Consumer, EachBatchPayload } from 'kafkajs';
import { ConnectError, TopicPartition, topicPartitionKey } from '../../api';
import { backoffDelayMs } from '../retry';
import { RuntimeLogger } from '../runtime-logger';
import { ConsumerSettings } from './client-config';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';
import { ConsumerListener, IncomingBatch, IncomingMessage, OffsetToCommit, RecordConsumer } from './record-consumer';

/** The parts of a kafkajs Consumer used here; unit tests give a fake. */
export type KafkajsConsumer = Pick<Consumer, 'connect' | 'subscribe' | 'run' | 'commitOffsets' | 'pause' | 'resume' | 'seek' | 'stop' | 'disconnect' | 'on' | 'events'>;

/** Group errors after which this member has to rejoin; the first one means it may still commit. */
const REBALANCING = 'REBALANCE_IN_PROGRESS';
const GROUP_ERRORS = new Set([REBALANCING, 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

/** Restarts after crashes kafkajs does not restart from, in a row, before the owner is told. */
const MAX_RESTARTS = 5;
const RESTART_BACKOFF = { initialMs: 1000, maxMs: 10000 };

/** The protocol error inside a kafkajs error that says the member must rejoin, if any. */
export function groupErrorOf(err: unknown): (Error & { type: string }) | null {
  let current: unknown = err;
  for (let i = 0; i < 6 && current instanceof Error; i++) {
    const e = current as Error & { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof e.type === 'string' && GROUP_ERRORS.has(e.type)) return e as Error & { type: string };
    current = e.originalError ?? e.cause;
  }
  return null;
}

/**
 * The sink tasks' consumer on kafkajs, which has no rebalance listener: this class derives Kafka's
 * from kafkajs's events and its own view of the group.
 *
 * - Assigned: at GROUP_JOIN (kafkajs then fetches from the committed offsets of every partition).
 * - Revoked, while commits still work: when a heartbeat or commit of ours gets REBALANCE_IN_PROGRESS
 *   during a batch (the batch is given up, the listener revokes, then kafkajs is told to rejoin),
 *   or at kafkajs's REBALANCING event (kafkajs rejoins at the same time, so a commit may be refused).
 * - Lost: the member was expelled (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION), the client restarted after
 *   a crash, or kafkajs rejoined without telling (a join while partitions are still held).
 *
 * Commits go out only for partitions of the latest join that the listener has been told about, so a
 * late commit from a revocation can never land in a newer generation and move an offset backwards.
 * kafkajs returns from commitOffsets without committing when it is not running; a commit counts only
 * when kafkajs reported it (its COMMIT_OFFSETS event). While a batch handler runs, kafkajs sends no
 * heartbeats of its own, so this class sends them every half heartbeat interval.
 */
export class KafkajsRecordConsumer implements RecordConsumer {
  readonly maxPollRecords: number;
  private readonly heartbeatEveryMs: number;
  private listener: ConsumerListener | null = null;
  /** The listener calls, one after the other. */
  private calls: Promise<void> = Promise.resolve();
  /** Joins so far: kafkajs commits with the generation of the latest one. */
  private joins = 0;
  /** Partitions the listener was told are assigned, from join number ownedJoin. */
  private readonly owned = new Map<string, TopicPartition>();
  private ownedJoin = -1;
  /** Between a crash that kafkajs restarts from and the next join, there is no group to commit to. */
  private member = false;
  private running = false;
  private commitsReported = 0;
  /** A group error our commit or heartbeat saw in the current join, which kafkajs has not acted on yet. */
  private groupError: (Error & { type: string }) | null = null;
  private crashesInARow = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly consumer: KafkajsConsumer,
    private readonly settings: ConsumerSettings,
    private readonly logger: RuntimeLogger,
  ) {
    this.maxPollRecords = settings.maxPollRecords;
    this.heartbeatEveryMs = Math.max(50, Math.floor((settings.consumer.heartbeatInterval ?? 3000) / 2));
  }

  async start(subscription: { topics: string[]; regex: RegExp | null }, listener: ConsumerListener): Promise<void> {
    const consumer = this.consumer;
    this.listener = listener;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const join = ++this.joins;
      this.member = true;
      this.crashesInARow = 0;
      this.groupError = null;
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      const partitions = Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
      this.enqueue(async () => {
        await this.giveUpPartitions('lost');
        for (const tp of partitions) this.owned.set(topicPartitionKey(tp), tp);
        this.ownedJoin = join;
        await listener.onPartitionsAssigned(partitions);
      });
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.enqueue(() => this.giveUpPartitions('revoked'));
    });
    consumer.on(consumer.events.COMMIT_OFFSETS, () => {
      this.commitsReported++;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.member = false;
      this.enqueue(() => this.giveUpPartitions('lost'));
      if (!event.payload.restart) this.crashed(event.payload.error, subscription, listener);
    });
    try {
      await this.run(subscription, listener);
    } catch (err) {
      this.running = false;
      await consumer.disconnect().catch((e: unknown) => this.logger.warn(`Error disconnecting the consumer after a failed start: ${describeKafkaError(e)}`));
      throw err;
    }
  }

  private async run(subscription: { topics: string[]; regex: RegExp | null }, listener: ConsumerListener): Promise<void> {
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: subscription.regex ? [subscription.regex] : subscription.topics,
      fromBeginning: this.settings.fromBeginning,
    });
    this.running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload, listener),
    });
  }

  /**
   * kafkajs gives up for good on errors it deems fatal, some of which a group answers during a
   * rebalance (a SyncGroup refused while members rejoin). The member starts again, with a growing
   * pause, a few times in a row before its owner is told; a successful join resets the count.
   */
  private crashed(err: Error, subscription: { topics: string[]; regex: RegExp | null }, listener: ConsumerListener): void {
    if (!this.running || this.crashesInARow >= MAX_RESTARTS) {
      listener.onCrash(err);
      return;
    }
    this.crashesInARow++;
    const delay = backoffDelayMs(this.crashesInARow, RESTART_BACKOFF, Math.random);
    this.logger.warn(`Consumer stopped (${describeKafkaError(err)}); starting it again in ${delay} ms (restart ${this.crashesInARow} of ${MAX_RESTARTS})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.running) return;
      this.run(subscription, listener).catch((e: unknown) => this.crashed(e as Error, subscription, listener));
    }, delay);
  }

  /** Queues a listener call behind the earlier ones; a failure is logged (listeners should not throw). */
  private enqueue(call: () => Promise<void>): void {
    this.calls = this.calls.then(call).catch((err: unknown) => this.logger.error(`Consumer rebalance listener failed: ${(err as Error).message}`, { err }));
  }

  private async giveUpPartitions(how: 'revoked' | 'lost'): Promise<void> {
    const partitions = [...this.owned.values()];
    if (partitions.length === 0 || !this.listener) return;
    if (how === 'revoked') await this.listener.onPartitionsRevoked(partitions);
    else await this.listener.onPartitionsLost(partitions);
    this.owned.clear();
  }

  private async eachBatch(payload: EachBatchPayload, listener: ConsumerListener): Promise<void> {
    // The listener has to know the assignment a batch belongs to before it gets the batch.
    await this.calls;
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const join = this.joins;
    const size = this.maxPollRecords;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale() || this.groupError || !this.owned.has(topicPartitionKey(batch))) break;
      const end = Math.min(batch.messages.length, start + size);
      const consumed = await this.handOver({ topic: batch.topic, partition: batch.partition, messages: incomingMessages(batch.messages, start, end), highWatermark: batch.highWatermark }, heartbeat, join, listener);
      if (!consumed || this.groupError) break;
      resolveOffset(batch.messages[end - 1].offset);
    }
    if (!this.groupError) {
      try {
        await heartbeat();
      } catch (err) {
        this.noteGroupError(err, join);
        if (!this.groupError) throw err;
      }
    }
    const groupError = this.groupError;
    if (groupError) {
      // Revoke (or lose) before kafkajs rejoins: until then this member's commits still count.
      this.enqueue(() => this.giveUpPartitions(groupError.type === REBALANCING ? 'revoked' : 'lost'));
      await this.calls;
      throw groupError; // kafkajs rejoins on these
    }
  }

  /** Runs the handler, heartbeating meanwhile; a group error aborts the handler's signal. */
  private async handOver(batch: IncomingBatch, heartbeat: () => Promise<void>, join: number, listener: ConsumerListener): Promise<boolean> {
    const control = new AbortController();
    let beat: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beat = beat.then(() =>
        heartbeat().catch((err: unknown) => {
          this.noteGroupError(err, join);
          if (this.groupError) control.abort(this.groupError);
          else this.logger.debug(`Heartbeat failed, trying again: ${describeKafkaError(err)}`);
        }),
      );
    }, this.heartbeatEveryMs);
    try {
      return await listener.onBatch(batch, { signal: control.signal });
    } finally {
      clearInterval(timer);
      await beat;
    }
  }

  private noteGroupError(err: unknown, join: number): void {
    const groupError = groupErrorOf(err);
    if (groupError && join === this.joins && !this.groupError) {
      this.groupError = groupError;
      this.logger.info(`Consumer group member must rejoin (${groupError.type}): giving up the batch in progress`);
    }
  }

  async commit(offsets: readonly OffsetToCommit[]): Promise<boolean> {
    if (offsets.length === 0) return true;
    const join = this.joins;
    if (!this.running || !this.member || this.ownedJoin !== join || offsets.some((o) => !this.owned.has(topicPartitionKey(o)))) return false;
    const reported = this.commitsReported;
    try {
      await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })));
    } catch (err) {
      this.noteGroupError(err, join);
      if (groupErrorOf(err)) return false;
      throw new ConnectError(`Failed to commit consumer offsets: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    }
    return this.commitsReported > reported;
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.guard(() => this.consumer.pause(byTopic(partitions)));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.guard(() => this.consumer.resume(byTopic(partitions)));
  }

  seek(tp: TopicPartition, offset: bigint): void {
    this.guard(() => this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset: offset.toString() }));
  }

  /** kafkajs throws when it has no group (never joined, or restarting after a crash): nothing to change then. */
  private guard(op: () => void): void {
    if (!this.running) return;
    try {
      op();
    } catch (err) {
      this.logger.debug(`Consumer not in a group, ignoring: ${describeKafkaError(err)}`);
    }
  }

  async close(): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (wasRunning) await this.consumer.stop().catch((err: unknown) => this.logger.warn(`Error stopping the consumer: ${describeKafkaError(err)}`));
    await this.consumer.disconnect();
  }
}

function byTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const map = new Map<string, number[]>();
  for (const tp of partitions) map.set(tp.topic, [...(map.get(tp.topic) ?? []), tp.partition]);
  return [...map].map(([topic, ps]) => ({ topic, partitions: ps }));
}

type KafkajsMessage = EachBatchPayload['batch']['messages'][number];
type KafkajsHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Shared by every message without headers (most of them): nothing to allocate per record. */
const NO_HEADERS: IncomingMessage['headers'] = Object.freeze([]) as unknown as IncomingMessage['headers'];

/** messages[start, end) in our shape, in a plain loop: this runs once per record fetched. */
function incomingMessages(messages: readonly KafkajsMessage[], start: number, end: number): IncomingMessage[] {
  const out = new Array<IncomingMessage>(end - start);
  for (let i = start; i < end; i++) {
    const m = messages[i];
    out[i - start] = { offset: m.offset, key: m.key ?? null, value: m.value ?? null, timestamp: m.timestamp, headers: headerList(m.headers as KafkajsHeaders | undefined) };
  }
  return out;
}

function headerList(headers: KafkajsHeaders | undefined): IncomingMessage['headers'] {
  if (!headers) return NO_HEADERS;
  let out: Array<[string, Buffer | null]> | null = null;
  for (const k in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, k)) continue;
    out ??= [];
    const v = headers[k];
    for (const one of Array.isArray(v) ? v : [v]) {
      out.push([k, one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(one)]);
    }
  }
  return out ?? NO_HEADERS;
}

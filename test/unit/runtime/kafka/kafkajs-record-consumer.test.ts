import { ConnectError, TopicPartition } from '../../../../src/api';
import { KafkajsConsumer, KafkajsRecordConsumer } from '../../../../src/runtime/kafka/kafkajs-record-consumer';
import { BatchControl, ConsumerListener, IncomingBatch } from '../../../../src/runtime/kafka/record-consumer';
import { deferred, RecordingLogger, settle } from '../fakes';

/** A kafkajs protocol error as kafkajs throws it (type names the Kafka error code). */
function protocolError(type: string): Error {
  return Object.assign(new Error(`protocol error ${type}`), { name: 'KafkaJSProtocolError', type, retriable: false });
}

/** The kafkajs Consumer surface the class uses: events emitted by the test, calls recorded. */
class FakeKafkajsConsumer {
  readonly events = {
    GROUP_JOIN: 'consumer.group_join',
    REBALANCING: 'consumer.rebalancing',
    COMMIT_OFFSETS: 'consumer.commit_offsets',
    CRASH: 'consumer.crash',
  };
  readonly calls: string[] = [];
  private readonly handlers = new Map<string, Array<(e: unknown) => unknown>>();
  eachBatch: ((payload: unknown) => Promise<void>) | null = null;
  subscribeFailure: Error | null = null;
  /** What commitOffsets does: commit (and report it), return silently as kafkajs does when not running, or throw. */
  commitBehaviour: 'commit' | 'silent' | Error = 'commit';
  readonly committed: unknown[] = [];

  on(name: string, fn: (e: unknown) => unknown): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
  }
  emit(name: string, payload: unknown = {}): void {
    for (const fn of this.handlers.get(name) ?? []) void fn({ type: name, payload });
  }
  join(assignment: Record<string, number[]>): void {
    this.emit(this.events.GROUP_JOIN, { memberAssignment: assignment });
  }
  async connect(): Promise<void> {
    this.calls.push('connect');
  }
  async subscribe(): Promise<void> {
    this.calls.push('subscribe');
    if (this.subscribeFailure) throw this.subscribeFailure;
  }
  async run(options: { eachBatch: (payload: unknown) => Promise<void> }): Promise<void> {
    this.calls.push('run');
    this.eachBatch = options.eachBatch;
  }
  async commitOffsets(offsets: unknown[]): Promise<void> {
    this.calls.push('commitOffsets');
    if (this.commitBehaviour instanceof Error) throw this.commitBehaviour;
    if (this.commitBehaviour === 'silent') return;
    this.committed.push(offsets);
    this.emit(this.events.COMMIT_OFFSETS, { topics: offsets });
  }
  pause(tps: unknown): void {
    this.calls.push(`pause ${JSON.stringify(tps)}`);
  }
  resume(tps: unknown): void {
    this.calls.push(`resume ${JSON.stringify(tps)}`);
  }
  seek(s: { topic: string; partition: number; offset: string }): void {
    this.calls.push(`seek ${s.topic}-${s.partition}@${s.offset}`);
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  async disconnect(): Promise<void> {
    this.calls.push('disconnect');
  }
}

/** A listener that records its calls; onBatch answers with `answer` (default true at once). */
class RecordingListener implements ConsumerListener {
  readonly calls: string[] = [];
  answer: (batch: IncomingBatch, control: BatchControl) => Promise<boolean> = async () => true;
  onRevoked: () => Promise<void> = async () => undefined;
  crashes: Error[] = [];
  onBatch(batch: IncomingBatch, control: BatchControl): Promise<boolean> {
    this.calls.push(`batch ${batch.topic}-${batch.partition}@${batch.messages[0].offset}`);
    return this.answer(batch, control);
  }
  async onPartitionsAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    this.calls.push(`assigned ${names(partitions)}`);
  }
  async onPartitionsRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    this.calls.push(`revoked ${names(partitions)}`);
    await this.onRevoked();
  }
  async onPartitionsLost(partitions: readonly TopicPartition[]): Promise<void> {
    this.calls.push(`lost ${names(partitions)}`);
  }
  onCrash(err: Error): void {
    this.crashes.push(err);
  }
}

const names = (ps: readonly TopicPartition[]): string => ps.map((p) => `${p.topic}-${p.partition}`).join(',');

const SETTINGS = { consumer: { heartbeatInterval: 3000, sessionTimeout: 10000 }, fromBeginning: true, maxPollRecords: 500 };

async function started() {
  const kafkajs = new FakeKafkajsConsumer();
  const listener = new RecordingListener();
  const consumer = new KafkajsRecordConsumer(kafkajs as unknown as KafkajsConsumer, SETTINGS, new RecordingLogger());
  await consumer.start({ topics: ['orders'], regex: null }, listener);
  return { kafkajs, listener, consumer };
}

function payload(partition: number, firstOffset: number, count: number, heartbeat: () => Promise<void> = async () => undefined) {
  const resolved: string[] = [];
  return {
    resolved,
    value: {
      batch: {
        topic: 'orders',
        partition,
        messages: Array.from({ length: count }, (_, i) => ({ offset: String(firstOffset + i), key: null, value: Buffer.from('x'), timestamp: '0', headers: {} })),
      },
      heartbeat,
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: (o: string) => resolved.push(o),
    },
  };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('KafkajsRecordConsumer', () => {
  it('a failure after connecting but before running disconnects the client and rejects', async () => {
    const kafkajs = new FakeKafkajsConsumer();
    kafkajs.subscribeFailure = new Error('This server does not host this topic-partition');
    const consumer = new KafkajsRecordConsumer(kafkajs as unknown as KafkajsConsumer, SETTINGS, new RecordingLogger());
    await expect(consumer.start({ topics: ['orders'], regex: null }, new RecordingListener())).rejects.toThrow('does not host');
    expect(kafkajs.calls).toEqual(['connect', 'subscribe', 'disconnect']);
  });

  it('turns GROUP_JOIN into assigned, and hands batches over only for assigned partitions; a batch is resolved only when consumed', async () => {
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0, 1] });
    const first = payload(0, 10, 3);
    await kafkajs.eachBatch!(first.value);
    expect(first.resolved).toEqual(['12']);
    listener.answer = async () => false;
    const second = payload(1, 0, 2);
    await kafkajs.eachBatch!(second.value);
    expect(second.resolved).toEqual([]);
    const foreign = payload(5, 0, 2);
    await kafkajs.eachBatch!(foreign.value);
    expect(listener.calls).toEqual(['assigned orders-0,orders-1', 'batch orders-0@10', 'batch orders-1@0']);
  });

  it('hands over each message with its offset, key, value, timestamp and headers (strings as bytes, repeated keys in order, undefined as null)', async () => {
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0] });
    const batches: IncomingBatch[] = [];
    listener.answer = async (batch) => {
      batches.push(batch);
      return true;
    };
    const p = payload(0, 4, 2);
    const [plain, withHeaders] = p.value.batch.messages as Array<Record<string, unknown>>;
    Object.assign(plain, { key: undefined, value: null });
    Object.assign(withHeaders, { key: Buffer.from('k'), timestamp: '1700000000123', headers: { a: 'text', b: [Buffer.from('1'), 'two'], c: undefined } });
    await kafkajs.eachBatch!(p.value);
    expect(batches).toHaveLength(1);
    const [first, second] = batches[0].messages;
    expect(first).toEqual({ offset: '4', key: null, value: null, timestamp: '0', headers: [] });
    expect(second).toEqual({
      offset: '5',
      key: Buffer.from('k'),
      value: Buffer.from('x'),
      timestamp: '1700000000123',
      headers: [
        ['a', Buffer.from('text')],
        ['b', Buffer.from('1')],
        ['b', Buffer.from('two')],
        ['c', null],
      ],
    });
    expect(p.resolved).toEqual(['5']);
  });

  it('hands a fetched batch over in pieces of at most max.poll.records, resolving each once consumed, and stops at the first not consumed', async () => {
    const kafkajs = new FakeKafkajsConsumer();
    const listener = new RecordingListener();
    const consumer = new KafkajsRecordConsumer(kafkajs as unknown as KafkajsConsumer, { ...SETTINGS, maxPollRecords: 4 }, new RecordingLogger());
    await consumer.start({ topics: ['orders'], regex: null }, listener);
    kafkajs.join({ orders: [0] });
    const sizes: number[] = [];
    listener.answer = async (batch) => {
      sizes.push(batch.messages.length);
      return sizes.length < 3;
    };
    const p = payload(0, 100, 14);
    await kafkajs.eachBatch!(p.value);
    expect(sizes).toEqual([4, 4, 4]);
    expect(listener.calls.slice(1)).toEqual(['batch orders-0@100', 'batch orders-0@104', 'batch orders-0@108']);
    expect(p.resolved).toEqual(['103', '107']);
  });

  it('keeps the membership alive while a batch handler runs far longer than the session timeout', async () => {
    jest.useFakeTimers();
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0] });
    const beats: number[] = [];
    const release = deferred<boolean>();
    listener.answer = () => release.promise;
    const p = payload(0, 0, 1, async () => {
      beats.push(Date.now());
    });
    const handled = kafkajs.eachBatch!(p.value);
    const start = Date.now();
    await jest.advanceTimersByTimeAsync(60000);
    release.resolve(true);
    await handled;
    const gaps = [beats[0] - start, ...beats.slice(1).map((t, i) => t - beats[i])];
    expect(beats.length).toBeGreaterThan(20);
    expect(Math.max(...gaps.slice(0, -1))).toBeLessThanOrEqual(SETTINGS.consumer.heartbeatInterval);
    expect(p.resolved).toEqual(['0']);
  });

  it('a heartbeat answered REBALANCE_IN_PROGRESS aborts the batch, revokes while commits still work, then makes kafkajs rejoin', async () => {
    jest.useFakeTimers();
    const { kafkajs, listener, consumer } = await started();
    kafkajs.join({ orders: [0] });
    let aborted: unknown = null;
    listener.answer = (_b, control) =>
      new Promise((resolve) =>
        control.signal.addEventListener('abort', () => {
          aborted = control.signal.reason;
          resolve(false);
        }),
      );
    let revocationCommit: boolean | null = null;
    listener.onRevoked = async () => {
      revocationCommit = await consumer.commit([{ topic: 'orders', partition: 0, offset: 7n }]);
    };
    const rebalancing = protocolError('REBALANCE_IN_PROGRESS');
    const p = payload(0, 0, 1, async () => {
      throw rebalancing;
    });
    const handled = kafkajs.eachBatch!(p.value).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(2000);
    expect(await handled).toBe(rebalancing); // kafkajs rejoins on this error
    expect(aborted).toBe(rebalancing);
    expect(p.resolved).toEqual([]);
    expect(revocationCommit).toBe(true);
    kafkajs.emit(kafkajs.events.REBALANCING);
    kafkajs.join({ orders: [0] });
    await jest.advanceTimersByTimeAsync(10);
    expect(listener.calls).toEqual(['assigned orders-0', 'batch orders-0@0', 'revoked orders-0', 'assigned orders-0']);
  });

  it('a member the group expelled (UNKNOWN_MEMBER_ID) loses its partitions: nothing to commit', async () => {
    jest.useFakeTimers();
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0] });
    listener.answer = (_b, control) => new Promise((resolve) => control.signal.addEventListener('abort', () => resolve(false)));
    const handled = kafkajs.eachBatch!(payload(0, 0, 1, async () => Promise.reject(protocolError('UNKNOWN_MEMBER_ID'))).value).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(2000);
    expect((await handled as { type: string }).type).toBe('UNKNOWN_MEMBER_ID');
    expect(listener.calls.slice(-1)).toEqual(['lost orders-0']);
  });

  it('REBALANCING revokes; a revocation commit after the next join is refused, never sent', async () => {
    const { kafkajs, listener, consumer } = await started();
    kafkajs.join({ orders: [0, 1] });
    await settle();
    const gate = deferred();
    let commit: boolean | null = null;
    listener.onRevoked = async () => {
      await gate.promise;
      commit = await consumer.commit([{ topic: 'orders', partition: 1, offset: 5n }]);
    };
    kafkajs.emit(kafkajs.events.REBALANCING);
    kafkajs.join({ orders: [1] }); // kafkajs rejoined while the task was still flushing
    gate.resolve();
    await settle();
    expect(commit).toBe(false);
    expect(kafkajs.calls).not.toContain('commitOffsets');
    expect(listener.calls).toEqual(['assigned orders-0,orders-1', 'revoked orders-0,orders-1', 'assigned orders-1']);
    expect(await consumer.commit([{ topic: 'orders', partition: 1, offset: 5n }])).toBe(true);
    expect(await consumer.commit([{ topic: 'orders', partition: 0, offset: 5n }])).toBe(false); // no longer ours
  });

  it('a join while still holding partitions (kafkajs rejoined without REBALANCING) reports them lost first', async () => {
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0] });
    kafkajs.join({ orders: [0, 1] });
    await settle();
    expect(listener.calls).toEqual(['assigned orders-0', 'lost orders-0', 'assigned orders-0,orders-1']);
  });

  it('a commit kafkajs skipped because it was not running, or that the group refused, resolves false; other failures reject', async () => {
    const { kafkajs, consumer } = await started();
    kafkajs.join({ orders: [0] });
    await settle();
    const offsets = [{ topic: 'orders', partition: 0, offset: 3n }];
    expect(await consumer.commit(offsets)).toBe(true);
    kafkajs.commitBehaviour = 'silent';
    expect(await consumer.commit(offsets)).toBe(false);
    kafkajs.commitBehaviour = Object.assign(new Error('wrapped'), { name: 'KafkaJSNonRetriableError', cause: protocolError('ILLEGAL_GENERATION') });
    expect(await consumer.commit(offsets)).toBe(false);
    kafkajs.commitBehaviour = new Error('Connection timeout');
    await expect(consumer.commit(offsets)).rejects.toBeInstanceOf(ConnectError);
  });

  it('a kafkajs crash loses the partitions; after a crash kafkajs does not restart from, the member starts again a few times before the owner is told', async () => {
    jest.useFakeTimers();
    const { kafkajs, listener } = await started();
    kafkajs.join({ orders: [0] });
    kafkajs.emit(kafkajs.events.CRASH, { error: new Error('broker went away'), restart: true });
    await jest.advanceTimersByTimeAsync(10);
    expect(listener.calls).toEqual(['assigned orders-0', 'lost orders-0']);
    kafkajs.calls.length = 0;
    const syncRefused = protocolError('INVALID_REQUEST');
    kafkajs.emit(kafkajs.events.CRASH, { error: syncRefused, restart: false });
    await jest.advanceTimersByTimeAsync(60000);
    expect(kafkajs.calls).toEqual(['connect', 'subscribe', 'run']);
    expect(listener.crashes).toEqual([]);
    kafkajs.join({ orders: [0] }); // the restart joined: the count starts over
    for (let i = 1; i <= 5; i++) {
      kafkajs.emit(kafkajs.events.CRASH, { error: syncRefused, restart: false });
      await jest.advanceTimersByTimeAsync(60000);
    }
    expect(kafkajs.calls.filter((c) => c === 'run')).toHaveLength(6);
    expect(listener.crashes).toEqual([]);
    kafkajs.emit(kafkajs.events.CRASH, { error: syncRefused, restart: false });
    expect(listener.crashes).toEqual([syncRefused]);
  });
});

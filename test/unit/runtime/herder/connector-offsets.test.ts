import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtinPlugins } from '../../../../src/cli/builtin-plugins';
import { validateConnector, ValidatedConnector } from '../../../../src/runtime/connector-validation';
import { ConnectorOffsetsManager } from '../../../../src/runtime/herder/connector-offsets';
import { BadRequestError } from '../../../../src/runtime/herder/herder-errors';
import { GroupNotEmptyError, GroupOffset, GroupOffsetChange, GroupOffsetsClient } from '../../../../src/runtime/kafka/group-offsets';
import { KafkaClientFactory } from '../../../../src/runtime/kafka/kafka-client-factory';
import { silentLogger } from '../../../../src/runtime/runtime-logger';
import { parseWorkerConfig, WorkerConfig } from '../../../../src/runtime/worker-config';
import { FileOffsetBackingStore } from '../../../../src/storage/file-offset-backing-store';

const HANDLED = 'The offsets for this connector have been altered successfully';
const RESET = 'The offsets for this connector have been reset successfully';

/** A consumer group in memory; alter() and reset() can be made to fail as a group with members does. */
class MemoryGroup implements GroupOffsetsClient {
  readonly committed = new Map<string, bigint>();
  members = false;
  fetched: Array<{ topics: readonly string[]; regex: RegExp | null }> = [];
  constructor(readonly groupId: string) {}
  async fetch(subscription: { topics: readonly string[]; regex: RegExp | null }): Promise<GroupOffset[]> {
    this.fetched.push(subscription);
    return [...this.committed].map(([tp, offset]) => ({ topic: tp.split(':')[0], partition: Number(tp.split(':')[1]), offset })).filter((o) => subscription.topics.includes(o.topic));
  }
  async alter(changes: readonly GroupOffsetChange[]): Promise<void> {
    if (this.members) throw new GroupNotEmptyError(`Consumer group ${this.groupId} has active members: UNKNOWN_MEMBER_ID`);
    for (const c of changes) {
      if (c.offset === null) this.committed.delete(`${c.topic}:${c.partition}`);
      else this.committed.set(`${c.topic}:${c.partition}`, c.offset);
    }
  }
  async reset(_subscription: unknown): Promise<void> {
    if (this.members) throw new GroupNotEmptyError(`Consumer group ${this.groupId} has active members: NON_EMPTY_GROUP`);
    this.committed.clear();
  }
}

describe('ConnectorOffsetsManager', () => {
  let dir: string;
  let store: FileOffsetBackingStore;
  let worker: WorkerConfig;
  const groups = new Map<string, MemoryGroup>();
  const clients = {
    groupOffsets: (groupId: string) => {
      if (!groups.has(groupId)) groups.set(groupId, new MemoryGroup(groupId));
      return groups.get(groupId)!;
    },
  } as unknown as KafkaClientFactory;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offsets-'));
    worker = parseWorkerConfig({ 'bootstrap.servers': 'localhost:9', 'offset.storage.file.filename': path.join(dir, 'connect.offsets'), 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' });
    store = new FileOffsetBackingStore(path.join(dir, 'connect.offsets'));
    await store.start();
    groups.clear();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const manager = () => new ConnectorOffsetsManager({ offsetStore: store, clients, config: worker, logger: silentLogger });
  const spec = (props: Record<string, string>): ValidatedConnector => validateConnector(props, 'test', worker, builtinPlugins());
  const fileSource = () => spec({ name: 'src', 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 't' });
  const fileSink = (name = 'snk', topics = 'a,b') => spec({ name, 'connector.class': 'FileStreamSink', file: path.join(dir, 'out.txt'), topics });
  const fileOnDisk = () => JSON.parse(fs.readFileSync(path.join(dir, 'connect.offsets'), 'utf8')).offsets;

  it("lists a source connector's stored partitions with their offsets, and no other connector's", async () => {
    await store.set([
      { connector: 'src', partition: { filename: '/a' }, offset: { position: 10 } },
      { connector: 'other', partition: { filename: '/a' }, offset: { position: 99 } },
      { connector: 'src', partition: { filename: '/b' }, offset: { position: 0 } },
    ]);
    expect(await manager().get(fileSource())).toEqual({
      offsets: [
        { partition: { filename: '/a' }, offset: { position: 10 } },
        { partition: { filename: '/b' }, offset: { position: 0 } },
      ],
    });
  });

  it('alters source offsets durably before resolving, removing those given null; FileStreamSource checks them', async () => {
    await store.set([{ connector: 'src', partition: { filename: '/b' }, offset: { position: 5 } }]);
    const message = await manager().alter(fileSource(), {
      offsets: [
        { partition: { filename: '/a' }, offset: { position: 0 } },
        { partition: { filename: '/b' }, offset: null },
      ],
    });
    expect(message).toBe(HANDLED);
    expect(fileOnDisk()).toEqual([{ key: ['src', { filename: '/a' }], value: { position: 0 } }]);

    const negative = manager().alter(fileSource(), { offsets: [{ partition: { filename: '/a' }, offset: { position: -1 } }] });
    await expect(negative).rejects.toBeInstanceOf(BadRequestError);
    await expect(negative).rejects.toThrow("The value for the 'position' key in the offset should be a non-negative value");
    await expect(manager().alter(fileSource(), { offsets: [{ partition: { filename: '/a' }, offset: { pos: 1 } }] })).rejects.toThrow("Offset objects should either be null or contain the key 'position'");
    const stdin = spec({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't' });
    await expect(manager().alter(stdin, { offsets: [{ partition: { filename: '/a' }, offset: { position: 1 } }] })).rejects.toBeInstanceOf(BadRequestError);
    // Nothing refused was written.
    expect(fileOnDisk()).toEqual([{ key: ['src', { filename: '/a' }], value: { position: 0 } }]);
  });

  it("answers Kafka's framework-managed message for a connector without an alterOffsets hook", async () => {
    const jdbc = spec({ name: 'jdbc', 'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector', 'connection.url': 'jdbc:sqlite::memory:', mode: 'bulk', 'topic.prefix': 'p-' });
    expect(await manager().alter(jdbc, { offsets: [{ partition: { table: 't' }, offset: { incrementing: 3 } }] })).toBe(
      'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.',
    );
  });

  it('resets every stored partition of a source connector, and a second reset is fine', async () => {
    await store.set([
      { connector: 'src', partition: { filename: '/a' }, offset: { position: 10 } },
      { connector: 'other', partition: { filename: '/a' }, offset: { position: 99 } },
    ]);
    expect(await manager().reset(fileSource())).toBe(RESET);
    expect(fileOnDisk()).toEqual([{ key: ['other', { filename: '/a' }], value: { position: 99 } }]);
    expect(await manager().reset(fileSource())).toBe(RESET);
  });

  it("alters marked as Kafka's offsets when asked, for the connector to convert at its next start", async () => {
    await manager().alter(fileSource(), { offsets: [{ partition: { filename: '/a' }, offset: { position: 7 } }] }, { fromKafka: true });
    expect(store.importedFromKafka('src')).toEqual([{ partition: { filename: '/a' }, offset: { position: 7 } }]);
    expect(fileOnDisk()).toEqual([{ key: ['src', { filename: '/a' }], value: { position: 7 }, importedFromKafka: true }]);
  });

  it("reads, alters and resets a sink's consumer group connect-<name> in Kafka's shape", async () => {
    const sink = fileSink();
    expect(await manager().alter(sink, { offsets: [{ partition: { kafka_topic: 'a', kafka_partition: 0 }, offset: { kafka_offset: '12' } }, { partition: { kafka_topic: 'b', kafka_partition: 1 }, offset: { kafka_offset: 3 } }] })).toBe(HANDLED);
    expect(groups.get('connect-snk')!.committed).toEqual(new Map([['a:0', 12n], ['b:1', 3n]]));
    expect(await manager().get(sink)).toEqual({
      offsets: [
        { partition: { kafka_topic: 'a', kafka_partition: 0 }, offset: { kafka_offset: 12 } },
        { partition: { kafka_topic: 'b', kafka_partition: 1 }, offset: { kafka_offset: 3 } },
      ],
    });
    expect(groups.get('connect-snk')!.fetched).toEqual([{ topics: ['a', 'b'], regex: null }]);
    expect(await manager().alter(sink, { offsets: [{ partition: { kafka_topic: 'a', kafka_partition: 0 }, offset: null }] })).toBe(HANDLED);
    expect(groups.get('connect-snk')!.committed).toEqual(new Map([['b:1', 3n]]));
    expect(await manager().reset(sink)).toBe(RESET);
    expect(groups.get('connect-snk')!.committed.size).toBe(0);
  });

  it('uses the group.id a consumer.override sets, as the tasks do', async () => {
    const sink = spec({ name: 'snk', 'connector.class': 'FileStreamSink', file: path.join(dir, 'out.txt'), topics: 'a', 'consumer.override.group.id': 'shared' });
    expect(sink.props['consumer.override.group.id']).toBe('shared');
    // The fake is keyed by the default group: what matters is that the factory gets the overrides.
    const calls: unknown[][] = [];
    const recording = { groupOffsets: (...args: unknown[]) => (calls.push(args), new MemoryGroup('x')) } as unknown as KafkaClientFactory;
    await new ConnectorOffsetsManager({ offsetStore: store, clients: recording, config: worker, logger: silentLogger }).get(sink);
    expect(calls[0][0]).toBe('connect-snk');
    expect(calls[0][2]).toEqual({ 'group.id': 'shared' });
  });

  it('says clearly when the broker refuses because the group still has members', async () => {
    const sink = fileSink();
    groups.set('connect-snk', Object.assign(new MemoryGroup('connect-snk'), { members: true }));
    await expect(manager().alter(sink, { offsets: [{ partition: { kafka_topic: 'a', kafka_partition: 0 }, offset: { kafka_offset: 1 } }] })).rejects.toThrow(
      /^Failed to alter consumer group offsets for connector snk either because its tasks haven't stopped completely yet/,
    );
    await expect(manager().reset(sink)).rejects.toThrow(/^Failed to reset consumer group offsets for connector snk either because/);
  });

  it('refuses sink offsets in the wrong shape before touching the group', async () => {
    await expect(manager().alter(fileSink(), { offsets: [{ partition: { filename: '/a' }, offset: { position: 1 } }] })).rejects.toThrow(
      new BadRequestError("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'"),
    );
    expect(groups.get('connect-snk')?.committed.size ?? 0).toBe(0);
  });
});

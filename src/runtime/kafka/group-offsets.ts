/**
 * A sink connector's consumer group offsets read and changed from outside the group (KIP-875), as
 * Kafka's Worker does with its admin client: list the committed offsets, commit new ones without
 * joining the group (OffsetCommit with generation -1 and no member id, what Java's
 * Admin.alterConsumerGroupOffsets sends), and reset by deleting the group.
 *
 * kafkajs's admin has no such commit (its setOffsets joins the group as a member, which then holds
 * the group until its session times out) and no OffsetDelete. The commit goes through kafkajs's own
 * cluster object (the same code path its admin and consumers use), reached through the client's
 * private cluster factory; kafkajs is pinned to an exact version and a missing factory is reported
 * as such. Removing one partition's offset (a null offset in PATCH) commits offset -1, which Java's
 * and kafkajs's consumers both read as "no committed offset" (they then follow auto.offset.reset),
 * so it has the effect of Kafka's deleteConsumerGroupOffsets.
 */
import type { ConsumerConfig, Kafka } from 'kafkajs';
import { ConnectError } from '../../api';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';

/** One committed offset of the group. */
export interface GroupOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** A requested change; a null offset removes the partition's committed offset. */
export interface GroupOffsetChange {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}

/** The broker refused because the group has members: the sink's tasks still run somewhere. */
export class GroupNotEmptyError extends ConnectError {}

/** The consumer group of one sink connector, as its tasks would name it. */
export interface GroupOffsetsClient {
  readonly groupId: string;
  /**
   * Committed offsets of the group for the subscription's topics (a regex: the topics matching it
   * now); partitions without one are left out. kafkajs cannot ask for all of a group's topics, so
   * offsets the group holds for topics outside the subscription are not listed.
   */
  fetch(subscription: { readonly topics: readonly string[]; readonly regex: RegExp | null }): Promise<GroupOffset[]>;
  /** Commits the offsets. @throws GroupNotEmptyError when the group has active members */
  alter(changes: readonly GroupOffsetChange[]): Promise<void>;
  /**
   * Deletes the group and so all its committed offsets; a group that does not exist is fine. A
   * broker without DeleteGroups gets "no offset" (-1) committed for the subscription's partitions.
   * @throws GroupNotEmptyError
   */
  reset(subscription: { readonly topics: readonly string[]; readonly regex: RegExp | null }): Promise<void>;
}

/** Error types by which the broker says the group has members (Kafka's UnknownMemberId, GroupSubscribedToTopic, GroupNotEmpty). */
const NOT_EMPTY = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'NON_EMPTY_GROUP', 'GROUP_SUBSCRIBED_TO_TOPIC']);
const NO_GROUP = new Set(['GROUP_ID_NOT_FOUND']);
/** How long joining the group to commit as a member may take (a first join takes seconds). */
const JOIN_TIMEOUT_MS = 60_000;

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<{
    offsetCommit(request: {
      groupId: string;
      groupGenerationId: number;
      memberId: string;
      retentionTime: number;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
    }): Promise<{ topics: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }> }>;
  }>;
}

export class KafkajsGroupOffsets implements GroupOffsetsClient {
  /** `member`: how to join the group when a commit from outside is refused (the tasks' consumer settings). */
  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    private readonly member: { consumer: Omit<ConsumerConfig, 'groupId'>; fromBeginning: boolean },
  ) {}

  async fetch(subscription: { readonly topics: readonly string[]; readonly regex: RegExp | null }): Promise<GroupOffset[]> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const regex = subscription.regex;
      const topics = regex === null ? subscription.topics : (await admin.listTopics()).filter((t) => regex.test(t)).sort();
      const out: GroupOffset[] = [];
      for (const topic of topics) {
        let committed: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
        try {
          committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
        } catch (err) {
          if (typeOf(err) === 'UNKNOWN_TOPIC_OR_PARTITION') continue;
          throw err;
        }
        for (const t of committed) {
          for (const p of t.partitions) {
            const offset = BigInt(p.offset);
            if (offset >= 0n) out.push({ topic: t.topic, partition: p.partition, offset });
          }
        }
      }
      return out;
    } catch (err) {
      throw this.failed('retrieve', err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async alter(changes: readonly GroupOffsetChange[]): Promise<void> {
    if (changes.length === 0) return;
    try {
      await this.commitFromOutside(changes);
    } catch (err) {
      // A broker answering UNKNOWN_MEMBER_ID for a group it says is empty does not take commits
      // from outside a group it knows (librdkafka's test cluster does this once the group has
      // existed; Kafka takes them): commit as a member instead. Brokers without DescribeGroups (that
      // test cluster again) cannot say whether the group is empty: Kafka has it since 0.9.
      if (typeOf(err) !== 'UNKNOWN_MEMBER_ID' || (await this.membership()) === 'members') throw this.failed('alter', err);
      await this.commitAsMember(changes);
    }
  }

  async reset(subscription: { readonly topics: readonly string[]; readonly regex: RegExp | null }): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
      return;
    } catch (err) {
      const types = groupErrors(err);
      if (types.length > 0 && types.every((t) => NO_GROUP.has(t))) return;
      if ([typeOf(err), ...types].some((t) => t !== undefined && NOT_EMPTY.has(t))) throw this.failed('reset', err);
      // Brokers without DeleteGroups: every committed offset set to "none" instead.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const committed = await this.fetch(subscription);
    await this.alter(committed.map(({ topic, partition }) => ({ topic, partition, offset: null })));
  }

  /** OffsetCommit with generation -1 and no member: what Java's admin client sends. */
  private async commitFromOutside(changes: readonly GroupOffsetChange[]): Promise<void> {
    const cluster = privateCluster(this.kafka);
    try {
      await cluster.connect();
      const coordinator = await cluster.findGroupCoordinator({ groupId: this.groupId });
      // kafkajs throws on the first partition error, so returning means every partition was committed.
      await coordinator.offsetCommit({
        groupId: this.groupId,
        groupGenerationId: -1,
        memberId: '',
        retentionTime: -1,
        topics: [...byTopic(changes)].map(([topic, partitions]) => ({ topic, partitions })),
      });
    } finally {
      await cluster.disconnect().catch(() => undefined);
    }
  }

  /**
   * Joins the group as a member (it must be empty), commits, and leaves. A removed offset (null)
   * becomes the position auto.offset.reset would pick now (kafkajs commits no negative offsets).
   */
  private async commitAsMember(changes: readonly GroupOffsetChange[]): Promise<void> {
    const topics = [...new Set(changes.map((c) => c.topic))];
    const consumer = this.kafka.consumer({ ...this.member.consumer, groupId: this.groupId });
    try {
      const offsets = await this.withResetPositions(changes);
      await consumer.connect();
      let timer: NodeJS.Timeout | undefined;
      const joined = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        timer = setTimeout(() => reject(new ConnectError(`Joining consumer group ${this.groupId} took longer than ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
      });
      joined.catch(() => undefined);
      try {
        await consumer.subscribe({ topics, fromBeginning: true });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
        await joined;
      } finally {
        clearTimeout(timer);
      }
      consumer.pause(topics.map((topic) => ({ topic })));
      await consumer.commitOffsets(offsets);
    } catch (err) {
      throw this.failed('alter', err);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  private async withResetPositions(changes: readonly GroupOffsetChange[]): Promise<Array<{ topic: string; partition: number; offset: string }>> {
    const out: Array<{ topic: string; partition: number; offset: string }> = [];
    const ends = new Map<string, Array<{ partition: number; low: string; high: string }>>();
    const admin = this.kafka.admin();
    try {
      for (const c of changes) {
        if (c.offset !== null) {
          out.push({ topic: c.topic, partition: c.partition, offset: c.offset.toString() });
          continue;
        }
        if (!ends.has(c.topic)) {
          if (ends.size === 0) await admin.connect();
          ends.set(c.topic, await admin.fetchTopicOffsets(c.topic));
        }
        const p = ends.get(c.topic)!.find((e) => e.partition === c.partition);
        if (p !== undefined) out.push({ topic: c.topic, partition: c.partition, offset: this.member.fromBeginning ? p.low : p.high });
      }
      return out;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Whether the group has no members; 'unknown' from a broker without DescribeGroups. */
  private async membership(): Promise<'empty' | 'members' | 'unknown'> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const { groups } = await admin.describeGroups([this.groupId]);
      return groups.every((g) => g.state === 'Empty' || g.state === 'Dead') ? 'empty' : 'members';
    } catch (err) {
      return /does not support/i.test((err as Error).message) ? 'unknown' : 'members';
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private failed(what: 'retrieve' | 'alter' | 'reset', err: unknown): ConnectError {
    if (err instanceof ConnectError) return err;
    const types = [typeOf(err), ...groupErrors(err)];
    if (what !== 'retrieve' && types.some((t) => t !== undefined && NOT_EMPTY.has(t))) {
      return new GroupNotEmptyError(`Consumer group ${this.groupId} has active members: ${describeKafkaError(err)}`, { cause: err });
    }
    return new ConnectError(`Failed to ${what} the offsets of consumer group ${this.groupId}: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
  }
}

/** kafkajs's cluster factory, a private member of its Kafka client (see the module comment). */
function privateCluster(kafka: Kafka): KafkajsCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function') {
    throw new ConnectError("This kafkajs version has no cluster factory to commit a consumer group's offsets from outside the group; install the kafkajs version package.json pins");
  }
  return (create as (options: object) => KafkajsCluster)({ allowAutoTopicCreation: false });
}

/** The error's kafkajs type, looking through the retrier's wrapper. */
function typeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError, depth++) {
    const type = (e as { type?: string }).type;
    if (type !== undefined) return type;
  }
  return undefined;
}

/** deleteGroups fails with a KafkaJSDeleteGroupsError listing each group's error. */
function groupErrors(err: unknown): string[] {
  const groups = (err as { groups?: Array<{ error?: { type?: string } }> } | null)?.groups;
  return Array.isArray(groups) ? groups.map((g) => g.error?.type ?? 'UNKNOWN') : [];
}

/** Changes grouped by topic, offsets as kafkajs takes them (null: -1, no committed offset). */
function byTopic(changes: readonly GroupOffsetChange[]): Map<string, Array<{ partition: number; offset: string }>> {
  const out = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const c of changes) {
    const list = out.get(c.topic) ?? [];
    list.push({ partition: c.partition, offset: (c.offset ?? -1n).toString() });
    out.set(c.topic, list);
  }
  return out;
}

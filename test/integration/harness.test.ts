/**
 * The broker harness itself: if these fail, every other integration test is suspect.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { buildLauncher, startBroker, TestBroker } from '../harness/broker';
import { highWatermark, lowWatermark, produce, readTopic } from '../harness/kcat';

/** Launcher processes whose parent is this process (Linux /proc; the CI and dev hosts). */
function launcherChildren(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        // "pid (comm) state ppid ..."; comm may contain spaces, so split after the last ')'.
        const [comm, rest] = [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), stat.slice(stat.lastIndexOf(')') + 2)];
        return comm === 'mock-broker' && Number(rest.split(' ')[1]) === process.pid;
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

function canConnect(hostPort: string): Promise<boolean> {
  const i = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = net.connect(Number(hostPort.slice(i + 1)), hostPort.slice(0, i));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Broker start, kcat runs and the timeout test take seconds; do not depend on the config's default.
jest.setTimeout(60_000);

describe('test broker harness', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startBroker();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('round-trips exact bytes through kcat: null key, empty key, binary value', async () => {
    const topic = `harness-bytes-${Date.now()}`;
    await broker.createTopic(topic, 2);
    const binary = Buffer.from([0x00, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0x41, 0x5c, 0x2c, 0x3d]);
    await produce(broker.bootstrapServers, topic, [
      { key: null, value: 'no key', partition: 0 },
      { key: 'k\n2', value: binary, partition: 0 },
      { key: '', value: 'empty key', partition: 1 },
      { key: 'tombstone', value: null, partition: 1 },
    ]);

    const read = await readTopic(broker.bootstrapServers, topic, { count: 4, timeoutMs: 20_000 });
    const byPosition = (p: number, o: number) => read.find((m) => m.partition === p && m.offset === o)!;
    expect(read).toHaveLength(4);
    expect(byPosition(0, 0).key).toBeNull();
    expect(byPosition(0, 0).value).toEqual(Buffer.from('no key'));
    expect(byPosition(0, 1).key).toEqual(Buffer.from('k\n2'));
    expect(byPosition(0, 1).value).toEqual(binary);
    expect(byPosition(1, 0).key).toEqual(Buffer.alloc(0));
    expect(byPosition(1, 0).value).toEqual(Buffer.from('empty key'));
    expect(byPosition(1, 1).key).toEqual(Buffer.from('tombstone'));
    expect(byPosition(1, 1).value).toBeNull();
    for (const m of read) {
      expect(m.topic).toBe(topic);
      expect(m.headers).toEqual([]);
      expect(m.timestamp).toBeGreaterThan(0);
    }

    // One partition only, and the watermarks agree with what was written.
    const p1 = await readTopic(broker.bootstrapServers, topic, { count: 2, partition: 1 });
    expect(p1.map((m) => m.partition)).toEqual([1, 1]);
    expect(await lowWatermark(broker.bootstrapServers, topic, 0)).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(2);
  });

  it('rejects readTopic on timeout with what it read so far', async () => {
    const topic = `harness-timeout-${Date.now()}`;
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ key: 'a', value: 'only one' }]);
    await expect(readTopic(broker.bootstrapServers, topic, { count: 2, timeoutMs: 2_000 })).rejects.toThrow(
      /timed out after 2000 ms, read 1\/2: .*only one/,
    );
  });

  it('rejects messages kcat cannot express instead of sending something else', async () => {
    await expect(produce(broker.bootstrapServers, 'unused', [{ key: null, value: '' }])).rejects.toThrow(
      /null key with an empty value/,
    );
  });

  it('tolerates creating a topic that exists', async () => {
    const topic = `harness-twice-${Date.now()}`;
    await broker.createTopic(topic, 3);
    await expect(broker.createTopic(topic, 3)).resolves.toBeUndefined();
  });

  it('takes brokers down and up', async () => {
    if (!broker.isMock) {
      await expect(broker.brokerDown()).rejects.toThrow(/fault injection needs the mock broker/);
      return;
    }
    const topic = `harness-down-${Date.now()}`;
    await broker.createTopic(topic, 1);
    await broker.brokerDown();
    await expect(
      produce(broker.bootstrapServers, topic, [{ key: 'k', value: 'while down' }], { timeoutMs: 3_000 }),
    ).rejects.toThrow(/kcat exited/);
    await broker.brokerUp();
    await produce(broker.bootstrapServers, topic, [{ key: 'k', value: 'after up' }]);
    const read = await readTopic(broker.bootstrapServers, topic, { count: 1 });
    expect(read[0].value).toEqual(Buffer.from('after up'));
  });

  it('injects request errors', async () => {
    if (!broker.isMock) return;
    const topic = `harness-errors-${Date.now()}`;
    await broker.createTopic(topic, 1);
    // Produce (api key 0) fails once with NOT_LEADER_OR_FOLLOWER (6), a retriable error: kcat's
    // producer retries and the message still lands exactly once.
    await broker.pushRequestErrors(0, [6]);
    await produce(broker.bootstrapServers, topic, [{ key: 'k', value: 'retried' }]);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(1);
    // MESSAGE_TOO_LARGE (10) is permanent: the produce fails and nothing is written.
    await broker.pushRequestErrors(0, [10]);
    await expect(produce(broker.bootstrapServers, topic, [{ key: 'k', value: 'rejected' }])).rejects.toThrow(
      /kcat exited/,
    );
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(1);
    await expect(broker.pushRequestErrors(0, [])).rejects.toThrow(/at least one error code/);
  });

  it('reports launcher errors without wedging the command queue', async () => {
    if (!broker.isMock) return;
    await expect(broker.brokerDown(99)).rejects.toThrow(/broker_down 99.*failed/);
    await expect(broker.brokerUp()).resolves.toBeUndefined();
  });
});

describe('broker process lifetime', () => {
  it('stop() kills the launcher and frees its port', async () => {
    if (process.env.KAFKA_BOOTSTRAP_SERVERS) return;
    const before = new Set(launcherChildren());
    const broker = await startBroker({ brokers: 3 });
    const bootstraps = broker.bootstrapServers.split(',');
    expect(bootstraps).toHaveLength(3);
    const mine = launcherChildren().filter((pid) => !before.has(pid));
    expect(mine).toHaveLength(1);
    expect(await canConnect(bootstraps[0])).toBe(true);

    await broker.stop();
    await broker.stop(); // idempotent
    expect(launcherChildren()).not.toContain(mine[0]);
    expect(await canConnect(bootstraps[0])).toBe(false);
    await expect(broker.createTopic('after-stop')).rejects.toThrow(/after stop|exited/);
  });

  it('the launcher exits when its owner goes away (stdin EOF) and on SIGTERM', async () => {
    const binary = await buildLauncher();
    for (const end of ['eof', 'sigterm'] as const) {
      const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      if (end === 'eof') child.stdin.end();
      else child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(0);
    }
  });
});

import * as fs from 'fs';
import { highWatermark, produce, readTopic } from '../harness/kcat';
import { eventually, freePort, startWorker, testWorkerProps, untilFileHolds, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

jest.setTimeout(240_000);


async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text) };
}

/**
 * The acceptance, through the real CLI and its REST API: a running FileStreamSource, PUT
 * .../stop, PATCH .../offsets to position 0, PUT .../resume, and the file is read again from its
 * start; the same for a FileStreamSink's consumer group, and DELETE .../offsets.
 */
describe('KIP-875 offsets over REST', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('source: alter only while STOPPED; position 0 re-reads the file after resume; reset does too', async () => {
    const topic = 'offsets-rest-source';
    await broker.createTopic(topic, 1);
    const input = tmp.file('in.txt');
    fs.writeFileSync(input, 'one\ntwo\nthree\n');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const worker = writeProperties(tmp.file('worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('rest.offsets'), { 'value.converter.schemas.enable': 'false', listeners: `http://127.0.0.1:${port}` }));
    const connector = writeProperties(tmp.file('source.properties'), { name: 'src', 'connector.class': 'FileStreamSource', file: input, topic });
    const w = startWorker([worker, connector]);
    try {
      await readTopic(broker.bootstrapServers, topic, { count: 3 });
      await eventually(async () => {
        const got = await call(base, 'GET', '/connectors/src/offsets').catch(() => null);
        return got !== null && JSON.stringify(got.json).includes(`"position":${Buffer.byteLength('one\ntwo\nthree\n')}`);
      }, 30000, () => w.stderr().slice(-2000));
      const body = { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] };

      const running = await call(base, 'PATCH', '/connectors/src/offsets', body);
      expect(running.status).toBe(400);
      expect(running.json).toEqual({ error_code: 400, message: expect.stringMatching(/^Connectors must be in the STOPPED state before their offsets can be modified/) });

      expect((await call(base, 'PUT', '/connectors/src/stop')).status).toBe(204);
      await eventually(async () => ((await call(base, 'GET', '/connectors/src/status')).json as { connector: { state: string } }).connector.state === 'STOPPED', 30000, () => w.stderr().slice(-2000));

      const bad = await call(base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: input }, offset: { position: -1 } }] });
      expect(bad).toEqual({ status: 400, json: { error_code: 400, message: "The value for the 'position' key in the offset should be a non-negative value" } });

      const altered = await call(base, 'PATCH', '/connectors/src/offsets', body);
      expect(altered).toEqual({ status: 200, json: { message: 'The offsets for this connector have been altered successfully' } });
      expect((await call(base, 'GET', '/connectors/src/offsets')).json).toEqual(body);

      expect((await call(base, 'PUT', '/connectors/src/resume')).status).toBe(202);
      const again = await readTopic(broker.bootstrapServers, topic, { count: 6 });
      expect(again.map((m) => m.value!.toString('utf8'))).toEqual(['"one"', '"two"', '"three"', '"one"', '"two"', '"three"']);

      expect((await call(base, 'PUT', '/connectors/src/stop')).status).toBe(204);
      await eventually(async () => ((await call(base, 'GET', '/connectors/src/status')).json as { connector: { state: string } }).connector.state === 'STOPPED', 30000, () => w.stderr().slice(-2000));
      const reset = await call(base, 'DELETE', '/connectors/src/offsets');
      expect(reset).toEqual({ status: 200, json: { message: 'The offsets for this connector have been reset successfully' } });
      expect((await call(base, 'GET', '/connectors/src/offsets')).json).toEqual({ offsets: [] });
      expect((await call(base, 'PUT', '/connectors/src/resume')).status).toBe(202);
      await readTopic(broker.bootstrapServers, topic, { count: 9 });
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(9);
  });

  it("sink: PATCH moves the group's offset and resume writes from there", async () => {
    const topic = 'offsets-rest-sink';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, ['a', 'b', 'c', 'd'].map((v) => ({ value: v })));
    const out = tmp.file('out.txt');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const worker = writeProperties(
      tmp.file('sink-worker.properties'),
      testWorkerProps(broker.bootstrapServers, tmp.file('sink.offsets'), {
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        listeners: `http://127.0.0.1:${port}`,
      }),
    );
    const connector = writeProperties(tmp.file('sink.properties'), { name: 'snk', 'connector.class': 'FileStreamSink', file: out, topics: topic });
    const w = startWorker([worker, connector]);
    try {
      await untilFileHolds(out, 'a\nb\nc\nd\n', 60000, () => w.stderr().slice(-2000));
      await eventually(async () => JSON.stringify((await call(base, 'GET', '/connectors/snk/offsets')).json) === JSON.stringify({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 4 } }] }), 30000, () => w.stderr().slice(-2000));
      expect((await call(base, 'PUT', '/connectors/snk/stop')).status).toBe(204);
      await eventually(async () => ((await call(base, 'GET', '/connectors/snk/status')).json as { connector: { state: string } }).connector.state === 'STOPPED', 30000, () => w.stderr().slice(-2000));
      const body = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] };
      // The stopped tasks' member may stay in the group until its session times out (the test broker
      // ignores LeaveGroup); until then Kafka's answer says so and the request can be retried.
      let altered: { status: number; json: unknown } = { status: 0, json: null };
      await eventually(async () => (altered = await call(base, 'PATCH', '/connectors/snk/offsets', body)).status === 200, 60000, () => JSON.stringify(altered));
      expect(altered.json).toEqual({ message: 'The offsets for this connector have been altered successfully' });
      expect((await call(base, 'GET', '/connectors/snk/offsets')).json).toEqual(body);
      expect((await call(base, 'PUT', '/connectors/snk/resume')).status).toBe(202);
      await untilFileHolds(out, 'a\nb\nc\nd\nc\nd\n', 90000, () => w.stderr().slice(-2000));
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});

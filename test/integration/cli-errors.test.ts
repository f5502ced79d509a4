import * as fs from 'fs';
import * as net from 'net';
import { errorLine, runCli, tempDir, testWorkerProps, writeProperties } from './helpers/worker-process';

/**
 * Bad input: one clear line on stderr naming the key, file or value at fault, a non-zero exit, and
 * the offsets file untouched. None of these cases reaches Kafka, except the unreachable-broker one,
 * which points at a closed local port.
 */
describe('bad input', () => {
  const tmp = tempDir();
  const offsets = tmp.file('connect.offsets');
  const storedOffsets = JSON.stringify({ version: 1, offsets: [{ key: ['src', { filename: '/x' }], value: { position: 42 } }] }, null, 2) + '\n';
  let closedPort: number;
  let worker: string;

  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    worker = writeProperties(tmp.file('worker.properties'), testWorkerProps(`127.0.0.1:${closedPort}`, offsets, { 'default.api.timeout.ms': 2000 }));
  });
  beforeEach(() => fs.writeFileSync(offsets, storedOffsets));
  afterEach(() => expect(fs.readFileSync(offsets, 'utf8')).toBe(storedOffsets));
  afterAll(() => tmp.cleanup());

  const source = (props: Record<string, string>) => writeProperties(tmp.file(`c${Math.random().toString(36).slice(2)}.properties`), props);

  it('no arguments: usage and exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatch(/^connect-standalone: Not enough non-option arguments/);
    expect(r.stderr).toContain('Usage: connect-standalone <worker.properties>');
  });

  it('--version and --help exit 0', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--log-level');
    expect(h.stdout).toContain('--no-rest');
    expect(h.stdout).toContain('connect-standalone offsets export|import');
  });

  it('a missing required key names the key and the file', async () => {
    const file = source({ name: 'src', 'connector.class': 'FileStreamSource', file: '/tmp/x' });
    const r = await runCli([worker, file]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(`connect-standalone: Invalid connector config ${file}: Missing required configuration "topic" which has no default value.`);
  });

  it('an invalid value names key, value and expectation', async () => {
    const file = source({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', 'batch.size': 'lots' });
    const r = await runCli([worker, file]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toContain('Invalid value lots for configuration batch.size: Not a number of type INT');
  });

  it('an unknown connector.class lists the known connectors', async () => {
    const file = source({ name: 'x', 'connector.class': 'com.example.Nope', topic: 't' });
    const r = await runCli([worker, file]);
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line).toContain('Failed to find any class that implements Connector and which name matches com.example.Nope');
    expect(line).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector (FileStreamSource, FileStreamSourceConnector)');
    expect(line).toContain('org.apache.kafka.connect.file.FileStreamSinkConnector (FileStreamSink, FileStreamSinkConnector)');
  });

  it('a missing worker key names the key and the worker file', async () => {
    const bad = writeProperties(tmp.file('bad-worker.properties'), { 'bootstrap.servers': 'x:1', 'offset.storage.file.filename': offsets, 'value.converter': 'JsonConverter' });
    const r = await runCli([bad]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(`connect-standalone: Invalid worker config ${bad}: Missing required configuration "key.converter" which has no default value.`);
  });

  it('an unknown converter lists the known converters', async () => {
    const bad = writeProperties(tmp.file('conv-worker.properties'), { ...testWorkerProps('x:1', offsets), 'value.converter': 'com.example.Conv' });
    const file = source({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't' });
    const r = await runCli([bad, file]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/value\.converter: Class com\.example\.Conv could not be found, available converters are: .*org\.apache\.kafka\.connect\.json\.JsonConverter/);
  });

  it('a missing or unreadable config file is named', async () => {
    const missing = tmp.file('nope.properties');
    const r = await runCli([worker, missing]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(`connect-standalone: Cannot read config file ${missing}: no such file`);
    const r2 = await runCli([tmp.dir]);
    expect(errorLine(r2.stderr)).toContain('is a directory');
  });

  it('malformed properties and JSON are named with the file', async () => {
    const props = tmp.file('bad.properties');
    fs.writeFileSync(props, 'name=x\nfile=\\u12G4\n');
    const r = await runCli([worker, props]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toContain(`Malformed properties file ${props}: line 2`);
    const json = tmp.file('bad.json');
    fs.writeFileSync(json, '{"name": "x", ');
    const r2 = await runCli([worker, json]);
    expect(r2.code).toBe(1);
    expect(errorLine(r2.stderr)).toContain(`Malformed JSON in config file ${json}`);
  });

  it('duplicate connector names are refused', async () => {
    const a = source({ name: 'same', 'connector.class': 'FileStreamSource', topic: 't' });
    const b = source({ name: 'same', 'connector.class': 'FileStreamSink', topics: 't' });
    const r = await runCli([worker, a, b]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toContain('Connector name "same" is used by both');
  });

  it('a sink without topics is refused as Kafka does', async () => {
    const file = source({ name: 'snk', 'connector.class': 'FileStreamSink' });
    const r = await runCli([worker, file]);
    expect(errorLine(r.stderr)).toContain('Must configure one of topics or topics.regex');
  });

  it('an unreachable broker fails after the bounded wait (default.api.timeout.ms)', async () => {
    const file = source({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: tmp.file('in.txt') });
    const started = Date.now();
    const r = await runCli([worker, file], 30000);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(new RegExp(`Failed to connect to and describe the Kafka cluster at bootstrap.servers=127.0.0.1:${closedPort} within 2000 ms \\(default.api.timeout.ms\\): .*ECONNREFUSED`));
    expect(Date.now() - started).toBeLessThan(25000);
  });

  it('a corrupt offsets file stops start-up and is left as it was', async () => {
    const corrupt = tmp.file('corrupt.offsets');
    fs.writeFileSync(corrupt, '{"version":1,"offsets":[{"key":');
    const w = writeProperties(tmp.file('corrupt-worker.properties'), testWorkerProps(`127.0.0.1:${closedPort}`, corrupt));
    const file = source({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't' });
    const r = await runCli([w, file]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toContain(corrupt);
    expect(fs.readFileSync(corrupt, 'utf8')).toBe('{"version":1,"offsets":[{"key":');
  });
});

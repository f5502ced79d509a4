import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OffsetsUsageError, parseOffsetsArgs, runOffsetsCommand } from '../../../src/cli/offsets-command';
import { silentLogger } from '../../../src/runtime/runtime-logger';
import { FileOffsetBackingStore } from '../../../src/storage/file-offset-backing-store';
import { OffsetsFileLockedError } from '../../../src/storage/offsets-file-lock';

describe('connect-standalone offsets: command line', () => {
  it('parses export and import', () => {
    expect(parseOffsetsArgs(['export', 'w.properties'])).toEqual({ action: 'export', worker: 'w.properties', connector: null, input: '-', fromKafka: false });
    expect(parseOffsetsArgs(['import', '--from-kafka', 'w.properties', 'src', 'body.json'])).toEqual({ action: 'import', worker: 'w.properties', connector: 'src', input: 'body.json', fromKafka: true });
    expect(parseOffsetsArgs(['import', 'w.properties', 'src'])).toMatchObject({ input: '-' });
    expect(parseOffsetsArgs(['--help'])).toBeNull();
  });

  it('refuses other forms, saying what is wrong', () => {
    const usage = (argv: string[]) => () => parseOffsetsArgs(argv);
    expect(usage([])).toThrow(new OffsetsUsageError('offsets: say export or import'));
    expect(usage(['list', 'w'])).toThrow('offsets: unknown action "list" (export or import)');
    expect(usage(['import', 'w'])).toThrow('offsets import: name the connector (its config file or its name)');
    expect(usage(['export', 'w', 'c', 'x'])).toThrow('offsets export: too many arguments (x)');
    expect(usage(['export', '--from-kafka', 'w'])).toThrow('offsets export: --from-kafka applies to import only');
    expect(usage(['import', '--force', 'w', 'c'])).toThrow('offsets import: unknown option --force');
  });
});

describe('connect-standalone offsets export|import on the offsets file', () => {
  let dir: string;
  let worker: string;
  let offsets: string;
  let out: string;
  const io = (stdin = '') => ({ logger: silentLogger, stdout: { write: (t: string) => (out += t) }, readStdin: async () => stdin });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offsets-cli-'));
    offsets = path.join(dir, 'connect.offsets');
    worker = path.join(dir, 'worker.properties');
    fs.writeFileSync(worker, `bootstrap.servers=localhost:9\noffset.storage.file.filename=${offsets}\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\n`);
    out = '';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function seed(): Promise<void> {
    const store = new FileOffsetBackingStore(offsets);
    await store.start();
    await store.set([
      { connector: 'a', partition: { filename: '/x' }, offset: { position: 12 } },
      { connector: 'b', partition: { table: 't' }, offset: { incrementing: 4 } },
    ]);
  }

  it("exports one connector as Kafka's PATCH body, or all keyed by name", async () => {
    await seed();
    await runOffsetsCommand({ action: 'export', worker, connector: 'a', input: '-', fromKafka: false }, io());
    expect(JSON.parse(out)).toEqual({ offsets: [{ partition: { filename: '/x' }, offset: { position: 12 } }] });
    out = '';
    await runOffsetsCommand({ action: 'export', worker, connector: null, input: '-', fromKafka: false }, io());
    expect(JSON.parse(out)).toEqual({
      a: { offsets: [{ partition: { filename: '/x' }, offset: { position: 12 } }] },
      b: { offsets: [{ partition: { table: 't' }, offset: { incrementing: 4 } }] },
    });
  });

  it('imports a body for a connector given by its config file, through its alterOffsets check', async () => {
    const connector = path.join(dir, 'src.properties');
    fs.writeFileSync(connector, `name=a\nconnector.class=FileStreamSource\nfile=/x\ntopic=t\n`);
    await seed();
    const body = path.join(dir, 'body.json');
    fs.writeFileSync(body, JSON.stringify({ offsets: [{ partition: { filename: '/x' }, offset: { position: 0 } }] }));
    await runOffsetsCommand({ action: 'import', worker, connector, input: body, fromKafka: false }, io());
    expect(out).toBe('The offsets for this connector have been altered successfully\n');
    const doc = JSON.parse(fs.readFileSync(offsets, 'utf8'));
    expect(doc.offsets).toEqual([
      { key: ['a', { filename: '/x' }], value: { position: 0 } },
      { key: ['b', { table: 't' }], value: { incrementing: 4 } },
    ]);
    fs.writeFileSync(body, JSON.stringify({ offsets: [{ partition: { filename: '/x' }, offset: { position: 'start' } }] }));
    await expect(runOffsetsCommand({ action: 'import', worker, connector, input: body, fromKafka: false }, io())).rejects.toThrow("The value for the 'position' key in the offset is expected to be a Long value");
  });

  it('imports from stdin by name, marked as Kafka\'s offsets with --from-kafka; a sink-shaped body needs the config file', async () => {
    await runOffsetsCommand({ action: 'import', worker, connector: 'new', input: '-', fromKafka: true }, io(JSON.stringify({ offsets: [{ partition: { filename: '/y' }, offset: { position: 30 } }] })));
    expect(JSON.parse(fs.readFileSync(offsets, 'utf8')).offsets).toEqual([{ key: ['new', { filename: '/y' }], value: { position: 30 }, importedFromKafka: true }]);
    await expect(
      runOffsetsCommand({ action: 'import', worker, connector: 'snk', input: '-', fromKafka: false }, io(JSON.stringify({ offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1 } }] }))),
    ).rejects.toThrow(/look like a sink connector's \(kafka_topic\); give the sink's config file/);
    await expect(runOffsetsCommand({ action: 'import', worker, connector: 'x', input: '-', fromKafka: false }, io('{"offsets": '))).rejects.toThrow(/standard input\) are not valid JSON/);
  });

  it('refuses to import while a worker holds the offsets file lock, naming the file and the lock, and writes nothing', async () => {
    await seed();
    const before = fs.readFileSync(offsets);
    fs.writeFileSync(`${offsets}.lock`, `${process.ppid}\n`); // a running process that is not us, as a worker writes it
    const attempt = runOffsetsCommand({ action: 'import', worker, connector: 'a', input: '-', fromKafka: false }, io(JSON.stringify({ offsets: [{ partition: { filename: '/x' }, offset: { position: 0 } }] })));
    await expect(attempt).rejects.toBeInstanceOf(OffsetsFileLockedError);
    await expect(attempt).rejects.toThrow(`Offsets file ${offsets} is in use by another worker (pid ${process.ppid}, lock file ${offsets}.lock)`);
    expect(fs.readFileSync(offsets)).toEqual(before);
  });
});

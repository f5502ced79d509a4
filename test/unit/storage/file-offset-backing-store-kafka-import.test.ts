import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConnectError, RetriableError } from '../../../src/api';
import { FileOffsetBackingStore, OffsetFileSystem } from '../../../src/storage/file-offset-backing-store';
import { javaSerializedOffsets } from '../../helpers/java-serialized-offsets-writer';
import { RecordingLogger } from '../../helpers/recording-logger';

const FIXTURES = path.join(__dirname, '../../fixtures/kafka-offsets');

let dir: string;
let file: string;
let backup: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kafka-offsets-'));
  file = path.join(dir, 'connect.offsets');
  backup = `${file}.kafka-backup`;
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Puts a fixture written by Java at the offsets path; returns its bytes. */
async function kafkaFile(fixture: string): Promise<Buffer> {
  const bytes = await fsp.readFile(path.join(FIXTURES, fixture));
  await fsp.writeFile(file, bytes);
  return bytes;
}

async function started(options: ConstructorParameters<typeof FileOffsetBackingStore>[1] = {}): Promise<FileOffsetBackingStore> {
  const store = new FileOffsetBackingStore(file, options);
  await store.start();
  return store;
}

describe("FileOffsetBackingStore importing Apache Kafka's offsets file", () => {
  it('loads its offsets, marked as imported, logs what it imported, and leaves the file as it is', async () => {
    const original = await kafkaFile('several.bin');
    const logger = new RecordingLogger();
    const store = await started({ logger });

    expect(store.get('local-file-source', { filename: '/tmp/test.txt' })).toEqual({ position: 123 });
    expect(store.get('jdbc-users', { protocol: '1', table: 'users' })).toEqual({ incrementing: 42, timestamp_nanos: 0 });
    expect(store.get('other', { id: 7, flag: true })).toEqual({ text: 'a "quoted" value', gone: null });
    expect(store.importedFromKafka('local-file-source')).toEqual(
      expect.arrayContaining([
        { partition: { filename: '/tmp/test.txt' }, offset: { position: 123 } },
        { partition: { filename: '/var/log/app.log' }, offset: { position: 0 } },
      ]),
    );
    expect(store.importedFromKafka('local-file-source')).toHaveLength(2);
    expect(store.importedFromKafka('unknown')).toEqual([]);
    const imported = logger.messages('info').find((m) => m.includes("is Apache Kafka's format"));
    expect(imported).toMatch(/imported 4 offsets for connectors (local-file-source \(2\)|jdbc-users \(1\)|other \(1\))(, (local-file-source \(2\)|jdbc-users \(1\)|other \(1\))){2}\./);
    expect(imported).toContain(`keeps the original as ${backup}`);

    await store.stop();
    expect(await fsp.readFile(file)).toEqual(original);
    expect(await fsp.readdir(dir)).toEqual(['connect.offsets']);
  });

  it('reads multibyte file names and skips deleted offsets', async () => {
    await kafkaFile('multibyte.bin');
    let store = await started();
    expect(store.get('fichiers', { filename: '/tmp/données/日本語 ✓.txt' })).toEqual({ position: 57 });
    expect(store.get('emoji-source', { filename: '/tmp/😀.log' })).toEqual({ position: 9007199254740991 });

    await kafkaFile('null-value.bin');
    const logger = new RecordingLogger();
    store = await started({ logger });
    expect(store.get('local-file-source', { filename: '/tmp/deleted.txt' })).toBeNull();
    expect(store.importedFromKafka('local-file-source')).toEqual([{ partition: { filename: '/tmp/kept.txt' }, offset: { position: 5 } }]);
    expect(logger.messages('info').join('\n')).toContain('imported 1 offset for connector local-file-source (1) (and 1 deleted offset skipped)');
  });

  it('imports an empty map', async () => {
    await kafkaFile('empty.bin');
    const logger = new RecordingLogger();
    const store = await started({ logger });
    expect(store.importedFromKafka('x')).toEqual([]);
    expect(logger.messages('info').join('\n')).toContain('imported 0 offsets.');
  });

  it('warns about entries it cannot use, as Kafka ignores them, and imports the rest', async () => {
    await fsp.writeFile(
      file,
      javaSerializedOffsets([
        { key: null, value: '{"position":1}' },
        { key: 'not json', value: '{"position":2}' },
        { key: '["c",{"filename":"/a"}]', value: '[1,2]' },
        { key: '["c",{"filename":"/b"}]', value: '{"position":3}' },
        // JsonConverter with schemas.enable=true wraps schemaless data in an envelope
        { key: '{"schema":null,"payload":["c",{"filename":"/c"}]}', value: '{"schema":null,"payload":{"position":4}}' },
      ]),
    );
    const logger = new RecordingLogger();
    const store = await started({ logger });
    expect(store.get('c', { filename: '/b' })).toEqual({ position: 3 });
    expect(store.get('c', { filename: '/c' })).toEqual({ position: 4 });
    expect(store.get('c', { filename: '/a' })).toBeNull();
    const warnings = logger.messages('warn');
    expect(warnings).toEqual([
      `Ignoring entry 0 (key null): the key is null in Apache Kafka's offsets file ${file}; it stays in the backup`,
      `Ignoring entry 1 (key "not json"): the key is not JSON of the form ["<connector>", {<source partition>}] in Apache Kafka's offsets file ${file}; it stays in the backup`,
      `Ignoring entry 2 (key "[\\"c\\",{\\"filename\\":\\"/a\\"}]"): the offset is not a JSON object of primitive values in Apache Kafka's offsets file ${file}; it stays in the backup`,
    ]);
  });

  it('on the first write keeps the original as <file>.kafka-backup and writes its own format, still marking unconverted offsets', async () => {
    const original = await kafkaFile('null-value.bin');
    const logger = new RecordingLogger();
    const store = await started({ logger });
    await store.set([{ connector: 'local-file-source', partition: { filename: '/tmp/new.txt' }, offset: { position: 9 } }]);

    expect(await fsp.readFile(backup)).toEqual(original);
    expect(JSON.parse(await fsp.readFile(file, 'utf8'))).toEqual({
      version: 1,
      offsets: [
        { key: ['local-file-source', { filename: '/tmp/kept.txt' }], value: { position: 5 }, importedFromKafka: true },
        { key: ['local-file-source', { filename: '/tmp/new.txt' }], value: { position: 9 } },
      ],
    });
    expect(logger.messages('info')).toContain(`Kept Apache Kafka's offsets file as ${backup}; writing this worker's format to ${file}`);
    expect((await fsp.readdir(dir)).sort()).toEqual(['connect.offsets', 'connect.offsets.kafka-backup']);

    // A new offset for an imported partition is this worker's own: no longer marked.
    await store.set([{ connector: 'local-file-source', partition: { filename: '/tmp/kept.txt' }, offset: { position: 6 } }]);
    expect(store.importedFromKafka('local-file-source')).toEqual([]);
    expect(await fsp.readFile(backup)).toEqual(original);
    await store.stop();

    const reloaded = await started();
    expect(reloaded.get('local-file-source', { filename: '/tmp/kept.txt' })).toEqual({ position: 6 });
    expect(reloaded.importedFromKafka('local-file-source')).toEqual([]);
  });

  it('keeps the import mark across restarts in its own format', async () => {
    await kafkaFile('null-value.bin');
    const store = await started();
    await store.set([{ connector: 'other', partition: { p: 1 }, offset: { o: 1 } }]);
    await store.stop();
    const reloaded = await started();
    expect(reloaded.importedFromKafka('local-file-source')).toEqual([{ partition: { filename: '/tmp/kept.txt' }, offset: { position: 5 } }]);
    expect(reloaded.importedFromKafka('other')).toEqual([]);
  });

  it('never overwrites an existing backup: the same bytes are the backup already, other bytes get the next free name', async () => {
    const original = await kafkaFile('several.bin');
    await fsp.writeFile(backup, 'an older backup');
    let store = await started();
    await store.set([{ connector: 'c', partition: { p: 1 }, offset: { o: 1 } }]);
    expect(await fsp.readFile(backup, 'utf8')).toBe('an older backup');
    expect(await fsp.readFile(`${backup}.2`)).toEqual(original);

    // The same Kafka file again (say, restored by hand): its copy at .2 is the backup; nothing new.
    await fsp.writeFile(file, original);
    store = await started();
    await store.set([{ connector: 'c', partition: { p: 1 }, offset: { o: 2 } }]);
    expect((await fsp.readdir(dir)).sort()).toEqual(['connect.offsets', 'connect.offsets.kafka-backup', 'connect.offsets.kafka-backup.2']);
    expect(await fsp.readFile(backup, 'utf8')).toBe('an older backup');
  });

  it('falls back to check-and-rename where hard links are not supported', async () => {
    const original = await kafkaFile('several.bin');
    const noLinks: OffsetFileSystem = {
      ...fsp,
      link: async () => {
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      },
    };
    const store = await started({ fs: noLinks });
    await store.set([{ connector: 'c', partition: { p: 1 }, offset: { o: 1 } }]);
    expect(await fsp.readFile(backup)).toEqual(original);
    expect((await fsp.readdir(dir)).sort()).toEqual(['connect.offsets', 'connect.offsets.kafka-backup']);
  });

  it('fails the write as retriable and leaves Kafka\'s file in place when the backup cannot be written', async () => {
    const original = await kafkaFile('several.bin');
    let failLink = true;
    const flaky: OffsetFileSystem = {
      ...fsp,
      link: async (from, to) => {
        if (failLink) throw Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
        return fsp.link(from, to);
      },
    };
    const store = await started({ fs: flaky });
    const failed = store.set([{ connector: 'c', partition: { p: 1 }, offset: { o: 1 } }]);
    await expect(failed).rejects.toThrow(RetriableError);
    await expect(failed).rejects.toThrow(`Failed to keep Apache Kafka's offsets file ${file} as ${backup}: EIO`);
    expect(await fsp.readFile(file)).toEqual(original);
    expect(await fsp.readdir(dir)).toEqual(['connect.offsets']);

    failLink = false;
    await store.set([{ connector: 'c', partition: { p: 1 }, offset: { o: 1 } }]);
    expect(await fsp.readFile(backup)).toEqual(original);
    expect(JSON.parse(await fsp.readFile(file, 'utf8')).version).toBe(1);
  });

  it('refuses to start on a corrupt Java stream, naming the file and what is wrong, and leaves it untouched', async () => {
    const original = await fsp.readFile(path.join(FIXTURES, 'several.bin'));
    const truncated = original.subarray(0, original.length - 10);
    await fsp.writeFile(file, truncated);
    const attempt = new FileOffsetBackingStore(file).start();
    await expect(attempt).rejects.toThrow(ConnectError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Offsets file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} starts like Apache Kafka's offsets file .* cannot be read: at byte \\d+, expected .*truncated file\\?\\)\\. The file was left untouched`),
    );
    expect(await fsp.readFile(file)).toEqual(truncated);
    expect(await fsp.readdir(dir)).toEqual(['connect.offsets']);
  });
});

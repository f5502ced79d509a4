import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConnectorContext } from '../../../../src/api';
import { FileStreamSourceConnector } from '../../../../connectors/file/file-stream-source-connector';
import { locateCharPosition } from '../../../../connectors/file/kafka-char-position';
import { RecordingLogger } from './fixtures';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kafka-chars-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function fileWith(content: Buffer | string): Promise<string> {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.txt`);
  await fsp.writeFile(file, content);
  return file;
}

describe('locateCharPosition', () => {
  it('maps character positions at every line end of a multibyte file to byte positions, whatever the chunk size', async () => {
    const lines = ['ascii\n', 'café\r\n', '日本語\n', '😀 emoji\r', 'x\n', '\n', 'Ünïcödé ✓\n'];
    const file = await fileWith(lines.join(''));
    for (const chunkSize of [1, 2, 3, 5, 64 * 1024]) {
      let chars = 0;
      let bytes = 0;
      expect(await locateCharPosition(file, 0, chunkSize)).toEqual({ kind: 'found', bytePosition: 0 });
      for (const line of lines) {
        chars += line.length; // JS string length counts UTF-16 code units, as Java chars do
        bytes += Buffer.byteLength(line);
        expect(await locateCharPosition(file, chars, chunkSize)).toEqual({ kind: 'found', bytePosition: bytes });
      }
      expect(await locateCharPosition(file, chars + 1, chunkSize)).toEqual({ kind: 'short', chars, bytes });
    }
  });

  it('resolves a position inside a surrogate pair to the start of its code point', async () => {
    const file = await fileWith('a😀b');
    expect(await locateCharPosition(file, 1)).toEqual({ kind: 'found', bytePosition: 1 });
    expect(await locateCharPosition(file, 2)).toEqual({ kind: 'found', bytePosition: 1 });
    expect(await locateCharPosition(file, 3)).toEqual({ kind: 'found', bytePosition: 5 });
  });

  // Characters Java 17 decodes from these bytes through an InputStreamReader (UTF-8), measured once.
  it.each([
    ['41', 1], ['c3a9', 1], ['e282ac', 1], ['f09f9880', 2], ['efbbbf', 1],
    ['ff', 1], ['80', 1], ['8080', 2], ['c3', 1], ['e282', 1], ['f09f98', 1], ['c341', 2], ['e28241', 2], ['f09f9841', 2],
    ['c0af', 2], ['e08080', 3], ['e09f80', 3], ['e0a080', 1], ['f08f8080', 4], ['f0908080', 2], ['f4908080', 4], ['f8888080', 4],
    ['eda080', 1], ['eda041', 2], ['eda0', 1], ['ed41', 2], ['edbfbf41', 2], ['ed9fbf', 1], ['e0a0', 1], ['f090', 1], ['f09041', 2],
    ['c3a9ff41', 3],
  ])('counts %s as Java does: %i chars', async (hex, javaChars) => {
    const bytes = Buffer.from(hex, 'hex');
    const file = await fileWith(bytes);
    for (const chunkSize of [1, 2, 64]) {
      expect(await locateCharPosition(file, javaChars, chunkSize)).toEqual({ kind: 'found', bytePosition: bytes.length });
      expect(await locateCharPosition(file, javaChars + 1, chunkSize)).toEqual({ kind: 'short', chars: javaChars, bytes: bytes.length });
    }
  });

  it('reports a missing file', async () => {
    expect(await locateCharPosition(path.join(dir, 'nope.txt'), 5)).toEqual({ kind: 'missing' });
  });
});

describe('FileStreamSourceConnector.convertKafkaOffset', () => {
  function connector(): { connector: FileStreamSourceConnector; logger: RecordingLogger } {
    const logger = new RecordingLogger();
    const context: ConnectorContext = { connectorName: 'src', logger, requestTaskReconfiguration: () => undefined, raiseError: () => undefined };
    const c = new FileStreamSourceConnector();
    c.initialize(context);
    c.start({ file: '/configured.txt', topic: 't' });
    return { connector: c, logger };
  }

  it("turns Kafka's character position into this task's byte position, and says so", async () => {
    const file = await fileWith('héllo wörld\n日本\nrest\n');
    const { connector: c, logger } = connector();
    const chars = 'héllo wörld\n日本\n'.length;
    const bytes = Buffer.byteLength('héllo wörld\n日本\n');
    expect(await c.convertKafkaOffset({ filename: file }, { position: chars })).toEqual({ position: bytes });
    expect(logger.messages('info')).toEqual([
      expect.stringContaining('Starting file source connector'),
      `Imported offset for ${file} from Apache Kafka's offsets file: character position ${chars} is byte position ${bytes}`,
    ]);
  });

  it('reads a file that now holds fewer characters from the start, with a warning', async () => {
    const file = await fileWith('日本語\n');
    const { connector: c, logger } = connector();
    // 4 characters are 10 bytes: a byte count would have looked in range
    expect(await c.convertKafkaOffset({ filename: file }, { position: 6 })).toEqual({ position: 0 });
    expect(logger.messages('warn')).toEqual([
      `File ${file} holds 4 characters, fewer than the character position 6 imported from Apache Kafka's offsets file: it was truncated or replaced since, so it will be read from the start`,
    ]);
  });

  it('drops the offset of a missing file, with a warning', async () => {
    const file = path.join(dir, 'gone.txt');
    const { connector: c, logger } = connector();
    expect(await c.convertKafkaOffset({ filename: file }, { position: 6 })).toBeNull();
    expect(logger.messages('warn')).toEqual([
      `File ${file} named by an offset imported from Apache Kafka's offsets file does not exist: the offset is dropped, so the file will be read from the start when it appears`,
    ]);
  });

  it("keeps offsets that are not a file's position as they are (stdin's null position)", async () => {
    const { connector: c } = connector();
    expect(await c.convertKafkaOffset({ filename: null }, { position: null })).toEqual({ position: null });
    expect(await c.convertKafkaOffset({ filename: '/x' }, { position: 'abc' })).toEqual({ position: 'abc' });
  });

  it('fails, naming the file, when it cannot be read', async () => {
    const { connector: c } = connector();
    await expect(c.convertKafkaOffset({ filename: dir }, { position: 1 })).rejects.toThrow(
      `Could not read file ${dir} to convert its offset imported from Apache Kafka's offsets file: EISDIR`,
    );
  });
});

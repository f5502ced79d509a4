import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConnectError, RetriableError } from '../../../src/api';
import { FileOffsetBackingStore, OffsetFileSystem } from '../../../src/storage/file-offset-backing-store';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'offsets-'));
  file = path.join(dir, 'connect.offsets');
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function started(options: ConstructorParameters<typeof FileOffsetBackingStore>[1] = {}): Promise<FileOffsetBackingStore> {
  const store = new FileOffsetBackingStore(file, options);
  await store.start();
  return store;
}

describe('FileOffsetBackingStore', () => {
  it('starts empty when the file does not exist, and keeps offsets across instances', async () => {
    const first = await started();
    expect(first.get('src', { filename: '/a' })).toBeNull();
    await first.set([{ connector: 'src', partition: { filename: '/a' }, offset: { position: 1024 } }]);
    await first.stop();

    const second = await started();
    expect(second.get('src', { filename: '/a' })).toEqual({ position: 1024 });
    expect(second.get('other', { filename: '/a' })).toBeNull();
  });

  it("writes Kafka Connect's logical key and value, pretty-printed", async () => {
    const store = await started();
    await store.set([
      { connector: 'src', partition: { filename: '/a' }, offset: { position: 1 } },
      { connector: 'jdbc', partition: { table: 't', protocol: '1' }, offset: { id: 7, ts: null } },
    ]);
    expect(await fsp.readFile(file, 'utf8')).toBe(
      `${JSON.stringify(
        {
          version: 1,
          offsets: [
            { key: ['src', { filename: '/a' }], value: { position: 1 } },
            { key: ['jdbc', { table: 't', protocol: '1' }], value: { id: 7, ts: null } },
          ],
        },
        null,
        2,
      )}\n`,
    );
  });

  it('finds a partition whatever the order of its keys', async () => {
    const store = await started();
    await store.set([{ connector: 'jdbc', partition: { table: 't', protocol: '1' }, offset: { id: 1 } }]);
    expect(store.get('jdbc', { protocol: '1', table: 't' })).toEqual({ id: 1 });
    await store.set([{ connector: 'jdbc', partition: { protocol: '1', table: 't' }, offset: { id: 2 } }]);
    const reloaded = await started();
    expect(reloaded.get('jdbc', { table: 't', protocol: '1' })).toEqual({ id: 2 });
    expect(JSON.parse(await fsp.readFile(file, 'utf8')).offsets).toHaveLength(1);
  });

  it('deletes an offset set to null', async () => {
    const store = await started();
    await store.set([{ connector: 'src', partition: { p: 1 }, offset: { o: 1 } }]);
    await store.set([{ connector: 'src', partition: { p: 1 }, offset: null }]);
    expect(store.get('src', { p: 1 })).toBeNull();
    expect((await started()).get('src', { p: 1 })).toBeNull();
  });

  it('leaves a complete file and no temporary files after many writes', async () => {
    const store = await started();
    for (let i = 0; i < 50; i++) {
      await store.set([{ connector: 'src', partition: { p: i % 5 }, offset: { o: i } }]);
      expect(JSON.parse(await fsp.readFile(file, 'utf8')).offsets).toHaveLength(Math.min(i + 1, 5));
    }
    expect(await fsp.readdir(dir)).toEqual(['connect.offsets']);
  });

  it('writes concurrent set() calls one at a time, in order, ending with the last state', async () => {
    let open = 0;
    let maxOpen = 0;
    const tracking: OffsetFileSystem = {
      ...fsp,
      open: (async (p: string, flags: string) => {
        const handle = await fsp.open(p, flags);
        if (flags !== 'w') return handle;
        maxOpen = Math.max(maxOpen, ++open);
        const close = handle.close.bind(handle);
        return Object.assign(handle, { close: async () => (open--, close()) });
      }) as OffsetFileSystem['open'],
    };
    const store = await started({ fs: tracking });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set([{ connector: 'src', partition: { p: 1 }, offset: { o: i } }])));
    expect(maxOpen).toBe(1);
    expect(store.get('src', { p: 1 })).toEqual({ o: 19 });
    expect((await started()).get('src', { p: 1 })).toEqual({ o: 19 });
  });

  it('rejects a failed write as retriable, naming the file, and keeps the previous state and file', async () => {
    let failRename = false;
    const flaky: OffsetFileSystem = {
      ...fsp,
      rename: async (from, to) => {
        if (failRename) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
        return fsp.rename(from, to);
      },
    };
    const store = await started({ fs: flaky });
    await store.set([{ connector: 'src', partition: { p: 1 }, offset: { o: 1 } }]);
    const before = await fsp.readFile(file);

    failRename = true;
    const failed = store.set([
      { connector: 'src', partition: { p: 1 }, offset: { o: 2 } },
      { connector: 'src', partition: { p: 2 }, offset: { o: 9 } },
    ]);
    await expect(failed).rejects.toThrow(RetriableError);
    await expect(failed).rejects.toThrow(`Failed to write offsets file ${file}: EIO`);
    expect(store.get('src', { p: 1 })).toEqual({ o: 1 });
    expect(store.get('src', { p: 2 })).toBeNull();
    expect(await fsp.readFile(file)).toEqual(before);
    expect(await fsp.readdir(dir)).toEqual(['connect.offsets']);

    failRename = false;
    await store.set([{ connector: 'src', partition: { p: 3 }, offset: { o: 3 } }]);
    const reloaded = await started();
    expect(reloaded.get('src', { p: 1 })).toEqual({ o: 1 });
    expect(reloaded.get('src', { p: 3 })).toEqual({ o: 3 });
  });

  it('waits for pending writes on stop() and refuses writes after it', async () => {
    const store = await started();
    const pending = store.set([{ connector: 'src', partition: { p: 1 }, offset: { o: 1 } }]);
    await store.stop();
    await pending;
    expect(fs.existsSync(file)).toBe(true);
    await expect(store.set([])).rejects.toThrow(ConnectError);
  });

  describe('refuses to start, naming the file, and leaves it untouched when', () => {
    it.each([
      ['it is not JSON', 'garbage{', 'is corrupt: it is not valid JSON'],
      ['it is empty', '', 'is corrupt: it is empty'],
      ['it is blank', '  \n', 'is corrupt: it is empty'],
      ['it has the wrong shape', '{"offsets": {}}', 'is corrupt: expected an object with "version" and an "offsets" array'],
      ['it is a bare array', '[]', 'is corrupt: expected an object'],
      ['its version is unknown', '{"version": 2, "offsets": []}', 'is corrupt: unsupported version 2'],
      ['an entry is malformed', '{"version": 1, "offsets": [{"key": ["c"], "value": {}}]}', 'is corrupt: offsets[0] is not'],
      ['an offset is not a map', '{"version": 1, "offsets": [{"key": ["c", {}], "value": 3}]}', 'is corrupt: offsets[0] is not'],
    ])('%s', async (_, content, message) => {
      await fsp.writeFile(file, content);
      const attempt = new FileOffsetBackingStore(file).start();
      await expect(attempt).rejects.toThrow(ConnectError);
      await expect(attempt).rejects.toThrow(`Offsets file ${file} ${message}`);
      await expect(attempt).rejects.toThrow('move it aside to start without stored offsets');
      expect(await fsp.readFile(file, 'utf8')).toBe(content);
    });

    it('it is a directory', async () => {
      await fsp.mkdir(file);
      await expect(new FileOffsetBackingStore(file).start()).rejects.toThrow(`Offsets file ${file} is a directory`);
      expect((await fsp.stat(file)).isDirectory()).toBe(true);
    });

    it('it cannot be read', async () => {
      await fsp.writeFile(file, '{"version":1,"offsets":[]}');
      const denied: OffsetFileSystem = {
        ...fsp,
        readFile: (async () => {
          throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
        }) as OffsetFileSystem['readFile'],
      };
      await expect(new FileOffsetBackingStore(file, { fs: denied }).start()).rejects.toThrow(`Cannot read offsets file ${file}: EACCES`);
    });

    it('its directory does not exist', async () => {
      const missing = path.join(dir, 'nope', 'connect.offsets');
      await expect(new FileOffsetBackingStore(missing).start()).rejects.toThrow(
        `Cannot use offsets file ${missing}: its directory ${path.join(dir, 'nope')} is not accessible`,
      );
    });
  });
});

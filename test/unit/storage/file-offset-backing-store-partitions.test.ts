import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileOffsetBackingStore } from '../../../src/storage/file-offset-backing-store';

describe('FileOffsetBackingStore: partitions by connector (KIP-875)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-partitions-'));
    file = path.join(dir, 'connect.offsets');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists each connector and its partitions in the order first stored; a deleted offset drops its partition', async () => {
    const store = new FileOffsetBackingStore(file);
    await store.start();
    await store.set([
      { connector: 'a', partition: { filename: '/1' }, offset: { position: 1 } },
      { connector: 'b', partition: { table: 't' }, offset: { incrementing: 2 } },
      { connector: 'a', partition: { filename: '/2' }, offset: { position: 3 } },
    ]);
    await store.set([
      { connector: 'a', partition: { filename: '/1' }, offset: { position: 9 } },
      { connector: 'b', partition: { table: 't' }, offset: null },
    ]);
    expect(store.connectorNames()).toEqual(['a']);
    expect(store.connectorPartitions('a')).toEqual([{ filename: '/1' }, { filename: '/2' }]);
    expect(store.connectorPartitions('b')).toEqual([]);
    const reopened = new FileOffsetBackingStore(file);
    await reopened.start();
    expect(reopened.connectorPartitions('a')).toEqual([{ filename: '/1' }, { filename: '/2' }]);
  });

  it("keeps an entry written as Kafka's offset marked until the connector's conversion replaces it, across restarts", async () => {
    const store = new FileOffsetBackingStore(file);
    await store.start();
    await store.set([{ connector: 'a', partition: { filename: '/1' }, offset: { position: 7 }, importedFromKafka: true }]);
    const reopened = new FileOffsetBackingStore(file);
    await reopened.start();
    expect(reopened.importedFromKafka('a')).toEqual([{ partition: { filename: '/1' }, offset: { position: 7 } }]);
    await reopened.set([{ connector: 'a', partition: { filename: '/1' }, offset: { position: 12 } }]);
    expect(reopened.importedFromKafka('a')).toEqual([]);
    expect(reopened.get('a', { filename: '/1' })).toEqual({ position: 12 });
  });
});

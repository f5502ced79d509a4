import { ConnectError, RetriableError } from '../../../src/api';
import { OffsetStorageWriter, partitionKey, StoreOffsetReader } from '../../../src/runtime/offset-storage-writer';
import { deferred, MemoryOffsetStore } from './fakes';

const A = { filename: 'a.txt' };
const B = { filename: 'b.txt' };

function setup(): { store: MemoryOffsetStore; writer: OffsetStorageWriter } {
  const store = new MemoryOffsetStore();
  return { store, writer: new OffsetStorageWriter(store, 'src') };
}

describe('OffsetStorageWriter', () => {
  it('writes pending offsets on flush, under the connector name, and then has none pending', async () => {
    const { store, writer } = setup();
    expect(writer.hasPending()).toBe(false);
    expect(await writer.flush(1000)).toBe(0);
    expect(store.setCalls).toHaveLength(0);

    writer.offset(A, { position: 1 });
    writer.offset(A, { position: 2 });
    writer.offset(B, { position: 9 });
    expect(writer.hasPending()).toBe(true);
    expect(await writer.flush(1000)).toBe(2);

    expect(store.setCalls).toEqual([
      [
        { connector: 'src', partition: A, offset: { position: 2 } },
        { connector: 'src', partition: B, offset: { position: 9 } },
      ],
    ]);
    expect(writer.hasPending()).toBe(false);
    expect(store.get('src', A)).toEqual({ position: 2 });
  });

  it('treats partition maps with the same keys in another order as one partition', async () => {
    const { store, writer } = setup();
    expect(partitionKey({ table: 't', db: 'x' })).toBe(partitionKey({ db: 'x', table: 't' }));
    expect(partitionKey({ table: 't', db: 'x' })).not.toBe(partitionKey({ table: 't', db: 'y' }));
    // Frozen maps are keyed once and found by identity; an unfrozen map is keyed as it is now.
    const frozen = Object.freeze({ table: 't', db: 'x' });
    expect(partitionKey(frozen)).toBe(partitionKey({ db: 'x', table: 't' }));
    expect(partitionKey(frozen)).toBe(partitionKey(frozen));
    const mutable: Record<string, string> = { table: 't' };
    const before = partitionKey(mutable);
    mutable.table = 'u';
    expect(partitionKey(mutable)).not.toBe(before);

    writer.offset({ table: 't', db: 'x' }, { id: 1 });
    writer.offset({ db: 'x', table: 't' }, { id: 2 });
    expect(await writer.flush(1000)).toBe(1);
    expect(store.setCalls[0]).toEqual([{ connector: 'src', partition: { db: 'x', table: 't' }, offset: { id: 2 } }]);
  });

  it('keeps offsets pending when the store fails, and writes them at the next flush', async () => {
    const { store, writer } = setup();
    const failure = new RetriableError('disk full');
    store.failures.push(failure);
    writer.offset(A, { position: 1 });

    await expect(writer.flush(1000)).rejects.toBe(failure);
    expect(writer.hasPending()).toBe(true);
    expect(store.get('src', A)).toBeNull();

    expect(await writer.flush(1000)).toBe(1);
    expect(store.get('src', A)).toEqual({ position: 1 });
    expect(writer.hasPending()).toBe(false);
  });

  it('after a failed flush keeps an offset recorded during it over the older one', async () => {
    const { store, writer } = setup();
    const gate = deferred();
    store.gate = gate.promise;
    store.failures.push(new RetriableError('disk full'));
    writer.offset(A, { position: 1 });
    writer.offset(B, { position: 1 });
    const flushing = writer.flush(1000);
    writer.offset(A, { position: 2 });
    gate.resolve();
    await expect(flushing).rejects.toThrow('disk full');

    store.gate = null;
    expect(await writer.flush(1000)).toBe(2);
    expect(store.get('src', A)).toEqual({ position: 2 });
    expect(store.get('src', B)).toEqual({ position: 1 });
  });

  it('leaves offsets recorded while a flush is under way pending for the next flush', async () => {
    const { store, writer } = setup();
    const gate = deferred();
    store.gate = gate.promise;
    writer.offset(A, { position: 1 });
    const flushing = writer.flush(1000);
    writer.offset(A, { position: 2 });
    writer.offset(B, { position: 5 });
    gate.resolve();

    expect(await flushing).toBe(1);
    expect(store.get('src', A)).toEqual({ position: 1 });
    expect(writer.hasPending()).toBe(true);

    store.gate = null;
    expect(await writer.flush(1000)).toBe(2);
    expect(store.get('src', A)).toEqual({ position: 2 });
    expect(store.get('src', B)).toEqual({ position: 5 });
  });

  it('rejects with a retriable error naming offset.flush.timeout.ms when the store is too slow, keeping offsets pending', async () => {
    const { store, writer } = setup();
    store.gate = new Promise(() => undefined); // never resolves
    writer.offset(A, { position: 1 });

    const err = await writer.flush(10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).retriable).toBe(true);
    expect((err as Error).message).toBe('Offset flush timed out after 10 ms (offset.flush.timeout.ms)');
    expect(writer.hasPending()).toBe(true);

    store.gate = null;
    expect(await writer.flush(1000)).toBe(1);
    expect(store.get('src', A)).toEqual({ position: 1 });
  });
});

describe('StoreOffsetReader', () => {
  it("reads this connector's offsets only", async () => {
    const store = new MemoryOffsetStore();
    await store.set([
      { connector: 'src', partition: A, offset: { position: 3 } },
      { connector: 'other', partition: B, offset: { position: 4 } },
    ]);
    const reader = new StoreOffsetReader(store, 'src');
    expect(reader.offset(A)).toEqual({ position: 3 });
    expect(reader.offset(B)).toBeNull();
    const all = reader.offsets([A, B]);
    expect(all.get(A)).toEqual({ position: 3 });
    expect(all.get(B)).toBeNull();
  });
});

import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Logger,
  OffsetMap,
  OffsetStorageReader,
  SinkRecord,
  SinkTaskContext,
  SourceRecord,
  SourceTaskContext,
} from '../../../../src/api';

import { RecordingLogger } from '../../../helpers/recording-logger';
export { RecordingLogger };

/** Offsets kept in memory, keyed by the partition's JSON form as a real store would. */
export class MemoryOffsetReader implements OffsetStorageReader {
  private readonly stored = new Map<string, OffsetMap>();
  set(partition: OffsetMap, offset: OffsetMap): void {
    this.stored.set(JSON.stringify(partition), offset);
  }
  offset(partition: OffsetMap): OffsetMap | null {
    return this.stored.get(JSON.stringify(partition)) ?? null;
  }
  offsets(partitions: readonly OffsetMap[]): Map<OffsetMap, OffsetMap | null> {
    return new Map(partitions.map((p) => [p, this.offset(p)]));
  }
}

export function sourceContext(offsets = new MemoryOffsetReader(), logger = new RecordingLogger()): SourceTaskContext & {
  logger: RecordingLogger;
} {
  return { connectorName: 'test-source', taskId: 0, logger, offsetStorageReader: offsets };
}

export function sinkContext(logger = new RecordingLogger()): SinkTaskContext {
  return { connectorName: 'test-sink', taskId: 0, logger, assignment: () => [], requestCommit: () => {} };
}

export function sinkRecord(value: unknown, offset = 0n): SinkRecord {
  return {
    topic: 'in',
    kafkaPartition: 0,
    kafkaOffset: offset,
    timestampType: 'CreateTime',
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: null,
    headers: [],
  };
}

/** A fresh temporary directory per test, removed afterwards. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-connector-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

export function values(records: readonly SourceRecord[] | null): unknown[] {
  return (records ?? []).map((r) => r.value);
}

export function positions(records: readonly SourceRecord[] | null): unknown[] {
  return (records ?? []).map((r) => r.sourceOffset?.position);
}

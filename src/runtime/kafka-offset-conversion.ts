import { ConnectError, Logger, SourceConnector } from '../api';
import { OffsetBackingStore, OffsetEntry } from '../storage/offset-backing-store';

/**
 * Runs the connector's convertKafkaOffset hook over the offsets the store imported from Apache
 * Kafka's offsets file for it, and stores the results (which clears their import mark). Without the
 * hook the imported offsets are left as Kafka stored them.
 */
export async function convertImportedKafkaOffsets(connector: SourceConnector, name: string, store: OffsetBackingStore, logger: Logger): Promise<void> {
  if (connector.convertKafkaOffset === undefined) return;
  const imported = store.importedFromKafka?.(name) ?? [];
  if (imported.length === 0) return;
  const entries: OffsetEntry[] = [];
  for (const { partition, offset } of imported) {
    try {
      entries.push({ connector: name, partition, offset: await connector.convertKafkaOffset(partition, offset) });
    } catch (err) {
      throw new ConnectError(
        `Connector ${name} could not convert offset ${JSON.stringify(offset)} of partition ${JSON.stringify(partition)} ` +
          `imported from Apache Kafka's offsets file: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, retriable: err instanceof ConnectError && err.retriable },
      );
    }
  }
  await store.set(entries);
  logger.info(`Stored ${entries.length} converted offset${entries.length === 1 ? '' : 's'} imported from Apache Kafka's offsets file for connector ${name}`);
}

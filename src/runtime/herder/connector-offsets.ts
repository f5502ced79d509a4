// Contract stub: the offsets helper replaces the bodies (keep the signatures).
import { ConnectError } from '../../api';
import { OffsetBackingStore } from '../../storage/offset-backing-store';
import { ValidatedConnector } from '../connector-validation';
import { KafkaClientFactory } from '../kafka/kafka-client-factory';
import { RuntimeLogger } from '../runtime-logger';
import { WorkerConfig } from '../worker-config';
import { ConnectorOffsets } from './herder';

export interface ConnectorOffsetsDeps {
  offsetStore: OffsetBackingStore;
  clients: KafkaClientFactory;
  config: WorkerConfig;
  logger: RuntimeLogger;
}

/**
 * KIP-875 offsets of one connector: a source's from the offset store, a sink's from its consumer
 * group `connect-<name>`. The herder checks the connector is STOPPED before alter and reset.
 */
export class ConnectorOffsetsManager {
  constructor(private readonly deps: ConnectorOffsetsDeps) {}

  async get(spec: ValidatedConnector): Promise<ConnectorOffsets> {
    void spec;
    void this.deps;
    throw new ConnectError('ConnectorOffsetsManager.get: not implemented yet');
  }

  /** Resolves Kafka's success message. @throws BadRequestError for a malformed body */
  async alter(spec: ValidatedConnector, offsets: ConnectorOffsets): Promise<string> {
    void spec;
    void offsets;
    throw new ConnectError('ConnectorOffsetsManager.alter: not implemented yet');
  }

  /** Resolves Kafka's success message. */
  async reset(spec: ValidatedConnector): Promise<string> {
    void spec;
    throw new ConnectError('ConnectorOffsetsManager.reset: not implemented yet');
  }
}

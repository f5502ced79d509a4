import { adminConfigDef, commonClientConfigDef, consumerConfigDef, producerConfigDef } from './kafka/client-config';
import { workerConfigDef } from './worker-config';

const exact = new Set([
  ...workerConfigDef.names(),
  ...commonClientConfigDef.names(),
  ...producerConfigDef.names(),
  ...consumerConfigDef.names(),
  ...adminConfigDef.names(),
]);
const prefixes = ['key.converter.', 'value.converter.', 'header.converter.', 'producer.', 'consumer.', 'admin.'];

/** Whether a worker file key means something here (unknown ones are warned about, as Kafka does). */
export function knownWorkerKey(key: string): boolean {
  return exact.has(key) || prefixes.some((p) => key.startsWith(p));
}

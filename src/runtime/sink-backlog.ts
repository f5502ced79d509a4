import { ConnectError } from '../api';
import { connectorClientOverrides } from './client-overrides';
import { ValidatedConnector } from './connector-validation';
import { RuntimeLogger } from './runtime-logger';
import type * as SinkOnceTargetModule from './sink-once-target';
import type { SinkOnceTarget } from './sink-once-target';
import type { WorkerDeps } from './worker-deps';

/** --once: the end offsets of the sink connector's topics now, and where its group reads from. */
export async function readSinkBacklog(deps: Pick<WorkerDeps, 'clients' | 'config'>, spec: ValidatedConnector, logger: RuntimeLogger): Promise<SinkOnceTarget> {
  const { clients, config } = deps;
  if (!clients.sinkBacklog) throw new ConnectError('This Kafka client factory cannot read end offsets, which --once needs for sink connectors');
  const subscription = spec.subscription ?? { topics: [], regex: null };
  const backlog = await clients.sinkBacklog(`connect-${spec.name}`, config.getString('client.id') || `connector-admin-${spec.name}`, subscription, connectorClientOverrides('sink', spec.config).consumer);
  const pending = backlog.filter((p) => p.start < p.end);
  logger.info(
    `--once: connector ${spec.name} consumes up to the end offsets its topics have now: ` +
      (pending.length === 0 ? 'nothing to consume' : pending.map((p) => `${p.topic}-${p.partition} ${p.start}..${p.end}`).join(', ')),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return new (require('./sink-once-target') as typeof SinkOnceTargetModule).SinkOnceTarget(backlog);
}

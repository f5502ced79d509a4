import * as fs from 'fs';
import * as path from 'path';
import { SimpleHeaderConverter, StringConverter } from '../../../../src/converters';
import { metricsReference } from '../../../../src/runtime/metrics/metric-definitions';
import { RetiredTaskCounters } from '../../../../src/runtime/metrics/retired-task-counters';
import { createWorkerMetrics } from '../../../../src/runtime/metrics/worker-metrics';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../../src/runtime/offset-storage-writer';
import { WorkerSinkTask } from '../../../../src/runtime/worker-sink-task';
import { WorkerSourceTask } from '../../../../src/runtime/worker-source-task';
import { FakeConsumer, FakeProducer, MemoryOffsetStore, RecordingLogger, RecordingSinkTask, ScriptedSourceTask, testOperator } from '../fakes';
import { parseExposition } from './parse-exposition';

const ROOT = path.join(__dirname, '../../../..');

/** The exposition of a worker with one (unstarted) source task and one sink task. */
async function exposedNames(): Promise<Set<string>> {
  const string = (isKey: boolean): StringConverter => {
    const c = new StringConverter();
    c.configure({}, isKey);
    return c;
  };
  const store = new MemoryOffsetStore();
  const common = { props: {}, keyConverter: string(true), valueConverter: string(false), headerConverter: new SimpleHeaderConverter(), logger: new RecordingLogger() };
  const source = new WorkerSourceTask({
    ...common,
    id: { connector: 'src', task: 0 },
    task: new ScriptedSourceTask(),
    producer: new FakeProducer(),
    offsetReader: new StoreOffsetReader(store, 'src'),
    offsetWriter: new OffsetStorageWriter(store, 'src'),
    offsetFlushIntervalMs: 1000,
    offsetFlushTimeoutMs: 1000,
    operator: testOperator(),
  });
  const sink = new WorkerSinkTask({
    ...common,
    id: { connector: 'snk', task: 0 },
    task: new RecordingSinkTask([]),
    subscription: { topics: ['t'], regex: null },
    consumer: new FakeConsumer([]),
    offsetFlushIntervalMs: 1000,
    operator: testOperator(),
  });
  const metrics = createWorkerMetrics({
    metricsView: () => [
      { name: 'src', kind: 'source', className: 'S', state: 'RUNNING', tasks: [source] },
      { name: 'snk', kind: 'sink', className: 'K', state: 'RUNNING', tasks: [sink] },
    ],
    startups: { connectorAttempts: 0, connectorFailures: 0, taskAttempts: 0, taskFailures: 0 },
    retiredCounters: new RetiredTaskCounters(),
  });
  return new Set(parseExposition(await metrics.text()).keys());
}

describe('metrics documentation', () => {
  it('README lists exactly the metrics the definitions expose (regenerate with node dist/src/runtime/metrics/metrics-reference.js)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const match = /<!-- metrics-reference:begin[^>]*-->\n([\s\S]*?)\n<!-- metrics-reference:end -->/.exec(readme);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(metricsReference());
  });

  it('every metric in the README table is in the exposition, and the other way round', async () => {
    const names = await exposedNames();
    const documented = [...metricsReference().matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(names);
  });

  it('examples/grafana-dashboard.json queries only exposed metrics, through a datasource variable', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/grafana-dashboard.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; type: string }> };
      panels: Array<{ type: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
    };
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    const names = await exposedNames();
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      expect(panel.datasource?.uid).toBe('${datasource}');
      for (const target of panel.targets ?? []) for (const m of target.expr.matchAll(/kafka_connect_[a-z_]+/g)) queried.add(m[0]);
    }
    expect(queried.size).toBeGreaterThan(15);
    expect([...queried].filter((n) => !names.has(n))).toEqual([]);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTopic } from '../harness/kcat';
import { useBroker, useTempDir } from './helpers/suite';
import { BIN, moduleListPreload, ROOT, startWorker, stringSourceFiles } from './helpers/worker-process';

/**
 * Start-up loads only what the command line and the configs use (issue 12: first record in Kafka
 * within 300 ms). Each run gets a preload script that writes, at exit, every module file Node
 * loaded; the tests assert on that list, never on time. The CLI runs the unbundled files here
 * (CONNECT_STANDALONE_NO_BUNDLE=1), one module per file, so that the list shows what was loaded;
 * the bundle keeps the same modules lazy (code-cache.test.ts checks that the CLI runs the bundle).
 */
describe('start-up loads only what the configs use', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-startup-modules-');

  const preload = (out: string): string => moduleListPreload(tmp, out);

  async function loadedModules(name: string, args: string[]): Promise<{ code: number | null; modules: string[]; stderr: string }> {
    const out = tmp.file(`${name}.modules`);
    const w = startWorker(args, { env: { NODE_OPTIONS: `--require ${preload(out)}`, CONNECT_STANDALONE_NO_BUNDLE: '1' } });
    const timer = setTimeout(() => w.proc.kill('SIGKILL'), 60_000);
    const { code } = await w.exited;
    clearTimeout(timer);
    return { code, modules: fs.readFileSync(out, 'utf8').split('\n'), stderr: w.stderr() };
  }

  const matching = (modules: string[], re: RegExp): string[] => modules.filter((m) => re.test(m));
  const pkg = (name: string) => new RegExp(`(^|/)node_modules/${name}/`);

  /** The CLI with exactly these arguments: its stdout and the modules it loaded. */
  function runAlone(name: string, args: string[]): { code: number | null; stdout: string; modules: string[] } {
    const out = tmp.file(`${name}.modules`);
    const run = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: `--require ${preload(out)}`, CONNECT_STANDALONE_NO_BUNDLE: '1' }, encoding: 'utf8', timeout: 60_000 });
    return { code: run.status, stdout: run.stdout, modules: fs.readFileSync(out, 'utf8').split('\n') };
  }

  it('--version and --help load neither the runtime, kafkajs nor the logger; --version alone not even yargs', () => {
    for (const args of [['--version'], ['--help'], ['--log-level', 'info', '--version']]) {
      const { code, modules } = runAlone(args.join(''), args);
      expect(code).toBe(0);
      expect(matching(modules, /^dist\/src\/cli\/main\.js$/)).toHaveLength(1); // the list is real
      expect(matching(modules, pkg('kafkajs'))).toEqual([]);
      expect(matching(modules, pkg('pino'))).toEqual([]);
      expect(matching(modules, /^dist\/(src\/(runtime\/worker|converters|transforms)|connectors)\//)).toEqual([]);
    }
    const alone = runAlone('version-alone', ['--version']);
    expect(matching(alone.modules, pkg('yargs'))).toEqual([]);
    // The same text as yargs prints when --version comes with other options.
    expect(alone.stdout).toBe(runAlone('version-yargs', ['--log-level', 'info', '--version']).stdout);
    expect(alone.stdout).toMatch(/^\d+\.\d+\.\d+\nkafkajs /);
  });

  it('a FileStreamSource --once run with StringConverter loads no JDBC, Avro, JSON, transform, sink or display code, nor yargs', async () => {
    const topic = 'startup-modules';
    await broker.createTopic(topic, 1);
    const input = tmp.file('input.txt');
    fs.writeFileSync(input, 'one line\n');
    const { worker, source } = stringSourceFiles(tmp, broker.bootstrapServers, { name: 'startup-source', input, topic });

    const { code, modules, stderr } = await loadedModules('once', ['--once', worker, source]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect((await readTopic(broker.bootstrapServers, topic, { count: 1 })).map((m) => m.value?.toString('utf8'))).toEqual(['one line']);

    // What the run needs is there (so the list below is not empty by accident) ...
    for (const needed of [/connectors\/file\/file-stream-source-task\.js$/, /src\/converters\/string-converter\.js$/, pkg('kafkajs'), pkg('pino')]) {
      expect(matching(modules, needed).length).toBeGreaterThan(0);
    }
    // ... and nothing the configs do not use.
    const unused = [
      ...['pg', 'mysql2', 'better-sqlite3', 'avsc', 'log-update', 'pino-pretty', 'yargs', 'protobufjs', 'ajv', 'fastify', '@fastify/cors', '@fastify/basic-auth', 'jks-js', 'node-forge'].map(pkg),
      // kafkajs's start-up hunks (patches/kafkajs+2.2.4.patch): no consumer, SASL mechanism or unused API definitions
      /(^|\/)node_modules\/kafkajs\/src\/(consumer\/(?!assigners\/|assignerProtocol\.js$)|broker\/saslAuthenticator\/(?!index\.js$)|protocol\/sasl\/|protocol\/requests\/(createAcls|joinGroup|fetch|offsetCommit|alterConfigs)\/)/,
      /^dist\/src\/rest\/(rest-server|basic-auth-hook|connectors-resource)\.js$/, // a --once run without listeners serves no REST API
      /^dist\/connectors\/jdbc\/(?!index\.js$)/,
      /^dist\/connectors\/file\/file-stream-sink/,
      /^dist\/src\/converters\/(json-|avro\/|protobuf\/|schema-registry\/|number-|byte-array)/,
      /^dist\/src\/transforms\/(?!index\.js$|builtin-[a-z-]+-transforms\.js$|util\/record-part\.js$)/,
      /^dist\/src\/runtime\/(worker-sink-task|sink-|errors\/dead-letter-queue)/,
      /^dist\/src\/cli\/progress-display\.js$/,
      // REST-only work (validation, KIP-875 offsets, metrics definitions, basic auth, https), sinks' group
      // offsets and consumer, TLS stores of a plaintext worker, and Kafka's offsets file format
      /^dist\/src\/runtime\/herder\/(config-infos|connector-offsets)/,
      /^dist\/src\/runtime\/kafka\/(group-offsets|kafkajs-record-consumer)\.js$/,
      /^dist\/src\/runtime\/tls\//,
      /^dist\/src\/runtime\/metrics\/metric-definitions\.js$/,
      /^dist\/src\/rest\/(basic-auth|listener-tls)\.js$/,
      /^dist\/src\/storage\/(kafka-offsets-import|java-serialized-offsets)\.js$/,
    ];
    expect(unused.flatMap((re) => matching(modules, re))).toEqual([]);
  });

  it('the REST listeners are bound at start with Node\'s http alone; fastify is loaded by the first request (or later), which is answered', () => {
    const script = `
      const { RestServer } = require(${JSON.stringify(path.join(ROOT, 'dist/src/rest/rest-server.js'))});
      const fastifyLoaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/fastify/'));
      const logger = { debug() {}, info() {}, warn() {}, error() {}, isLevelEnabled: () => false, child() { return logger; } };
      (async () => {
        const choice = { source: 'listeners', listeners: [{ protocol: 'http', host: '127.0.0.1', port: 0 }] };
        const server = await RestServer.start(choice, { herder: {}, loggers: {}, logger, serverInfo: () => ({ version: '1', commit: 'c', kafka_cluster_id: null }) });
        const beforeRequest = fastifyLoaded();
        const res = await fetch(server.urls()[0] + '/no/such/path');
        const body = await res.json();
        console.log(JSON.stringify({ beforeRequest, afterRequest: fastifyLoaded(), status: res.status, body }));
        await server.stop();
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ beforeRequest: false, afterRequest: true, status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } });
  });
});

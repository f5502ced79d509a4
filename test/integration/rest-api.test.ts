import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import { highWatermark, readTopic } from '../harness/kcat';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, freePort, startWorker, testWorkerProps, untilFileHolds, WorkerProcess, writeProperties } from './helpers/worker-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Array<{ name: string; metrics: Array<{ value: string; labels?: Record<string, string> }> }>;

/** A port nothing listens on now (the system's choice, released at once). */

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as any), headers: res.headers };
}

/** Every endpoint through the real CLI (npm run build first), with Kafka's status codes and shapes. */
describe('REST API through the CLI', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-rest-api-');
  let worker: WorkerProcess | null = null;
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });

  async function startWith(extraWorker: Record<string, string>, connectorFiles: string[], args: string[] = [], env: NodeJS.ProcessEnv = {}) {
    const port = await freePort();
    const workerFile = writeProperties(tmp.file(`worker-${port}.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`offsets-${port}`), { listeners: `http://127.0.0.1:${port}`, ...extraWorker }));
    worker = startWorker([...args, workerFile, ...connectorFiles], { env });
    await worker.waitForLog(/REST API listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
    return { base: `http://127.0.0.1:${port}`, port };
  }

  it('serves connectors: status shapes, pause/resume changing what flows, stop + PATCH offsets + resume re-reading the file', async () => {
    const topic = 'rest-source';
    await broker.createTopic(topic, 1);
    const input = tmp.file('input.txt');
    fs.writeFileSync(input, 'a\nb\n');
    const source = writeProperties(tmp.file('source.properties'), { name: 'rest-source', 'connector.class': 'FileStreamSource', file: input, topic, 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' });
    const { base, port } = await startWith({}, [source]);

    // GET / and /health
    const root = await call(base, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toEqual({ version: expect.any(String), commit: expect.any(String), kafka_cluster_id: expect.anything() });
    await eventually(async () => (await call(base, 'GET', '/health')).status === 200, 30_000, () => worker!.stderr().slice(-2000));
    expect((await call(base, 'GET', '/health')).body).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });

    // expand=status: every connector RUNNING (the acceptance check)
    await eventually(async () => (await call(base, 'GET', '/connectors?expand=status')).body?.['rest-source']?.status?.tasks?.[0]?.state === 'RUNNING', 30_000, () => worker!.stderr().slice(-2000));
    const expanded = (await call(base, 'GET', '/connectors?expand=status&expand=info')).body;
    expect(expanded['rest-source'].status).toEqual({
      name: 'rest-source',
      connector: { state: 'RUNNING', worker_id: `127.0.0.1:${port}` },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: `127.0.0.1:${port}` }],
      type: 'source',
    });
    expect(expanded['rest-source'].info).toMatchObject({ name: 'rest-source', type: 'source', tasks: [{ connector: 'rest-source', task: 0 }] });
    expect((await call(base, 'GET', '/connectors')).body).toEqual(['rest-source']);
    expect((await call(base, 'GET', '/connectors/rest-source/config')).body).toMatchObject({ name: 'rest-source', file: input, topic });
    expect((await call(base, 'GET', '/connectors/rest-source/tasks')).body).toEqual([{ id: { connector: 'rest-source', task: 0 }, config: expect.any(Object) }]);
    expect(await call(base, 'GET', '/connectors/rest-source/tasks/0/status')).toMatchObject({ status: 200, body: { id: 0, state: 'RUNNING' } });
    expect(await call(base, 'GET', '/connectors/nope/status')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    expect(await call(base, 'GET', '/nope')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call(base, 'DELETE', '/connectors')).toMatchObject({ status: 405, body: { error_code: 405 } });
    const lines = async (n: number) => (await readTopic(broker.bootstrapServers, topic, { count: n })).map((m) => m.value?.toString('utf8'));
    expect(await lines(2)).toEqual(['a', 'b']);
    expect((await call(base, 'GET', '/connectors/rest-source/topics')).body).toEqual({ 'rest-source': { connector: 'rest-source', topics: [topic] } });

    // pause: appended lines do not reach Kafka; resume: they do
    expect((await call(base, 'PUT', '/connectors/rest-source/pause')).status).toBe(202);
    await eventually(async () => (await call(base, 'GET', '/connectors/rest-source/status')).body.tasks[0]?.state === 'PAUSED', 15_000, () => worker!.stderr().slice(-2000));
    // A poll() already waiting for new lines when the pause came may still deliver its batch ('c'),
    // as in Kafka (there for up to a second); nothing polled after it flows.
    fs.appendFileSync(input, 'c\n');
    await new Promise((r) => setTimeout(r, 2000));
    fs.appendFileSync(input, 'd\n');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBeLessThanOrEqual(3);
    expect((await call(base, 'PUT', '/connectors/rest-source/resume')).status).toBe(202);
    expect(await lines(4)).toEqual(['a', 'b', 'c', 'd']);
    // GET /metrics (a real Prometheus text parser): source-record-write-total equals what the topic holds
    await eventually(
      async () => {
        const res = await fetch(`${base}/metrics`);
        const family = parsePrometheus(await res.text()).find((f) => f.name === 'kafka_connect_source_task_metrics_source_record_write_total');
        const value = family?.metrics.find((m) => m.labels?.connector === 'rest-source' && m.labels?.task === '0')?.value;
        return value !== undefined && Number(value) === (await highWatermark(broker.bootstrapServers, topic, 0));
      },
      15_000,
      () => 'source-record-write-total never matched the topic',
    );

    // KIP-875: stop, offsets back to 0, resume: the file is read again from its start
    expect((await call(base, 'PUT', '/connectors/rest-source/stop')).status).toBe(204);
    expect((await call(base, 'GET', '/connectors/rest-source/status')).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    const offsets = await call(base, 'GET', '/connectors/rest-source/offsets');
    expect(offsets).toMatchObject({ status: 200, body: { offsets: [{ partition: { filename: input }, offset: { position: expect.any(Number) } }] } });
    const patched = await call(base, 'PATCH', '/connectors/rest-source/offsets', { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] });
    expect(patched).toMatchObject({ status: 200, body: { message: expect.stringMatching(/offsets .* altered successfully/) } });
    expect((await call(base, 'PUT', '/connectors/rest-source/resume')).status).toBe(202);
    expect(await lines(8)).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
    // Offsets can be changed only while STOPPED
    expect(await call(base, 'PATCH', '/connectors/rest-source/offsets', { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] })).toMatchObject({ status: 400, body: { error_code: 400 } });

    // restart: the connector alone 204; with its tasks 202 and the status
    expect((await call(base, 'POST', '/connectors/rest-source/restart')).status).toBe(204);
    const restarted = await call(base, 'POST', '/connectors/rest-source/restart?includeTasks=true');
    expect(restarted).toMatchObject({ status: 202, body: { name: 'rest-source', connector: { state: expect.any(String) }, tasks: expect.any(Array) } });
    expect((await call(base, 'POST', '/connectors/rest-source/tasks/0/restart')).status).toBe(204);

    // DELETE: 204, then 404
    expect((await call(base, 'DELETE', '/connectors/rest-source')).status).toBe(204);
    expect((await call(base, 'GET', '/connectors/rest-source')).status).toBe(404);
    expect((await call(base, 'GET', '/connectors')).body).toEqual([]);
  });

  it('creates, reconfigures and validates connectors over REST; plugins and loggers', async () => {
    const topic = 'rest-created';
    await broker.createTopic(topic, 1);
    const input = tmp.file('created-input.txt');
    fs.writeFileSync(input, 'x\ny\n');
    const output = tmp.file('created-output.txt');
    const { base } = await startWith({ 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' }, []);

    const created = await call(base, 'POST', '/connectors', { name: 'created-source', config: { 'connector.class': 'FileStreamSource', file: input, topic } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/connectors/created-source');
    expect(created.body).toMatchObject({ name: 'created-source', config: { 'connector.class': 'FileStreamSource', file: input, topic, name: 'created-source' }, type: 'source' });
    expect(await call(base, 'POST', '/connectors', { name: 'created-source', config: { 'connector.class': 'FileStreamSource', file: input, topic } })).toMatchObject({ status: 409, body: { error_code: 409 } });

    const sink = await call(base, 'PUT', '/connectors/created-sink/config', { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'consumer.override.session.timeout.ms': '6000' });
    expect(sink.status).toBe(201);
    await untilFileHolds(output, 'x\ny\n', 60_000, () => worker!.stderr().slice(-3000));
    const updated = await call(base, 'PUT', '/connectors/created-sink/config', { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'tasks.max': '1' });
    expect(updated).toMatchObject({ status: 200, body: { name: 'created-sink', config: { 'tasks.max': '1' } } });

    // An invalid config: 400 with Kafka's message, nothing created
    const invalid = await call(base, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'FileStreamSource', topic, 'batch.size': 'many' } });
    expect(invalid).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringMatching(/Connector configuration is invalid and contains the following \d+ error\(s\)/) } });
    expect((await call(base, 'GET', '/connectors/bad')).status).toBe(404);
    // Malformed JSON
    const malformed = await fetch(`${base}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error_code: 400 });

    // plugins and validate
    const plugins = (await call(base, 'GET', '/connector-plugins')).body as Array<{ class: string; type: string }>;
    expect(plugins).toEqual(expect.arrayContaining([expect.objectContaining({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source' })]));
    expect(plugins.every((p) => p.type === 'source' || p.type === 'sink')).toBe(true);
    const all = (await call(base, 'GET', '/connector-plugins?connectorsOnly=false')).body as Array<{ type: string }>;
    expect(all.some((p) => p.type === 'converter')).toBe(true);
    expect((await call(base, 'GET', '/connector-plugins/FileStreamSource/config')).body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'file' })]));
    const validated = await call(base, 'PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', { 'connector.class': 'FileStreamSource', name: 'v', topic, 'batch.size': 'many' });
    expect(validated.status).toBe(200);
    expect(validated.body.error_count).toBeGreaterThan(0);
    expect(validated.body.configs.find((c: any) => c.value.name === 'batch.size').value.errors).not.toEqual([]);

    // admin/loggers
    expect((await call(base, 'GET', '/admin/loggers')).body).toMatchObject({ root: { level: 'INFO' } });
    expect(await call(base, 'PUT', '/admin/loggers/created-sink', { level: 'DEBUG' })).toMatchObject({ status: 200, body: ['created-sink'] });
    expect((await call(base, 'GET', '/admin/loggers/created-sink')).body).toMatchObject({ level: 'DEBUG', last_modified: expect.any(Number) });
    expect((await call(base, 'PUT', '/admin/loggers/root', { level: 'LOUD' })).status).toBe(404);
  });

  it('a port in use stops start-up naming listeners, before anything is written', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const offsets = tmp.file('in-use-offsets');
      const input = tmp.file('in-use.txt');
      fs.writeFileSync(input, 'q\n');
      const source = writeProperties(tmp.file('in-use-source.properties'), { name: 'in-use', 'connector.class': 'FileStreamSource', file: input, topic: 'in-use' });
      const workerFile = writeProperties(tmp.file('in-use-worker.properties'), testWorkerProps(broker.bootstrapServers, offsets, { listeners: `http://127.0.0.1:${port}` }));
      worker = startWorker([workerFile, source]);
      const { code } = await worker.exited;
      expect(code).not.toBe(0);
      expect(worker.stderr()).toContain(`Cannot open the REST API listener http://127.0.0.1:${port} (listeners): the address is already in use`);
      expect(fs.existsSync(offsets) ? JSON.parse(fs.readFileSync(offsets, 'utf8') || '{}') : {}).toEqual({});
    } finally {
      blocker.close();
    }
  });

  it('--no-rest and --once without listeners start no server; listeners= (empty) neither', async () => {
    const input = tmp.file('norest.txt');
    fs.writeFileSync(input, 'n\n');
    const source = writeProperties(tmp.file('norest-source.properties'), { name: 'norest', 'connector.class': 'FileStreamSource', file: input, topic: 'norest' });
    const port = await freePort();
    const workerFile = writeProperties(tmp.file('norest-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('norest-offsets'), { listeners: `http://127.0.0.1:${port}` }));
    worker = startWorker(['--no-rest', workerFile, source]);
    await worker.waitForLog(/WorkerSourceTask\{id=norest-0\}|Started|started/i, 60_000);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(worker.stderr()).not.toContain('REST API listening');
    await worker.stop();

    const onceWorker = writeProperties(tmp.file('once-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('once-offsets')));
    worker = startWorker(['--once', onceWorker, source]);
    expect((await worker.exited).code).toBe(0);
    expect(worker.stderr()).not.toContain('REST API listening');
  });

  it('basic authentication as BasicAuthSecurityRestExtension (JAAS file from KAFKA_OPTS): 401 without or with wrong credentials, 200 with right ones', async () => {
    const users = tmp.file('users.properties');
    fs.writeFileSync(users, 'admin: admin-secret\n');
    const jaas = tmp.file('jaas.conf');
    fs.writeFileSync(jaas, `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${users}";\n};\n`);
    const { base } = await startWith(
      { 'rest.extension.classes': 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension' },
      [],
      [],
      { KAFKA_OPTS: `-Djava.security.auth.login.config=${jaas}` },
    );
    const auth = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    const none = await call(base, 'GET', '/connectors');
    expect(none).toMatchObject({ status: 401, body: { error_code: 401, message: 'User cannot access the resource.' } });
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await call(base, 'GET', '/connectors', undefined, auth('admin', 'nope'))).status).toBe(401);
    expect(await call(base, 'GET', '/connectors', undefined, auth('admin', 'admin-secret'))).toMatchObject({ status: 200, body: [] });
  });

  it('an https:// listener with a PKCS12 store made by openssl serves the API over TLS', async () => {
    const key = tmp.file('https-key.pem');
    const cert = tmp.file('https-cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const p12 = tmp.file('https.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', 'pass:changeit'], { stdio: 'ignore' });
    const port = await freePort();
    const workerFile = writeProperties(
      tmp.file('https-worker.properties'),
      testWorkerProps(broker.bootstrapServers, tmp.file('https-offsets'), {
        listeners: `https://127.0.0.1:${port}`,
        'listeners.https.ssl.keystore.type': 'PKCS12',
        'listeners.https.ssl.keystore.location': p12,
        'listeners.https.ssl.keystore.password': 'changeit',
      }),
    );
    worker = startWorker([workerFile]);
    await worker.waitForLog(/REST API listening on https:\/\/127\.0\.0\.1:\d+/, 60_000);
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: '/connectors', ca: fs.readFileSync(cert), checkServerIdentity: () => undefined }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        })
        .on('error', reject);
    });
    expect(body).toBe('200 []');
  });

  it('JndiLoginModule is refused in a connector file, in the worker file and over REST', async () => {
    const jndi = 'com.sun.security.auth.module.JndiLoginModule required user.provider.url="ldap://127.0.0.1:1/x" group.provider.url="x";';
    const source = writeProperties(tmp.file('jndi-source.properties'), { name: 'jndi', 'connector.class': 'FileStreamSource', topic: 'jndi', 'producer.override.sasl.jaas.config': jndi });
    const plainWorker = writeProperties(tmp.file('jndi-plain-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('jndi-offsets-1'), { listeners: '' }));
    worker = startWorker([plainWorker, source]);
    expect((await worker.exited).code).not.toBe(0);
    expect(worker.stderr()).toMatch(/producer\.override\.sasl\.jaas\.config in .*jndi-source\.properties: com\.sun\.security\.auth\.module\.JndiLoginModule is not allowed/);

    const badWorker = writeProperties(tmp.file('jndi-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('jndi-offsets-2'), { listeners: '', 'consumer.sasl.jaas.config': jndi }));
    worker = startWorker([badWorker]);
    expect((await worker.exited).code).not.toBe(0);
    expect(worker.stderr()).toMatch(/consumer\.sasl\.jaas\.config in the worker config: com\.sun\.security\.auth\.module\.JndiLoginModule is not allowed/);

    const { base } = await startWith({}, []);
    const viaRest = await call(base, 'POST', '/connectors', { name: 'jndi', config: { 'connector.class': 'FileStreamSource', topic: 'jndi', 'producer.override.sasl.jaas.config': jndi } });
    expect(viaRest).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringMatching(/JndiLoginModule is not allowed/) } });
    expect((await call(base, 'GET', '/connectors')).body).toEqual([]);
  });
});

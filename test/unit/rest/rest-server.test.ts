import * as net from 'net';
import { silentLogger } from '../../../src/runtime/runtime-logger';
import { BadRequestError } from '../../../src/runtime/herder/herder-errors';
import { RestAppOptions } from '../../../src/rest/rest-app';
import { RestServer } from '../../../src/rest/rest-server';
import { startRestServer } from '../../../src/rest/start-rest-server';
import { FakeHerder, FakeLoggers } from './fake-herder';

/** Routes against a fake herder, through real HTTP on a loopback port chosen by the system. */
describe('REST API routes', () => {
  let herder: FakeHerder;
  let loggers: FakeLoggers;
  let server: RestServer;
  let base: string;
  let ready = true;

  async function start(extra: Partial<RestAppOptions> = {}): Promise<void> {
    server = await RestServer.start(
      { listeners: [{ protocol: 'http', host: '127.0.0.1', port: 0 }], source: 'listeners' },
      {
        herder,
        loggers,
        logger: silentLogger,
        serverInfo: () => ({ version: '3.9.0', commit: 'abc', kafka_cluster_id: 'cluster-1' }),
        ready: () => ready,
        metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', text: async () => 'connect_worker_metrics_connector_count 1\n' },
        ...extra,
      },
    );
    base = server.urls()[0];
  }

  beforeEach(async () => {
    herder = new FakeHerder();
    loggers = new FakeLoggers();
    ready = true;
    herder.configs.set('src', { name: 'src', 'connector.class': 'FileStreamSource', file: '/tmp/in.txt', topic: 't' });
    await start();
  });
  afterEach(async () => server.stop());

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + path, init);
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  it('GET / and /health as Kafka', async () => {
    expect(await call('GET', '/')).toMatchObject({ status: 200, body: { version: '3.9.0', commit: 'abc', kafka_cluster_id: 'cluster-1' } });
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } });
    ready = false;
    expect(await call('GET', '/health')).toMatchObject({ status: 503, body: { status: 'starting', message: 'Worker is still starting up.' } });
  });

  it('GET /metrics returns the endpoint text with its content type', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe('connect_worker_metrics_connector_count 1\n');
  });

  it('lists connectors, with expand=status and expand=info (repeatable)', async () => {
    expect(await call('GET', '/connectors')).toEqual(expect.objectContaining({ status: 200, body: ['src'] }));
    const status = await call('GET', '/connectors?expand=status');
    expect(status.body).toEqual({ src: { status: herder.connectorStatus('src') } });
    const both = await call('GET', '/connectors?expand=status&expand=info&expand=nonsense');
    expect(both.body).toEqual({ src: { status: herder.connectorStatus('src'), info: herder.connectorInfo('src') } });
  });

  it('POST /connectors: 201 with Location and the info; 409 when it exists; 400 from the herder; a name mismatch 400', async () => {
    const created = await call('POST', '/connectors', { name: 'sink', config: { 'connector.class': 'FileStreamSink', topics: 't', 'tasks.max': 2 }, initial_state: 'PAUSED' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/connectors/sink');
    expect(created.body).toEqual({ name: 'sink', config: { name: 'sink', 'connector.class': 'FileStreamSink', topics: 't', 'tasks.max': '2' }, tasks: [{ connector: 'sink', task: 0 }], type: 'source' });
    expect(herder.calls.at(-1)).toEqual(['putConnectorConfig', 'sink', expect.any(Object), { allowReplace: false, initialState: 'PAUSED' }]);
    expect(await call('POST', '/connectors', { name: 'sink', config: { 'connector.class': 'FileStreamSink' } })).toMatchObject({ status: 409, body: { error_code: 409, message: 'Connector sink already exists' } });
    expect(await call('POST', '/connectors', { name: 'x', config: {} })).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringMatching(/^Connector configuration is invalid/) } });
    expect(await call('POST', '/connectors', { name: 'x', config: { name: 'y' } })).toMatchObject({
      status: 400,
      body: { error_code: 400, message: "Connector name configuration (y) doesn't match connector name in the URL (x)" },
    });
    expect(await call('POST', '/connectors', { name: 'x' })).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await call('POST', '/connectors', { name: 'x', config: {}, initial_state: 'SLEEPING' })).toMatchObject({ status: 400, body: { error_code: 400 } });
  });

  it('malformed JSON is 400 in the error body; unknown paths 404; known paths with another method 405', async () => {
    const bad = await call('POST', '/connectors', '{"name": ');
    expect(bad).toMatchObject({ status: 400, body: { error_code: 400, message: expect.any(String) } });
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } });
    expect(await call('DELETE', '/connectors')).toMatchObject({ status: 405, body: { error_code: 405, message: 'HTTP 405 Method Not Allowed' } });
    expect(await call('POST', '/connectors/src/status')).toMatchObject({ status: 405 });
  });

  it('connector resources: info, config, status, tasks, task status, topics', async () => {
    expect(await call('GET', '/connectors/src')).toMatchObject({ status: 200, body: herder.connectorInfo('src') });
    expect(await call('GET', '/connectors/src/config')).toMatchObject({ status: 200, body: herder.connectorConfig('src') });
    expect(await call('GET', '/connectors/src/status')).toMatchObject({ status: 200, body: herder.connectorStatus('src') });
    expect(await call('GET', '/connectors/src/tasks')).toMatchObject({ status: 200, body: herder.taskConfigs('src') });
    expect(await call('GET', '/connectors/src/tasks/0/status')).toMatchObject({ status: 200, body: { id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' } });
    expect(await call('GET', '/connectors/src/tasks/7/status')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Task src-7 not found' } });
    expect(await call('GET', '/connectors/src/tasks/x/status')).toMatchObject({ status: 404 });
    expect(await call('GET', '/connectors/src/topics')).toMatchObject({ status: 200, body: { src: { connector: 'src', topics: ['topic-a'] } } });
    expect(await call('PUT', '/connectors/src/topics/reset')).toMatchObject({ status: 202 });
    expect(await call('GET', '/connectors/nope')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
  });

  it('PUT config: 201 created (Location), 200 updated; PATCH config merges with nulls removing keys', async () => {
    const created = await call('PUT', '/connectors/new/config', { 'connector.class': 'FileStreamSource', topic: 't' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/connectors/new');
    expect(herder.configs.get('new')).toEqual({ name: 'new', 'connector.class': 'FileStreamSource', topic: 't' });
    expect(await call('PUT', '/connectors/new/config', { 'connector.class': 'FileStreamSource', topic: 'u' })).toMatchObject({ status: 200, body: { name: 'new', config: { topic: 'u' } } });
    expect(await call('PUT', '/connectors/new/config', { name: 'other', 'connector.class': 'X' })).toMatchObject({ status: 400 });
    const patched = await call('PATCH', '/connectors/new/config', { topic: 'v', 'connector.class': 'FileStreamSource', extra: null });
    expect(patched.status).toBe(200);
    expect(herder.calls.at(-1)).toEqual(['patchConnectorConfig', 'new', { topic: 'v', 'connector.class': 'FileStreamSource', extra: null }]);
  });

  it('pause/resume 202, stop 204 (an empty JSON body is accepted), restart 204 or 202 with the status, task restart 204, DELETE 204', async () => {
    expect((await call('PUT', '/connectors/src/pause')).status).toBe(202);
    expect((await call('PUT', '/connectors/src/resume', '', { 'content-type': 'application/json' })).status).toBe(202);
    expect((await call('PUT', '/connectors/src/stop?forward=true')).status).toBe(204);
    expect(herder.calls.map((c) => c[0])).toEqual(['pauseConnector', 'resumeConnector', 'stopConnector']);
    await call('PUT', '/connectors/src/resume');
    expect(await call('POST', '/connectors/src/restart')).toMatchObject({ status: 204, body: undefined });
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'src', { includeTasks: false, onlyFailed: false }]);
    const both = await call('POST', '/connectors/src/restart?includeTasks=true&onlyFailed=false');
    expect(both).toMatchObject({ status: 202, body: { name: 'src', connector: { state: 'RESTARTING' }, tasks: [{ id: 0, state: 'RESTARTING' }] } });
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'src', { includeTasks: true, onlyFailed: false }]);
    expect((await call('POST', '/connectors/src/tasks/0/restart')).status).toBe(204);
    expect(await call('PUT', '/connectors/nope/pause')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    expect((await call('DELETE', '/connectors/src')).status).toBe(204);
    expect(herder.configs.has('src')).toBe(false);
  });

  it('offsets: GET, PATCH and DELETE with Kafka messages; PATCH without offsets 400; while running the herder\'s 400', async () => {
    expect(await call('GET', '/connectors/src/offsets')).toMatchObject({ status: 200, body: { offsets: [{ partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } }] } });
    const body = { offsets: [{ partition: { filename: '/tmp/in.txt' }, offset: { position: 0 } }] };
    expect(await call('PATCH', '/connectors/src/offsets', body)).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringMatching(/STOPPED/) } });
    await call('PUT', '/connectors/src/stop');
    expect(await call('PATCH', '/connectors/src/offsets', body)).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been altered successfully' } });
    expect(herder.calls.at(-1)).toEqual(['alterConnectorOffsets', 'src', body]);
    expect(await call('PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: 'x' }, offset: null }] })).toMatchObject({ status: 200 });
    expect(await call('PATCH', '/connectors/src/offsets', { offsets: [] })).toMatchObject({ status: 400, body: { message: 'Partitions / offsets need to be provided for an alter offsets request' } });
    expect(await call('PATCH', '/connectors/src/offsets', '', { 'content-type': 'application/json' })).toMatchObject({ status: 400 });
    expect(await call('DELETE', '/connectors/src/offsets')).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
  });

  it('connector plugins: list (connectorsOnly), config, validate (type check, ConfigError 400)', async () => {
    expect((await call('GET', '/connector-plugins')).body).toEqual(herder.connectorPlugins(true));
    expect((await call('GET', '/connector-plugins?connectorsOnly=false')).body).toEqual(herder.connectorPlugins(false));
    expect(await call('GET', '/connector-plugins/FileStreamSource/config')).toMatchObject({ status: 200, body: [] });
    expect(await call('GET', '/connector-plugins/Nope/config')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Unknown plugin Nope.' } });
    expect(await call('PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', { 'connector.class': 'FileStreamSource', file: 'x' })).toMatchObject({ status: 200, body: { error_count: 1 } });
    expect(await call('PUT', '/connector-plugins/FileStreamSource/config/validate', { 'connector.class': 'FileStreamSink' })).toMatchObject({
      status: 400,
      body: { error_code: 400, message: 'Included connector type FileStreamSink does not match request type FileStreamSource' },
    });
    expect(await call('PUT', '/connector-plugins/FileStreamSource/config/validate', { boom: 'x' })).toMatchObject({ status: 400, body: { error_code: 400, message: 'boom' } });
  });

  it('an unexpected error is 500 with its message; a herder error keeps its status', async () => {
    herder.failNext = new Error('disk on fire');
    expect(await call('PUT', '/connectors/src/pause')).toMatchObject({ status: 500, body: { error_code: 500, message: 'disk on fire' } });
    herder.failNext = new BadRequestError('no');
    expect(await call('PUT', '/connectors/src/pause')).toMatchObject({ status: 400, body: { error_code: 400, message: 'no' } });
  });

  it('admin/loggers: list, get, put with Kafka\'s level checks and scope', async () => {
    expect(await call('GET', '/admin/loggers')).toMatchObject({ status: 200, body: { root: { level: 'INFO', last_modified: null } } });
    expect(await call('GET', '/admin/loggers/root')).toMatchObject({ status: 200, body: { level: 'INFO' } });
    expect(await call('GET', '/admin/loggers/nope')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call('PUT', '/admin/loggers/root', { level: 'debug' })).toMatchObject({ status: 200, body: ['root'] });
    expect(loggers.set).toEqual([['root', 'DEBUG']]);
    expect(await call('PUT', '/admin/loggers/root?scope=cluster', { level: 'WARN' })).toMatchObject({ status: 204 });
    expect(await call('PUT', '/admin/loggers/root', { level: 'LOUD' })).toMatchObject({ status: 404, body: { message: "invalid log level 'LOUD'." } });
    expect(await call('PUT', '/admin/loggers/root', {})).toMatchObject({ status: 400, body: { message: "Desired 'level' parameter was not specified in request." } });
  });

  it('basic authentication: 401 with Kafka\'s message and a challenge without or with wrong credentials, 200 with right ones', async () => {
    await server.stop();
    await start({ basicAuthUsers: new Map([['admin', 'secret']]) });
    const auth = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    const none = await call('GET', '/connectors');
    expect(none).toMatchObject({ status: 401, body: { error_code: 401, message: 'User cannot access the resource.' } });
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="Kafka Connect"/);
    expect(await call('GET', '/connectors', undefined, auth('admin', 'wrong'))).toMatchObject({ status: 401 });
    expect(await call('GET', '/connectors', undefined, auth('nobody', 'secret'))).toMatchObject({ status: 401 });
    expect(await call('GET', '/nope', undefined, auth('admin', 'wrong'))).toMatchObject({ status: 401 });
    expect(await call('GET', '/connectors', undefined, auth('admin', 'secret'))).toMatchObject({ status: 200, body: ['src'] });
  });

  it('CORS: access.control.allow.origin and allow.methods', async () => {
    await server.stop();
    await start({ cors: { allowOrigin: 'http://ui.example', allowMethods: 'GET,PUT' } });
    const res = await fetch(`${base}/connectors`, { headers: { origin: 'http://ui.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://ui.example');
    const pre = await fetch(`${base}/connectors/src/pause`, { method: 'OPTIONS', headers: { origin: 'http://ui.example', 'access-control-request-method': 'PUT' } });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, PUT');
    const other = await fetch(`${base}/connectors`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without access.control.allow.origin there is no CORS header', async () => {
    const res = await fetch(`${base}/connectors`, { headers: { origin: 'http://ui.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a port in use is a start-up error naming listeners', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        RestServer.start({ listeners: [{ protocol: 'http', host: '127.0.0.1', port }], source: 'listeners' }, { herder, loggers, logger: silentLogger, serverInfo: () => ({ version: '', commit: '', kafka_cluster_id: null }) }),
      ).rejects.toThrow(`Cannot open the REST API listener http://127.0.0.1:${port} (listeners): the address is already in use`);
      // The default listener (no listeners key) in use: a warning, and the worker runs without REST.
      const warnings: string[] = [];
      const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
      const none = await startRestServer(
        { choice: { listeners: [{ protocol: 'http', host: '127.0.0.1', port }], source: 'default' }, workerId: 'x', basicAuthUsers: null, https: null, cors: { allowOrigin: '', allowMethods: '' } },
        { herder, loggers, logger, serverInfo: () => ({ version: '', commit: '', kafka_cluster_id: null }) },
      );
      expect(none).toBeNull();
      expect(warnings).toEqual([expect.stringMatching(/already in use .*running without the REST API$/)]);
    } finally {
      blocker.close();
    }
  });
});

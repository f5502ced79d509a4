import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseRestListeners, restWorkerId } from '../../../src/rest/rest-config';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';

const base = { 'key.converter': 'StringConverter', 'value.converter': 'StringConverter', 'offset.storage.file.filename': '/tmp/offsets' };
const config = (extra: Record<string, string> = {}) => parseWorkerConfig({ ...base, ...extra });

describe('REST listeners and worker id', () => {
  it('defaults to http://127.0.0.1:8083 (loopback only), worker id 127.0.0.1:8083', () => {
    expect(chooseRestListeners(config())).toEqual({ listeners: [{ protocol: 'http', host: '127.0.0.1', port: 8083 }], source: 'default' });
    expect(restWorkerId(config())).toBe('127.0.0.1:8083');
  });

  it('listeners as Kafka writes them; empty host binds every interface and is advertised by host name', () => {
    const c = config({ listeners: 'http://:8084, https://0.0.0.0:8443' });
    expect(chooseRestListeners(c)).toEqual({
      listeners: [
        { protocol: 'http', host: '', port: 8084 },
        { protocol: 'https', host: '0.0.0.0', port: 8443 },
      ],
      source: 'listeners',
    });
    expect(restWorkerId(c)).toBe(`${os.hostname()}:8084`);
    expect(restWorkerId(config({ listeners: 'http://:8084,https://0.0.0.0:8443', 'rest.advertised.listener': 'https' }))).toBe(`${os.hostname()}:8443`);
    expect(restWorkerId(config({ listeners: 'http://:8084', 'rest.advertised.host.name': 'connect-1.example', 'rest.advertised.port': '9999' }))).toBe('connect-1.example:9999');
  });

  it('listeners= (empty), --no-rest, and --once without listeners: no server', () => {
    expect(chooseRestListeners(config({ listeners: '' }))).toEqual({ listeners: [], source: 'off' });
    expect(chooseRestListeners(config(), { noRest: true }).listeners).toEqual([]);
    expect(chooseRestListeners(config({ listeners: 'http://127.0.0.1:8083' }), { noRest: true }).listeners).toEqual([]);
    expect(chooseRestListeners(config(), { once: true }).listeners).toEqual([]);
    expect(chooseRestListeners(config({ listeners: 'http://127.0.0.1:9000' }), { once: true }).listeners).toEqual([{ protocol: 'http', host: '127.0.0.1', port: 9000 }]);
  });

  it('the older rest.host.name / rest.port', () => {
    expect(chooseRestListeners(config({ 'rest.port': '8090' }))).toEqual({ listeners: [{ protocol: 'http', host: '127.0.0.1', port: 8090 }], source: 'rest.host.name/rest.port' });
    expect(chooseRestListeners(config({ 'rest.host.name': '0.0.0.0' })).listeners).toEqual([{ protocol: 'http', host: '0.0.0.0', port: 8083 }]);
    expect(chooseRestListeners(config({ 'rest.port': '8090', listeners: 'http://127.0.0.1:8091' })).listeners[0].port).toBe(8091);
  });

  it('a bad listener names the key', () => {
    expect(() => config({ listeners: 'ftp://x:1' })).toThrow(/listeners/);
    expect(() => config({ listeners: 'http://localhost' })).toThrow(/Could not parse listener 'http:\/\/localhost'/);
    expect(() => config({ 'rest.extension.classes': 'com.example.Other' })).toThrow(/rest\.extension\.classes/);
  });
});

describe('only src/rest imports the HTTP framework', () => {
  it('no fastify import outside src/rest', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts') && !full.startsWith(path.join(root, 'src', 'rest') + path.sep)) {
          if (/(?:from\s+|require\(\s*)['"](?:fastify|@fastify\/[^'"]+)['"]/.test(fs.readFileSync(full, 'utf8'))) offenders.push(path.relative(root, full));
        }
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'connectors'));
    expect(offenders).toEqual([]);
  });
});

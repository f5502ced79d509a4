/**
 * A Confluent Schema Registry for tests: the REST calls the Avro, Protobuf and JSON Schema converters
 * make, with Confluent's paths, bodies (schemaType and references included) and error JSON, served
 * over HTTP on 127.0.0.1 (a free port) from a worker thread.
 *
 *   POST /subjects/{subject}/versions   {"schema": "...", "schemaType"?, "references"?} -> {"id": N}; the same schema text (modulo
 *                                        whitespace) keeps its global id; each new one under a subject
 *                                        gets the next version
 *   POST /subjects/{subject}            lookup -> {"subject","id","version","schema"};
 *                                        404 error_code 40401 (subject) / 40403 (schema not under it)
 *   GET  /subjects/{subject}/versions/latest and /versions/{n}, GET /subjects/{subject}/versions,
 *   GET  /subjects, GET /schemas/ids/{id} -> {"schema": "..."}; 404 error_code 40403
 *
 * Errors are `{"error_code": <int>, "message": <text>}` as Confluent's. Optional HTTP basic auth (401
 * error_code 401 when wrong), a log of every request, and failNext() to make the next requests answer
 * a given status and error, drop the connection, or never answer. No compatibility checks: use failNext(409, ...).
 *
 * It runs in a worker thread because AvroConverter blocks its calling thread while it waits for the
 * registry; a server on that same thread could never answer. Tests against a real Confluent Schema
 * Registry use it the same way: set `schema.registry.url` (and basic.auth.*) to the real registry
 * and skip the assertions on requests()/failNext().
 *
 * For a benchmark: `const registry = await startSchemaRegistry(); const converter = new
 * AvroConverter(); converter.configure({ 'schema.registry.url': registry.url }, false);`, then
 * `await registry.stop()` at the end.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { MessagePort, Worker } from 'node:worker_threads';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  authorization: string | null;
  body: string;
}

export interface Failure {
  status: number;
  errorCode?: number;
  message?: string;
  /** Close the connection without answering instead. */
  drop?: boolean;
  /** Never answer (until stop()), to exercise client timeouts. */
  stall?: boolean;
}

export interface SchemaRegistryOptions {
  basicAuth?: { username: string; password: string };
}

export type HarnessSchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

export interface HarnessReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredVersion {
  version: number;
  id: number;
  schema: string;
  /** Absent for AVRO, as Confluent's registry answers. */
  schemaType?: HarnessSchemaType;
  references?: HarnessReference[];
}

export interface TestSchemaRegistry {
  readonly url: string;
  requests(): Promise<RecordedRequest[]>;
  requestCount(): Promise<number>;
  /** The next `count` requests fail as given, whatever they ask. */
  failNext(failure: Failure, count?: number): Promise<void>;
  /** Registers directly (not counted as a request), e.g. to prepare auto.register.schemas=false tests. Default type AVRO. */
  register(subject: string, schema: string, schemaType?: HarnessSchemaType, references?: HarnessReference[]): Promise<number>;
  versions(subject: string): Promise<RegisteredVersion[]>;
  subjects(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts a registry in a worker thread. */
export async function startSchemaRegistry(options: SchemaRegistryOptions = {}): Promise<TestSchemaRegistry> {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { file: __filename, typescript: __filename.endsWith('.ts') ? require.resolve('typescript') : null, options },
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  let url = '';
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { ready?: string; seq?: number; result?: unknown; error?: string }) => {
      if (m.ready) {
        url = m.ready;
        resolve();
      } else if (m.seq !== undefined) {
        const p = pending.get(m.seq);
        pending.delete(m.seq);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
      }
    });
    worker.on('error', reject);
  });
  await ready;
  const call = <T>(op: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      pending.set(++seq, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ seq, op, args });
    });
  return {
    url,
    requests: () => call('requests'),
    requestCount: async () => (await call<RecordedRequest[]>('requests')).length,
    failNext: (failure, count = 1) => call('failNext', failure, count),
    register: (subject, schema, schemaType = 'AVRO', references = []) => call('register', subject, schema, schemaType, references),
    versions: (subject) => call('versions', subject),
    subjects: () => call('subjects'),
    stop: async () => {
      await call('stop');
      await worker.terminate();
    },
  };
}

// Loads this file in the worker: compiled JS as is, TypeScript (under ts-jest) through tsc's transpiler.
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
const Module = require('node:module');
const path = require('node:path');
let mod;
if (workerData.typescript) {
  const ts = require(workerData.typescript);
  const source = require('node:fs').readFileSync(workerData.file, 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const m = new Module(workerData.file);
  m.filename = workerData.file;
  m.paths = Module._nodeModulePaths(path.dirname(workerData.file));
  m._compile(js, workerData.file);
  mod = m.exports;
} else {
  mod = require(workerData.file);
}
mod.serveInWorker(parentPort, workerData.options);
`;

/** Worker side: the HTTP server and the control channel. */
export function serveInWorker(port: MessagePort, options: SchemaRegistryOptions): void {
  const registry = new RegistryState(options);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const failure = registry.take({ method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString('utf8') });
      if (failure?.drop) return void req.socket.destroy();
      if (failure?.stall) return;
      const [status, body] = failure
        ? [failure.status, { error_code: failure.errorCode ?? failure.status, message: failure.message ?? http.STATUS_CODES[failure.status] ?? 'error' }]
        : registry.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization ?? null, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(body));
    });
  });
  server.listen(0, '127.0.0.1', () => port.postMessage({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  port.on('message', ({ seq, op, args }: { seq: number; op: string; args: unknown[] }) => {
    try {
      if (op === 'stop') {
        server.close(() => port.postMessage({ seq, result: null }));
        return void server.closeAllConnections();
      }
      const result = (registry as unknown as Record<string, (...a: unknown[]) => unknown>)[op](...args);
      port.postMessage({ seq, result: result ?? null });
    } catch (err) {
      port.postMessage({ seq, error: String((err as Error).message) });
    }
  });
}

type Answer = [number, unknown];

class RegistryState {
  private readonly log: RecordedRequest[] = [];
  private readonly failures: Failure[] = [];
  private readonly idsByText = new Map<string, number>();
  private readonly textById = new Map<number, { schema: string; schemaType: HarnessSchemaType; references: HarnessReference[] }>();
  private readonly bySubject = new Map<string, RegisteredVersion[]>();

  constructor(private readonly options: SchemaRegistryOptions) {}

  requests(): RecordedRequest[] {
    return this.log;
  }
  failNext(failure: Failure, count: number): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }
  subjects(): string[] {
    return [...this.bySubject.keys()];
  }
  versions(subject: string): RegisteredVersion[] {
    return this.bySubject.get(subject) ?? [];
  }

  take(request: RecordedRequest): Failure | undefined {
    this.log.push(request);
    return this.failures.shift();
  }

  register(subject: string, schema: string, schemaType: HarnessSchemaType = 'AVRO', references: HarnessReference[] = []): number {
    const key = canonical(schema, schemaType, references);
    const versions = this.bySubject.get(subject) ?? [];
    const existing = versions.find((v) => canonical(v.schema, v.schemaType ?? 'AVRO', v.references ?? []) === key);
    if (existing) return existing.id;
    let id = this.idsByText.get(key);
    if (id === undefined) {
      id = this.idsByText.size + 1;
      this.idsByText.set(key, id);
      this.textById.set(id, { schema, schemaType, references });
    }
    const stored = this.textById.get(id)!;
    versions.push({ version: (versions[versions.length - 1]?.version ?? 0) + 1, id, ...described(stored) });
    this.bySubject.set(subject, versions);
    return id;
  }

  handle(method: string, rawPath: string, authorization: string | null, body: string): Answer {
    const auth = this.options.basicAuth;
    if (auth && authorization !== `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`) return error(401, 401, 'Unauthorized');
    const path = rawPath.split('?')[0].split('/').map(decodeURIComponent);
    const [, first, subject, third, version] = path;
    if (method === 'GET' && first === 'schemas' && subject === 'ids' && path.length === 4) {
      const stored = this.textById.get(Number(third));
      return stored === undefined ? error(404, 40403, `Schema ${third} not found`) : [200, described(stored)];
    }
    if (first !== 'subjects') return error(404, 404, 'HTTP 404 Not Found');
    if (method === 'GET' && path.length === 2) return [200, this.subjects()];
    const versions = subject === undefined ? undefined : this.bySubject.get(subject);
    if (method === 'POST' && (path.length === 3 || (path.length === 4 && third === 'versions'))) {
      let request: { schema?: unknown; schemaType?: unknown; references?: unknown };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        return error(422, 42201, 'Invalid schema');
      }
      const { schema } = request;
      const schemaType = (request.schemaType ?? 'AVRO') as HarnessSchemaType;
      const references = (request.references ?? []) as HarnessReference[];
      if (typeof schema !== 'string' || !['AVRO', 'PROTOBUF', 'JSON'].includes(schemaType)) return error(422, 42201, 'Invalid schema');
      if (schemaType === 'PROTOBUF' ? schema.trim() === '' : !parsesAsJson(schema)) return error(422, 42201, `Invalid ${schemaType} schema`);
      for (const ref of references) {
        if (!this.bySubject.get(ref.subject)?.some((v) => v.version === ref.version)) return error(422, 42201, `Invalid schema: reference ${ref.name} to ${ref.subject} version ${ref.version} not found`);
      }
      if (path.length === 4) return [200, { id: this.register(subject, schema, schemaType, references) }];
      if (!versions) return error(404, 40401, `Subject '${subject}' not found.`);
      const key = canonical(schema, schemaType, references);
      const found = versions.find((v) => canonical(v.schema, v.schemaType ?? 'AVRO', v.references ?? []) === key);
      return found ? [200, { subject, ...found }] : error(404, 40403, 'Schema not found');
    }
    if (method === 'GET' && third === 'versions') {
      if (!versions) return error(404, 40401, `Subject '${subject}' not found.`);
      if (version === undefined) return [200, versions.map((v) => v.version)];
      const found = version === 'latest' ? versions[versions.length - 1] : versions.find((v) => v.version === Number(version));
      return found ? [200, { subject, ...found }] : error(404, 40402, `Version ${version} not found.`);
    }
    return error(405, 405, 'HTTP 405 Method Not Allowed');
  }
}

function error(status: number, code: number, message: string): Answer {
  return [status, { error_code: code, message }];
}

/** As the registry answers: schemaType only when not AVRO, references only when there are some. */
function described(stored: { schema: string; schemaType: HarnessSchemaType; references: HarnessReference[] }): Omit<RegisteredVersion, 'version' | 'id'> {
  const out: Omit<RegisteredVersion, 'version' | 'id'> = { schema: stored.schema };
  if (stored.schemaType !== 'AVRO') out.schemaType = stored.schemaType;
  if (stored.references.length > 0) out.references = stored.references;
  return out;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Identical schemas share an id: Avro and JSON Schema modulo whitespace (Confluent compares parsed
 * schemas), Protobuf modulo leading and trailing whitespace; with the same type and references.
 */
function canonical(schema: string, schemaType: HarnessSchemaType, references: HarnessReference[]): string {
  let text = schema.trim();
  if (schemaType !== 'PROTOBUF') {
    try {
      text = JSON.stringify(JSON.parse(schema));
    } catch {
      /* kept as is */
    }
  }
  return JSON.stringify([schemaType, text, references]);
}

import { ConfigError, DataError, RetriableError } from '../../api';
import { HttpResult, SyncHttpTransport } from './sync-http';

export interface SchemaRegistryClientOptions {
  /** schema.registry.url: tried in order, the next one when one is unreachable. */
  urls: readonly string[];
  /** basic.auth.credentials.source: credentials from each URL's user info, or from userInfo. */
  credentialsSource: 'URL' | 'USER_INFO';
  /** basic.auth.user.info, `user:password`. */
  userInfo: string | null;
  /** Per request; the whole request (connecting and reading) gives up after this long. */
  timeoutMs: number;
  transport: SyncHttpTransport;
}

/** The schema formats Confluent's registry knows; AVRO is the default and is not sent. */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A named reference from one schema to another registered one (Protobuf imports, JSON Schema $refs). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A schema as the registry stores it: its text, its format and the schemas it references. */
export interface RegistrySchema {
  schema: string;
  schemaType: SchemaType;
  references: readonly SchemaReference[];
}

/** A subject's schema version as the registry reports it. */
export interface SchemaMetadata extends RegistrySchema {
  subject: string;
  id: number;
  version: number;
}

interface Endpoint {
  /** Without credentials, for requests and messages. */
  base: string;
  authorization: string | null;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';
/** Confluent's error codes for "no such subject" and "no such schema". */
export const SUBJECT_NOT_FOUND = 40401;
export const SCHEMA_NOT_FOUND = 40403;

/**
 * A Confluent Schema Registry client over its REST API (Confluent's CachedSchemaRegistryClient, the
 * calls AvroConverter makes): every answer is cached, so a converter asks once per schema, not per
 * record. Calls block (see SyncHttpTransport) because Converter methods are synchronous.
 *
 * Errors name the call, the subject or id, the registry URL (never credentials), the HTTP status and
 * the registry's error_code and message. Unreachable registries and 5xx answers are RetriableError;
 * 4xx answers are SchemaRegistryError (a DataError, not retriable).
 */
export class SchemaRegistryClient {
  private readonly endpoints: Endpoint[];
  private current = 0;
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly lookups = new Map<string, Map<string, SchemaMetadata>>();
  private readonly latest = new Map<string, SchemaMetadata>();
  private readonly versions = new Map<string, SchemaMetadata>();
  private readonly byId = new Map<number, RegistrySchema>();

  constructor(private readonly options: SchemaRegistryClientOptions) {
    const shared = options.credentialsSource === 'USER_INFO' ? basicAuth(options.userInfo) : null;
    if (options.credentialsSource === 'USER_INFO' && shared === null) {
      throw new ConfigError('basic.auth.user.info must be provided when basic.auth.credentials.source is set to USER_INFO');
    }
    this.endpoints = options.urls.map((raw) => endpoint(raw, shared, options.credentialsSource === 'URL'));
    if (this.endpoints.length === 0) throw new ConfigError('Invalid value for configuration schema.registry.url: at least one URL is required');
  }

  /** The URLs as shown in messages (credentials removed). */
  get urls(): string[] {
    return this.endpoints.map((e) => e.base);
  }

  /** POST /subjects/{subject}/versions: the id of the schema, registering it under the subject if new. A string is an Avro schema. */
  register(subject: string, schema: string | RegistrySchema): number {
    const s = asRegistrySchema(schema);
    const key = cacheKey(s);
    const cached = this.ids.get(subject)?.get(key);
    if (cached !== undefined) return cached;
    const { id } = this.call<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, requestBody(s), `Failed to register schema for subject ${subject}`);
    this.remember(this.ids, subject, key, id);
    this.byId.set(id, s);
    return id;
  }

  /** POST /subjects/{subject}: the id and version the schema already has under the subject. */
  lookup(subject: string, schema: string | RegistrySchema): SchemaMetadata {
    const s = asRegistrySchema(schema);
    const key = cacheKey(s);
    const cached = this.lookups.get(subject)?.get(key);
    if (cached) return cached;
    const found = this.call<Partial<SchemaMetadata>>('POST', `/subjects/${enc(subject)}`, requestBody(s), `Failed to look up schema under subject ${subject}`);
    const meta = metadata(subject, found, s);
    this.remember(this.lookups, subject, key, meta);
    this.byId.set(meta.id, meta);
    return meta;
  }

  /** lookup(), or null when the subject or the schema is not registered. */
  versionOf(subject: string, schema: string | RegistrySchema): number | null {
    try {
      return this.lookup(subject, schema).version;
    } catch (err) {
      if (err instanceof SchemaRegistryError && (err.errorCode === SUBJECT_NOT_FOUND || err.errorCode === SCHEMA_NOT_FOUND)) return null;
      throw err;
    }
  }

  /** GET /subjects/{subject}/versions/latest, once per subject. */
  latestVersion(subject: string): SchemaMetadata {
    const cached = this.latest.get(subject);
    if (cached) return cached;
    const found = this.call<Partial<SchemaMetadata>>('GET', `/subjects/${enc(subject)}/versions/latest`, undefined, `Failed to get the latest version of subject ${subject}`);
    const meta = metadata(subject, found);
    this.latest.set(subject, meta);
    this.byId.set(meta.id, meta);
    return meta;
  }

  /** GET /subjects/{subject}/versions/{version}, once per subject and version (to resolve references). */
  schemaByVersion(subject: string, version: number): SchemaMetadata {
    const key = `${subject}\u0000${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const found = this.call<Partial<SchemaMetadata>>('GET', `/subjects/${enc(subject)}/versions/${version}`, undefined, `Failed to get version ${version} of subject ${subject}`);
    const meta = metadata(subject, found);
    this.versions.set(key, meta);
    this.byId.set(meta.id, meta);
    return meta;
  }

  /**
   * GET /schemas/ids/{id}: the schema with that global id, once per id. `expected` (default AVRO):
   * a schema of another format is a DataError naming both.
   */
  schemaById(id: number, expected: SchemaType = 'AVRO'): RegistrySchema {
    let found = this.byId.get(id);
    if (found === undefined) {
      const answer = this.call<Partial<RegistrySchema>>('GET', `/schemas/ids/${id}`, undefined, `Failed to get schema id ${id}`);
      found = { schema: String(answer.schema ?? ''), schemaType: answer.schemaType ?? 'AVRO', references: answer.references ?? [] };
      this.byId.set(id, found);
    }
    if (found.schemaType !== expected) throw new DataError(`Schema id ${id} is a ${found.schemaType} schema, not ${FORMAT_NAMES[expected]}`);
    return found;
  }

  private remember<V>(cache: Map<string, Map<string, V>>, subject: string, schema: string, value: V): void {
    let bySchema = cache.get(subject);
    if (!bySchema) cache.set(subject, (bySchema = new Map()));
    bySchema.set(schema, value);
  }

  /** One call, failing over to the next URL while the registry cannot be reached. */
  private call<T>(method: 'GET' | 'POST', path: string, body: unknown, what: string): T {
    const failures: string[] = [];
    for (let attempt = 0; attempt < this.endpoints.length; attempt++) {
      const index = (this.current + attempt) % this.endpoints.length;
      const target = this.endpoints[index];
      const headers: Record<string, string> = { Accept: ACCEPT };
      if (body !== undefined) headers['Content-Type'] = CONTENT_TYPE;
      if (target.authorization) headers.Authorization = target.authorization;
      const result = this.options.transport.request({
        method,
        url: target.base + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.options.timeoutMs,
      });
      if (!result.ok) {
        failures.push(`${target.base}: ${result.error}`);
        continue;
      }
      this.current = index;
      return answer<T>(result, `${what} at ${target.base}`);
    }
    throw new RetriableError(`${what}: no schema registry could be reached (${failures.join('; ')})`);
  }
}

const FORMAT_NAMES: Record<SchemaType, string> = { AVRO: 'Avro', PROTOBUF: 'Protobuf', JSON: 'JSON Schema' };

function asRegistrySchema(schema: string | RegistrySchema): RegistrySchema {
  return typeof schema === 'string' ? { schema, schemaType: 'AVRO', references: [] } : schema;
}

/** One cache key per distinct (format, text, references). */
function cacheKey(s: RegistrySchema): string {
  return s.schemaType === 'AVRO' && s.references.length === 0 ? s.schema : JSON.stringify([s.schemaType, s.schema, s.references]);
}

/** As Confluent's client sends it: schemaType only when not AVRO, references only when there are some. */
function requestBody(s: RegistrySchema): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: s.schema };
  if (s.schemaType !== 'AVRO') body.schemaType = s.schemaType;
  if (s.references.length > 0) body.references = s.references;
  return body;
}

function metadata(subject: string, found: Partial<SchemaMetadata>, sent?: RegistrySchema): SchemaMetadata {
  return {
    subject,
    id: Number(found.id),
    version: Number(found.version),
    schema: found.schema ?? sent?.schema ?? '',
    schemaType: found.schemaType ?? sent?.schemaType ?? 'AVRO',
    references: found.references ?? sent?.references ?? [],
  };
}

/** A 4xx answer from the registry. */
export class SchemaRegistryError extends DataError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | null,
  ) {
    super(message);
  }
}

function answer<T>(result: Extract<HttpResult, { ok: true }>, what: string): T {
  let json: unknown;
  try {
    json = result.body === '' ? null : JSON.parse(result.body);
  } catch {
    json = undefined;
  }
  if (result.status >= 200 && result.status < 300) {
    if (json === null || typeof json !== 'object') throw new RetriableError(`${what}: the registry answered ${result.status} with a body that is not a JSON object`);
    return json as T;
  }
  const error = json && typeof json === 'object' ? (json as { error_code?: unknown; message?: unknown }) : {};
  const code = typeof error.error_code === 'number' ? error.error_code : null;
  const detail = code !== null ? `error ${code}: ${String(error.message ?? '')}` : result.body.slice(0, 200).trim() || 'no detail';
  const message = `${what}: ${result.status} ${result.statusText || ''}`.trimEnd() + ` (${detail})`;
  if (result.status >= 500 || result.status === 408 || result.status === 429) throw new RetriableError(message);
  throw new SchemaRegistryError(message, result.status, code);
}

function endpoint(raw: string, shared: string | null, fromUrl: boolean): Endpoint {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch (err) {
    throw new ConfigError(`Invalid value ${redact(raw)} for configuration schema.registry.url: not a URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Invalid value ${redact(raw)} for configuration schema.registry.url: only http and https URLs are supported`);
  }
  const userInfo = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : null;
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  return { base, authorization: fromUrl ? basicAuth(userInfo) : shared };
}

function basicAuth(userInfo: string | null): string | null {
  return userInfo ? `Basic ${Buffer.from(userInfo, 'utf8').toString('base64')}` : null;
}

/** A URL with any user info replaced, for messages. */
export function redact(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//[hidden]@');
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}

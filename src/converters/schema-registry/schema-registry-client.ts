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

/** A subject's schema version as the registry reports it. */
export interface SchemaMetadata {
  subject: string;
  id: number;
  version: number;
  schema: string;
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
  private readonly schemas = new Map<number, string>();

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

  /** POST /subjects/{subject}/versions: the id of the schema, registering it under the subject if new. */
  register(subject: string, schema: string): number {
    const cached = this.ids.get(subject)?.get(schema);
    if (cached !== undefined) return cached;
    const { id } = this.call<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, { schema }, `Failed to register schema for subject ${subject}`);
    this.remember(this.ids, subject, schema, id);
    this.schemas.set(id, schema);
    return id;
  }

  /** POST /subjects/{subject}: the id and version the schema already has under the subject. */
  lookup(subject: string, schema: string): SchemaMetadata {
    const cached = this.lookups.get(subject)?.get(schema);
    if (cached) return cached;
    const found = this.call<SchemaMetadata>('POST', `/subjects/${enc(subject)}`, { schema }, `Failed to look up schema under subject ${subject}`);
    const meta = { subject, id: found.id, version: found.version, schema: found.schema ?? schema };
    this.remember(this.lookups, subject, schema, meta);
    this.schemas.set(meta.id, meta.schema);
    return meta;
  }

  /** lookup(), or null when the subject or the schema is not registered. */
  versionOf(subject: string, schema: string): number | null {
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
    const found = this.call<SchemaMetadata>('GET', `/subjects/${enc(subject)}/versions/latest`, undefined, `Failed to get the latest version of subject ${subject}`);
    const meta = { subject, id: found.id, version: found.version, schema: found.schema };
    this.latest.set(subject, meta);
    this.schemas.set(meta.id, meta.schema);
    return meta;
  }

  /** GET /schemas/ids/{id}: the schema text with that global id. */
  schemaById(id: number): string {
    const cached = this.schemas.get(id);
    if (cached !== undefined) return cached;
    const { schema, schemaType } = this.call<{ schema: string; schemaType?: string }>('GET', `/schemas/ids/${id}`, undefined, `Failed to get schema id ${id}`);
    if (schemaType !== undefined && schemaType !== 'AVRO') throw new DataError(`Schema id ${id} is a ${schemaType} schema, not Avro`);
    this.schemas.set(id, schema);
    return schema;
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

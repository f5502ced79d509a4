import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../api';
import { parseProperties } from './properties-format';

/**
 * Reads a worker or connector config file into a flat string map. `.json` files (or files starting
 * with `{`) may be flat (`{"name": ..., "connector.class": ...}`) or the REST body shape
 * (`{"name": ..., "config": {...}}`), as Kafka 3.7+ accepts; anything else is Java .properties.
 */
export function loadConfigFile(file: string): Record<string, string> {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).isDirectory()) throw new ConfigError(`Config file ${file} is a directory, expected a .properties or .json file`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`Cannot read config file ${file}: ${reason}`, { cause: err });
  }
  if (bytes.includes(0)) throw new ConfigError(`Config file ${file} is not a text file (it contains NUL bytes)`);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const isJson = path.extname(file).toLowerCase() === '.json' || text.trimStart().startsWith('{');
  return isJson ? parseJsonConfig(text, file) : parseProperties(text, file);
}

function parseJsonConfig(text: string, file: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Malformed JSON in config file ${file}: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new ConfigError(`Config file ${file} must hold a JSON object, found ${describe(doc)}`);
  if (!('config' in doc)) return stringValues(doc, file, '');
  if (!isObject(doc.config)) throw new ConfigError(`"config" in ${file} must be a JSON object of string values, found ${describe(doc.config)}`);
  const extra = Object.keys(doc).filter((k) => k !== 'name' && k !== 'config');
  if (extra.length) throw new ConfigError(`Config file ${file} has the REST shape {"name", "config"} but also ${extra.map((k) => `"${k}"`).join(', ')}`);
  const config = stringValues(doc.config, file, 'config.');
  if (doc.name !== undefined) {
    if (typeof doc.name !== 'string') throw new ConfigError(`"name" in ${file} must be a string, found ${describe(doc.name)}`);
    if (config.name !== undefined && config.name !== doc.name) {
      throw new ConfigError(`Connector name mismatch in ${file}: "name" is "${doc.name}" but "config.name" is "${config.name}"`);
    }
    config.name = doc.name;
  }
  return config;
}

function stringValues(obj: Record<string, unknown>, file: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (value === null) continue;
    else throw new ConfigError(`Invalid value for "${prefix}${key}" in ${file}: expected a string, found ${describe(value)}`);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

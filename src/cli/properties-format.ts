import { ConfigError } from '../api';

/**
 * Parses Java .properties text as java.util.Properties.load does: `=`, `:` or whitespace between key
 * and value, `#` and `!` comments, backslash line continuation (sasl.jaas.config is often split that
 * way), and the escapes \t \n \r \f \uXXXX. The text is read as UTF-8 (Java reads ISO-8859-1, which
 * garbles non-ASCII paths). `where` names the file in errors.
 */
export function parseProperties(text: string, where: string): Record<string, string> {
  const props: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i].replace(/^[ \t\f]+/, '');
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const { key, value } = splitKeyValue(line);
    const parsedKey = unescape(key, where, startLine);
    if (parsedKey === '') {
      throw new ConfigError(`Malformed properties file ${where}: line ${startLine} has a value but no key: "${line}"`);
    }
    props[parsedKey] = unescape(value, where, startLine);
  }
  return props;
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let k = 0;
  while (k < line.length) {
    const c = line[k];
    if (c === '\\') {
      k += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    k++;
  }
  const key = line.slice(0, Math.min(k, line.length));
  let v = k;
  while (v < line.length && (line[v] === ' ' || line[v] === '\t' || line[v] === '\f')) v++;
  if (v < line.length && (line[v] === '=' || line[v] === ':')) v++;
  while (v < line.length && (line[v] === ' ' || line[v] === '\t' || line[v] === '\f')) v++;
  return { key, value: line.slice(v) };
}

const SIMPLE_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string, where: string, line: number): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfigError(`Malformed properties file ${where}: line ${line} has a malformed \\uxxxx escape "\\u${hex}"`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}

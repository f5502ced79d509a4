import * as protobuf from 'protobufjs';
import { DataError } from '../../api';
import { KNOWN_PROTOS } from './known-protos';

/** A registered .proto parsed with its imports: the top-level messages of the schema's own file, in order. */
export interface LoadedProto {
  root: protobuf.Root;
  messages: protobuf.Type[];
}

/** The text of an imported file, by its import path; null when it cannot be found. */
export type ImportResolver = (importPath: string) => string | null;

/**
 * Parses a schema's .proto text and, into the same root, every file it imports (transitively):
 * registry references first (`resolve`), then the well-known files. Field names are kept as written.
 */
export function loadProto(text: string, resolve: ImportResolver, what: string): LoadedProto {
  const root = new protobuf.Root();
  const main = parse(text, root, what);
  const ns = main.package ? root.lookup(main.package) : root;
  const messages = ns instanceof protobuf.Namespace ? ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type) : [];
  const loaded = new Set<string>();
  const pending = [...(main.imports ?? []), ...(main.weakImports ?? [])];
  while (pending.length > 0) {
    const path = pending.shift()!;
    if (loaded.has(path) || path === 'google/protobuf/descriptor.proto') continue;
    loaded.add(path);
    const imported = resolve(path) ?? KNOWN_PROTOS.get(path) ?? null;
    if (imported === null) throw new DataError(`${what} imports ${path}, which is neither among its references nor a well-known type`);
    const result = parse(imported, root, `${path} (imported by ${what})`);
    pending.push(...(result.imports ?? []), ...(result.weakImports ?? []));
  }
  try {
    root.resolveAll();
  } catch (err) {
    throw new DataError(`Invalid Protobuf schema ${what}: ${(err as Error).message}`, { cause: err });
  }
  return { root, messages };
}

/** The message a message-index path names: the top-level message, then nested messages by position. */
export function messageAt(proto: LoadedProto, indexes: readonly number[], what: string): protobuf.Type {
  let candidates = proto.messages;
  let found: protobuf.Type | undefined;
  for (const index of indexes) {
    found = candidates[index];
    if (!found) throw new DataError(`${what} has no message at index path [${indexes.join(', ')}]`);
    candidates = found.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  if (!found) throw new DataError(`${what}: an empty message index path`);
  return found;
}

/** The index path of a message (by full name, without a leading dot) in the schema's own file. */
export function indexesOf(proto: LoadedProto, fullName: string): number[] | null {
  const search = (types: protobuf.Type[], path: number[]): number[] | null => {
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (t.fullName.slice(1) === fullName) return [...path, i];
      const nested = search(t.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type), [...path, i]);
      if (nested) return nested;
    }
    return null;
  };
  return search(proto.messages, []);
}

function parse(text: string, root: protobuf.Root, what: string): protobuf.IParserResult {
  try {
    return protobuf.parse(text, root, { keepCase: true });
  } catch (err) {
    throw new DataError(`Invalid Protobuf schema ${what}: ${(err as Error).message}`, { cause: err });
  }
}

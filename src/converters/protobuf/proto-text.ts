/**
 * A .proto file as Connect schemas are written into it, and its text in the layout Confluent's
 * registry shows (Square Wire's): header lines, a blank line before imports and before each
 * top-level message; in a message, fields, then oneofs, then nested messages and enums, each group
 * after a blank line.
 */
export interface ProtoFile {
  packageName: string | null;
  imports: string[];
  messages: ProtoMessage[];
}

export interface ProtoMessage {
  name: string;
  fields: ProtoField[];
  oneofs: ProtoOneof[];
  nested: ProtoMessage[];
  enums: ProtoEnum[];
}

export interface ProtoField {
  name: string;
  number: number;
  type: string;
  label: 'repeated' | 'optional' | null;
  /** confluent.field_meta params, in order. */
  params: [string, string][];
}

export interface ProtoOneof {
  name: string;
  fields: ProtoField[];
}

export interface ProtoEnum {
  name: string;
  values: [string, number][];
}

export function emptyMessage(name: string): ProtoMessage {
  return { name, fields: [], oneofs: [], nested: [], enums: [] };
}

export function writeProtoFile(file: ProtoFile): string {
  let out = 'syntax = "proto3";\n';
  if (file.packageName) out += `package ${file.packageName};\n`;
  if (file.imports.length > 0) out += '\n' + file.imports.map((i) => `import ${quote(i)};\n`).join('');
  for (const message of file.messages) out += '\n' + writeMessage(message, '');
  return out;
}

function writeMessage(message: ProtoMessage, indent: string): string {
  const inner = indent + '  ';
  let out = `${indent}message ${message.name} {\n`;
  const groups: string[] = [];
  if (message.fields.length > 0) groups.push(message.fields.map((f) => writeField(f, inner)).join(''));
  if (message.oneofs.length > 0) {
    groups.push(message.oneofs.map((o) => `${inner}oneof ${o.name} {\n${o.fields.map((f) => writeField(f, inner + '  ')).join('')}${inner}}\n`).join(''));
  }
  const types = [...message.nested.map((m) => writeMessage(m, inner)), ...message.enums.map((e) => writeEnum(e, inner))];
  if (types.length > 0) groups.push(types.join(''));
  out += groups.join('\n');
  return out + `${indent}}\n`;
}

function writeField(field: ProtoField, indent: string): string {
  const label = field.label ? field.label + ' ' : '';
  let options = '';
  if (field.params.length > 0) {
    const entries = field.params.map(([k, v]) => `${indent}    {\n${indent}      key: ${quote(k)},\n${indent}      value: ${quote(v)}\n${indent}    }`);
    options = ` [(confluent.field_meta) = {\n${indent}  params: [\n${entries.join(',\n')}\n${indent}  ]\n${indent}}]`;
  }
  return `${indent}${label}${field.type} ${field.name} = ${field.number}${options};\n`;
}

function writeEnum(e: ProtoEnum, indent: string): string {
  return `${indent}enum ${e.name} {\n${e.values.map(([name, n]) => `${indent}  ${name} = ${n};\n`).join('')}${indent}}\n`;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

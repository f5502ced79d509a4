import { Schema, SourceRecord } from '../../../src/api';
import { JsonConverter } from '../../../src/converters/json-converter';
import { srcRecord, transform } from './field-test-helpers';

/**
 * The acceptance chain (minus RegexRouter, another group's) on a FileStreamSource-like
 * record, written with JsonConverter: the bytes Apache Kafka Connect 3.9 writes for the same chain
 * (field order type/fields/optional/field as Kafka's JsonConverter.asJsonSchema).
 */
describe('field transforms chained, through JsonConverter', () => {
  const chain = [
    transform('HoistField$Value', { field: 'line' }),
    transform('InsertField$Value', { 'static.field': 'source', 'static.value': 'file-1' }),
    transform('ValueToKey', { fields: 'line' }),
  ];
  const run = (rec: SourceRecord): SourceRecord => chain.reduce<SourceRecord>((r, t) => t.apply(r)!, rec);
  const line = srcRecord({ topic: 'lines', valueSchema: Schema.STRING_SCHEMA, value: 'hello', sourcePartition: { filename: 'f' }, sourceOffset: { position: 6 } });

  it('with schemas.enable=true', () => {
    const out = run(line);
    const json = new JsonConverter();
    expect(json.fromConnectData(out.topic, [], out.keySchema, out.key)!.toString()).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"}],"optional":false},"payload":{"line":"hello"}}',
    );
    expect(json.fromConnectData(out.topic, [], out.valueSchema, out.value)!.toString()).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"source"}],"optional":false},' +
        '"payload":{"line":"hello","source":"file-1"}}',
    );
    expect(out.sourceOffset).toEqual({ position: 6 });
  });

  it('with schemas.enable=false, then ExtractField$Key for a plain key', () => {
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'false' }, false);
    const out = transform('ExtractField$Key', { field: 'line' }).apply(run(line))!;
    expect(out.keySchema).toBe(Schema.STRING_SCHEMA);
    expect(json.fromConnectData(out.topic, [], out.keySchema, out.key)!.toString()).toBe('"hello"');
    expect(json.fromConnectData(out.topic, [], out.valueSchema, out.value)!.toString()).toBe('{"line":"hello","source":"file-1"}');
  });

  it('reuses the derived schemas record after record', () => {
    const a = run(line);
    const b = run({ ...line, value: 'world' });
    expect(b.valueSchema).toBe(a.valueSchema);
    expect(b.keySchema).toBe(a.keySchema);
  });
});

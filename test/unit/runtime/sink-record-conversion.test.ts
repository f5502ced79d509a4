import { Schema } from '../../../src/api';
import { JsonConverter, SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { converterClassNames } from '../../../src/runtime/errors/java-class-names';
import { SinkRecordConversion } from '../../../src/runtime/sink-record-conversion';
import { IncomingBatch } from '../../../src/runtime/kafka/record-consumer';
import { testOperator } from './fakes';

function conversion(valueConverter: StringConverter | JsonConverter, tolerance: 'none' | 'all' = 'none'): SinkRecordConversion {
  const keyConverter = new StringConverter();
  keyConverter.configure({}, true);
  const headerConverter = new SimpleHeaderConverter();
  const converters = { keyConverter, valueConverter, headerConverter };
  return new SinkRecordConversion({ ...converters, operator: testOperator({ tolerance }), classes: converterClassNames(undefined, converters) });
}

function stringConverter(): StringConverter {
  const c = new StringConverter();
  c.configure({}, false);
  return c;
}

const noRetry = async (): Promise<void> => undefined;

describe('SinkRecordConversion.convertBatch', () => {
  it('converts a whole batch in order with each record exact Kafka coordinates, also offsets beyond 2^53', () => {
    const batch: IncomingBatch = {
      topic: 'logs',
      partition: 3,
      messages: [
        { offset: '9007199254740991', key: null, value: Buffer.from('a'), timestamp: '1700000000001', headers: [] },
        { offset: '9007199254740993', key: Buffer.from('k'), value: null, timestamp: '1700000000002', headers: [['h', Buffer.from('v')]] },
        { offset: '9223372036854775806', key: null, value: Buffer.from('c'), timestamp: '-1', headers: [] },
      ],
    };
    const records = conversion(stringConverter()).convertBatch(batch, noRetry);
    expect(records).not.toBeInstanceOf(Promise);
    const list = records as Exclude<typeof records, Promise<unknown>>;
    expect(list.map((r) => r.kafkaOffset)).toEqual([9007199254740991n, 9007199254740993n, 9223372036854775806n]);
    expect(list.map((r) => r.timestamp)).toEqual([1700000000001, 1700000000002, -1]);
    expect(list.map((r) => [r.topic, r.kafkaPartition])).toEqual([
      ['logs', 3],
      ['logs', 3],
      ['logs', 3],
    ]);
    expect(list.map((r) => r.key)).toEqual([null, 'k', null]);
    expect(list.map((r) => r.value)).toEqual(['a', null, 'c']);
    expect(list[0].valueSchema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    expect(list[1].headers).toEqual([{ key: 'h', schema: Schema.STRING_SCHEMA, value: 'v' }]);
    expect(list[0].headers).toEqual([]);
  });

  it('leaves out the records the error handler skipped (errors.tolerance=all), keeping the order of the rest', async () => {
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'false' }, false);
    const value = (text: string) => Buffer.from(text);
    const batch: IncomingBatch = {
      topic: 'logs',
      partition: 0,
      messages: ['1', '{not json', '"three"', '[', '5'].map((text, i) => ({ offset: String(10 + i), key: null, value: value(text), timestamp: '0', headers: [] })),
    };
    const records = await conversion(json, 'all').convertBatch(batch, noRetry);
    expect(records.map((r) => [r.kafkaOffset, r.value])).toEqual([
      [10n, 1n],
      [12n, 'three'],
      [14n, 5n],
    ]);
  });

  it('fails the batch with the conversion error when errors are not tolerated', async () => {
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'false' }, false);
    const batch: IncomingBatch = { topic: 'logs', partition: 0, messages: [{ offset: '7', key: null, value: Buffer.from('{'), timestamp: '0', headers: [] }] };
    const failure = Promise.resolve().then(() => conversion(json).convertBatch(batch, noRetry));
    await expect(failure).rejects.toThrow('Tolerance exceeded in error handler');
    await expect(failure.catch((e: Error) => (e.cause as Error).message)).resolves.toContain('Failed to convert the value of the record at topic logs partition 0 offset 7');
  });
});

import { Schema } from '../../../src/api';
import { applyChecked, configured, record, sinkRecord } from './time-cast-test-helpers';

const router = (props: Record<string, string> = {}) => configured('TimestampRouter', props);

describe('TimestampRouter', () => {
  it('names the topic ${topic}-yyyyMMdd in UTC by default (Kafka TimestampRouterTest)', () => {
    const out = applyChecked(router(), record({ topic: 'test', timestamp: 1_483_425_001_864 }))!;
    expect(out.topic).toBe('test-20170103');
  });

  it('uses the UTC day, not the local one, at the edges of a day', () => {
    expect(router().apply(record({ topic: 't', timestamp: Date.UTC(2024, 11, 31, 23, 59, 59, 999) }))!.topic).toBe('t-20241231');
    expect(router().apply(record({ topic: 't', timestamp: Date.UTC(2025, 0, 1) }))!.topic).toBe('t-20250101');
  });

  it.each([
    ['${topic}_${timestamp}', "yyyy-MM-dd'T'HH", 'orders_2023-11-14T22'],
    ['archive.${timestamp}.${topic}', 'YYYY-ww', 'archive.2023-46.orders'],
    ['${timestamp}', 'EEE, d MMM yyyy', 'Tue, 14 Nov 2023'],
    ['fixed', 'yyyy', 'fixed'],
    ['${topic}-${topic}-${timestamp}${timestamp}', 'yy', 'orders-orders-2323'],
  ])('formats %s with %s', (topicFormat, timestampFormat, expected) => {
    const out = router({ 'topic.format': topicFormat, 'timestamp.format': timestampFormat }).apply(record({ topic: 'orders', timestamp: 1_700_000_000_123 }))!;
    expect(out.topic).toBe(expected);
  });

  it('keeps everything but the topic, on source and sink records', () => {
    const source = record({ topic: 'a', timestamp: 0, keySchema: Schema.STRING_SCHEMA, key: 'k', value: 'v' });
    expect(router().apply(source)).toEqual({ ...source, topic: 'a-19700101' });
    const sink = sinkRecord({ topic: 'a', timestamp: 0, kafkaPartition: 3 });
    expect(router().apply(sink)).toEqual({ ...sink, topic: 'a-19700101' });
  });

  it("fails a record without a timestamp with Kafka's message", () => {
    expect(() => router().apply(record({ topic: 'test', kafkaPartition: 0, value: 'v', valueSchema: Schema.STRING_SCHEMA }))).toThrow(
      "Timestamp missing on record: SourceRecord{sourcePartition={file=a}, sourceOffset={position=1}} ConnectRecord{topic='test', kafkaPartition=0, key=null, keySchema=null, value=v, valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}",
    );
    expect(() => router().apply(sinkRecord())).toThrow('Timestamp missing on record: SinkRecord{kafkaOffset=7, timestampType=CreateTime');
  });

  it('rejects a pattern Java cannot compile at configure time, naming the key', () => {
    expect(() => router({ 'timestamp.format': 'yyyyMMdd-q' })).toThrow("Invalid value yyyyMMdd-q for configuration timestamp.format: Not a SimpleDateFormat pattern: Illegal pattern character 'q'");
  });

  it('declares Kafka keys and defaults', () => {
    expect(router().config().configKeys().map((k) => [k.name, k.defaultValue])).toEqual([
      ['topic.format', '${topic}-${timestamp}'],
      ['timestamp.format', 'yyyyMMdd'],
    ]);
  });
});

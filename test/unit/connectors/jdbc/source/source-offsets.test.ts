import { TableId } from '../../../../../connectors/jdbc/dialect';
import {
  partitionForProtocolV0,
  partitionForProtocolV1,
  QUERY_PARTITION,
  TimestampIncrementingOffset,
  timestampFromDate,
} from '../../../../../connectors/jdbc/source/source-offsets';

describe("source partitions and offsets in Confluent's shapes", () => {
  it('partitions: protocol 1 with the dotted name, protocol 0 with the bare name, the query', () => {
    const t = new TableId('shop', 'public', 'orders');
    expect(partitionForProtocolV1(t)).toEqual({ protocol: '1', table: 'shop.public.orders' });
    expect(partitionForProtocolV1(new TableId(null, null, 'orders'))).toEqual({ protocol: '1', table: 'orders' });
    expect(partitionForProtocolV0(t)).toEqual({ table: 'orders' });
    expect(QUERY_PARTITION).toEqual({ query: 'query' });
  });

  it('offsets carry only the parts the mode uses, as numbers', () => {
    const ts = timestampFromDate(new Date('2024-05-01T10:00:00.123Z'));
    expect(new TimestampIncrementingOffset(null, 42).toMap()).toEqual({ incrementing: 42 });
    expect(new TimestampIncrementingOffset(ts, null).toMap()).toEqual({ timestamp: 1714557600123, timestamp_nanos: 123000000 });
    expect(new TimestampIncrementingOffset(ts, 7).toMap()).toEqual({ incrementing: 7, timestamp: 1714557600123, timestamp_nanos: 123000000 });
    expect(JSON.stringify(new TimestampIncrementingOffset(ts, 7).toMap())).toBe('{"incrementing":7,"timestamp":1714557600123,"timestamp_nanos":123000000}');
  });

  it('reads offsets back, nanos replacing the fraction of the second as java.sql.Timestamp.setNanos', () => {
    const o = TimestampIncrementingOffset.fromMap({ timestamp: 1714557600123, timestamp_nanos: 123456789, incrementing: 3 });
    expect(o.timestamp).toEqual({ millis: 1714557600123, nanos: 123456789 });
    expect(o.incrementing).toBe(3);
    expect(TimestampIncrementingOffset.fromMap({ timestamp: 1714557600000 }).timestamp).toEqual({ millis: 1714557600000, nanos: 0 });
    // Before 1970 the fraction is still counted forward from the whole second, as Java does.
    expect(timestampFromDate(new Date(-1))).toEqual({ millis: -1, nanos: 999000000 });
    expect(TimestampIncrementingOffset.fromMap(null).equals(TimestampIncrementingOffset.EMPTY)).toBe(true);
  });

  it('defaults as Confluent: epoch for no timestamp, -1 for no incrementing value', () => {
    expect(TimestampIncrementingOffset.EMPTY.timestampOrEpoch()).toEqual({ millis: 0, nanos: 0 });
    expect(TimestampIncrementingOffset.EMPTY.incrementingOrDefault()).toBe(-1);
  });

  it('rejects stored values that are not integers, naming the field', () => {
    expect(() => TimestampIncrementingOffset.fromMap({ incrementing: '5' })).toThrow(/incrementing is "5", expected an integer/);
  });
});

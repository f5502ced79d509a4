import { parseConnectorOffsetsBody, parseSinkOffsets, parseSourceOffsets } from '../../../../src/runtime/herder/connector-offsets-body';
import { BadRequestError } from '../../../../src/runtime/herder/herder-errors';

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).status).toBe(400);
    return (err as Error).message;
  }
  throw new Error('expected a BadRequestError');
}

const sink = (partition: unknown, offset: unknown = { kafka_offset: 5 }) => () => parseSinkOffsets(parseConnectorOffsetsBody({ offsets: [{ partition, offset }] }));
const source = (partition: unknown, offset: unknown) => () => parseSourceOffsets(parseConnectorOffsetsBody({ offsets: [{ partition, offset }] }));

describe('KIP-875 offsets request bodies', () => {
  it("refuses an empty request with Kafka's message", () => {
    for (const body of [{}, { offsets: [] }, { offsets: null }]) {
      expect(badRequest(() => parseConnectorOffsetsBody(body))).toBe('Partitions / offsets need to be provided for an alter offsets request');
    }
    expect(badRequest(() => parseConnectorOffsetsBody([]))).toMatch(/must be a JSON object \{"offsets": \[\.\.\.\]\}, found an array/);
    expect(badRequest(() => parseConnectorOffsetsBody({ offsets: [{ partition: 'x', offset: {} }] }))).toBe('offsets[0].partition must be an object, found string "x"');
  });

  it('parses sink offsets, accepting numbers and numeric strings as Kafka does; null resets', () => {
    const body = parseConnectorOffsetsBody({
      offsets: [
        { partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 10 } },
        { partition: { kafka_topic: 't', kafka_partition: '1' }, offset: { kafka_offset: '9223372036854775807' } },
        { partition: { kafka_topic: 'u', kafka_partition: 2 }, offset: null },
      ],
    });
    expect(parseSinkOffsets(body)).toEqual([
      { topic: 't', partition: 0, offset: 10n },
      { topic: 't', partition: 1, offset: 9223372036854775807n },
      { topic: 'u', partition: 2, offset: null },
    ]);
  });

  it("refuses malformed sink offsets with SinkUtils' messages", () => {
    expect(badRequest(sink(null))).toBe('The partition for a sink connector offset cannot be null or missing');
    expect(badRequest(sink({ kafka_topic: 't' }))).toBe("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'");
    expect(badRequest(sink({ kafka_topic: null, kafka_partition: 0 }))).toBe('Kafka topic names must be valid strings and may not be null');
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: null }))).toBe('Kafka partitions must be valid numbers and may not be null');
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: 'a' }))).toBe(
      "Failed to parse the following Kafka partition value in the provided offsets: 'a'. Partition values for sink connectors need to be integers.",
    );
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: 2147483648 }))).toMatch(/partition value in the provided offsets: '2147483648'/);
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: 1 }, { position: 3 }))).toBe("The offset for a sink connector should either be null or contain the key 'kafka_offset'");
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: 1 }, { kafka_offset: 1.5 }))).toBe(
      "Failed to parse the following Kafka offset value in the provided offsets: '1.5'. Offset values for sink connectors need to be integers.",
    );
    expect(badRequest(sink({ kafka_topic: 't', kafka_partition: 1 }, { kafka_offset: -3 }))).toBe("Invalid negative offset -3 for kafka_topic 't', kafka_partition 1");
  });

  it('parses source offsets: maps of primitive values, a later entry for the same partition wins whatever its key order', () => {
    const body = parseConnectorOffsetsBody({
      offsets: [
        { partition: { filename: '/a', x: 1 }, offset: { position: 3 } },
        { partition: { x: 1, filename: '/a' }, offset: { position: 7 } },
        { partition: { filename: '/b' }, offset: null },
      ],
    });
    expect(parseSourceOffsets(body)).toEqual([
      { partition: { filename: '/a', x: 1 }, offset: { position: 7 } },
      { partition: { filename: '/b' }, offset: null },
    ]);
  });

  it("refuses source offsets that are not maps of primitives with OffsetUtils' message", () => {
    expect(badRequest(source({ filename: '/a' }, { position: { at: 1 } }))).toBe('Offsets may only contain primitive types as values, but field position contains MAP');
    expect(badRequest(source({ files: ['/a'] }, { position: 1 }))).toBe('Offsets may only contain primitive types as values, but field files contains ARRAY');
    expect(badRequest(source(null, { position: 1 }))).toBe('The partition for a source connector offset cannot be null or missing');
  });
});

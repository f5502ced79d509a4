import { Converter, Header, HeaderConverter, SchemaAndValue, SinkRecord } from '../api';
import { conversionError, ConversionFailure } from './conversion-error';
import { ConsumedRecordInfo, Stage } from './errors/error-context';
import { ConverterClassNames } from './errors/java-class-names';
import { OperationContext, RetryWithToleranceOperator, SKIPPED, Skipped } from './errors/retry-with-tolerance-operator';
import { IncomingBatch } from './kafka/record-consumer';
import { TransformationChain, TransformationFailure } from './transformation-chain';

type Message = IncomingBatch['messages'][number];

const NO_HEADERS: readonly Header[] = Object.freeze([]);

export interface SinkRecordConversionOptions {
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  operator: RetryWithToleranceOperator;
  classes: ConverterClassNames;
  /** The task's transforms, applied after conversion; null or absent: none. */
  transformationChain?: TransformationChain | null;
}

/**
 * Turns fetched records into SinkRecords and runs the transformation chain on them (the conversion
 * half of Kafka's WorkerSinkTask). The fast path converts and transforms without the error handler; a
 * record whose conversion or transform fails goes through it, which may retry, skip (null) or throw.
 * A transform may also drop a record (null). Headers are converted before the key and value (Kafka converts
 * them last) because our converters are given the record's Connect headers.
 */
export class SinkRecordConversion {
  private readonly chain: TransformationChain | null;

  constructor(private readonly o: SinkRecordConversionOptions) {
    this.chain = o.transformationChain ?? null;
  }

  /**
   * The batch's records converted and transformed, in order, without those a transform dropped or the
   * error handler skipped. Synchronous while every record takes the fast path; from the first record
   * that needs the error handler (or an asynchronous transform) on, the rest follow it in a promise.
   * Rejects (or throws) with the error of a record the error handler did not tolerate. `kept`, when
   * given, is told each record kept and the message it came from.
   */
  convertBatch(batch: IncomingBatch, beforeRetry: () => Promise<void>, kept?: (record: SinkRecord, m: Message) => void): SinkRecord[] | Promise<SinkRecord[]> {
    const { messages } = batch;
    const records: SinkRecord[] = [];
    for (let i = 0; i < messages.length; i++) {
      const converted = this.convert(batch, messages[i], beforeRetry);
      if (converted instanceof Promise) return this.convertRest(batch, i, converted, records, beforeRetry, kept);
      if (converted !== null) {
        records.push(converted);
        kept?.(converted, messages[i]);
      }
    }
    return records;
  }

  private async convertRest(
    batch: IncomingBatch,
    index: number,
    pending: Promise<SinkRecord | null>,
    records: SinkRecord[],
    beforeRetry: () => Promise<void>,
    kept: ((record: SinkRecord, m: Message) => void) | undefined,
  ): Promise<SinkRecord[]> {
    const { messages } = batch;
    let converted: SinkRecord | null | Promise<SinkRecord | null> = pending;
    for (let i = index; i < messages.length; i++) {
      if (i > index) converted = this.convert(batch, messages[i], beforeRetry);
      const record = converted instanceof Promise ? await converted : converted;
      if (record !== null) {
        records.push(record);
        kept?.(record, messages[i]);
      }
    }
    return records;
  }

  /**
   * The transformed record, or null when a transform dropped it or the error handler skipped it.
   * `beforeRetry` runs before each retry of a failed conversion or transform and may throw to give the
   * batch up.
   */
  convert(batch: IncomingBatch, m: Message, beforeRetry: () => Promise<void>): SinkRecord | null | Promise<SinkRecord | null> {
    let record: SinkRecord;
    try {
      record = this.fastPath(batch, m);
    } catch (err) {
      const converted = this.withErrorHandling(batch, m, err as ConversionFailure, beforeRetry);
      return this.chain === null ? converted : converted.then((r) => (r === null ? null : this.transform(batch, m, r, beforeRetry)));
    }
    return this.chain === null ? record : this.transform(batch, m, record, beforeRetry);
  }

  private transform(batch: IncomingBatch, m: Message, record: SinkRecord, beforeRetry: () => Promise<void>): SinkRecord | null | Promise<SinkRecord | null> {
    const chain = this.chain as TransformationChain;
    try {
      return chain.apply(record);
    } catch (err) {
      return chain.applyWithErrorHandling<SinkRecord>(err as TransformationFailure, this.o.operator, { consumedRecord: consumedRecordInfo(batch, m), beforeRetry });
    }
  }

  /** Headers, key, value; any failure is thrown as a ConversionFailure. */
  private fastPath(batch: IncomingBatch, m: Message): SinkRecord {
    const { topic } = batch;
    let headers: readonly Header[] = NO_HEADERS;
    if (m.headers.length > 0) {
      const converted: Header[] = [];
      for (let h = 0; h < m.headers.length; h++) {
        const [key, bytes] = m.headers[h];
        try {
          const { schema, value } = this.o.headerConverter.toConnectHeader(topic, key, bytes);
          converted.push({ key, schema, value });
        } catch (err) {
          throw new ConversionFailure(Stage.HEADER_CONVERTER, err, h);
        }
      }
      headers = converted;
    }
    let key;
    try {
      key = this.o.keyConverter.toConnectData(topic, headers, m.key);
    } catch (err) {
      throw new ConversionFailure(Stage.KEY_CONVERTER, err);
    }
    let value;
    try {
      value = this.o.valueConverter.toConnectData(topic, headers, m.value);
    } catch (err) {
      throw new ConversionFailure(Stage.VALUE_CONVERTER, err);
    }
    return sinkRecord(batch, m, headers, key, value);
  }

  /** Each step through the error handler; the step that failed continues from its first error. */
  private async withErrorHandling(batch: IncomingBatch, m: Message, failure: ConversionFailure, beforeRetry: () => Promise<void>): Promise<SinkRecord | null> {
    const { topic, partition } = batch;
    const { keyConverter, valueConverter, headerConverter, operator, classes } = this.o;
    const where = `topic ${topic} partition ${partition} offset ${m.offset}`;
    const consumedRecord = consumedRecordInfo(batch, m);
    const step = <T>(stage: Stage, executingClass: string, op: () => T, what: string, headerIndex = -1): Promise<T | Skipped> => {
      const operation: OperationContext = {
        consumedRecord,
        beforeRetry,
        describeFailure: (e) => conversionError(`Failed to convert ${what} of the record at ${where}`, e),
      };
      return stage === failure.stage && headerIndex === failure.headerIndex
        ? operator.handleError(stage, executingClass, failure.error, op, operation)
        : operator.execute(stage, executingClass, op, operation);
    };
    const headers: Header[] = [];
    for (let h = 0; h < m.headers.length; h++) {
      const [key, bytes] = m.headers[h];
      const converted = await step(Stage.HEADER_CONVERTER, classes.header, () => headerConverter.toConnectHeader(topic, key, bytes), `header ${key}`, h);
      if (converted === SKIPPED) return null;
      headers.push({ key, schema: converted.schema, value: converted.value });
    }
    const key = await step(Stage.KEY_CONVERTER, classes.key, () => keyConverter.toConnectData(topic, headers, m.key), 'the key');
    if (key === SKIPPED) return null;
    const value = await step(Stage.VALUE_CONVERTER, classes.value, () => valueConverter.toConnectData(topic, headers, m.value), 'the value');
    if (value === SKIPPED) return null;
    return sinkRecord(batch, m, headers.length ? headers : NO_HEADERS, key, value);
  }
}

function sinkRecord(batch: IncomingBatch, m: Message, headers: readonly Header[], key: SchemaAndValue, value: SchemaAndValue): SinkRecord {
  return {
    topic: batch.topic,
    kafkaPartition: batch.partition,
    kafkaOffset: offsetOf(m.offset),
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: Number(m.timestamp),
    timestampType: 'CreateTime',
    headers,
  };
}

/** BigInt of a number is about twice as fast as of a string; above 2^53 only the string is exact. */
function offsetOf(offset: string): bigint {
  const n = Number(offset);
  return n <= Number.MAX_SAFE_INTEGER ? BigInt(n) : BigInt(offset);
}

/** A fetched record with its original bytes, as error reports and the dead letter queue need it. */
export function consumedRecordInfo(batch: IncomingBatch, m: Message): ConsumedRecordInfo {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: offsetOf(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: m.headers,
  };
}

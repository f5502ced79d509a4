import { SourceRecord } from '../../api';

/** Where in the pipeline a failure happened; Kafka Connect's stage names (they appear in DLQ headers). */
export enum Stage {
  TASK_POLL = 'TASK_POLL',
  KEY_CONVERTER = 'KEY_CONVERTER',
  VALUE_CONVERTER = 'VALUE_CONVERTER',
  HEADER_CONVERTER = 'HEADER_CONVERTER',
  TRANSFORMATION = 'TRANSFORMATION',
  KAFKA_PRODUCE = 'KAFKA_PRODUCE',
  KAFKA_CONSUME = 'KAFKA_CONSUME',
  TASK_PUT = 'TASK_PUT',
}

/** A record as read from Kafka, with its original bytes (what a dead letter queue must keep). */
export interface ConsumedRecordInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]>;
}

/** Everything an error reporter is told about one failed operation (Kafka's ProcessingContext). */
export interface ErrorContext {
  readonly stage: Stage;
  /** Java-style class name of what was running, e.g. org.apache.kafka.connect.json.JsonConverter. */
  readonly executingClass: string;
  readonly error: Error;
  /** Set for sink stages. */
  readonly consumedRecord: ConsumedRecordInfo | null;
  /** Set for source stages. */
  readonly sourceRecord: SourceRecord | null;
  readonly connectorName: string;
  readonly taskId: number;
  /** How many times the operation was tried. */
  readonly attempts: number;
}

/** Receives tolerated (and, for logging, all) errors: the log reporter and the dead letter queue. */
export interface ErrorReporter {
  report(context: ErrorContext): Promise<void>;
  close(): Promise<void>;
}

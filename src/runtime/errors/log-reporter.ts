import { connectValueToString, Header, OffsetMap, Schema, SourceRecord } from '../../api';
import { RuntimeLogger } from '../runtime-logger';
import { ConnectorTaskId, taskIdString } from '../worker-task';
import { ConsumedRecordInfo, ErrorContext, ErrorReporter } from './error-context';
import { ErrorHandlingConfig } from './error-handling-config';

/**
 * Writes each reported error to the log at ERROR when errors.log.enable=true (Kafka's LogReporter),
 * in Kafka's words so existing log searches keep working:
 * `Error encountered in task <connector>-<task>. Executing stage '<STAGE>' with class '<class>'.`
 * The record is described only when errors.log.include.messages=true, as the record's contents may be
 * sensitive; the error itself (with its stack and causes) is always attached.
 */
export class LogReporter implements ErrorReporter {
  private readonly name: string;
  /** Errors written so far (Kafka's total-errors-logged). */
  logged = 0;

  constructor(
    id: ConnectorTaskId,
    private readonly config: Pick<ErrorHandlingConfig, 'logEnable' | 'logIncludeMessages'>,
    private readonly logger: RuntimeLogger,
  ) {
    this.name = taskIdString(id);
  }

  async report(context: ErrorContext): Promise<void> {
    if (!this.config.logEnable) return;
    this.logger.error(this.message(context), { err: context.error, stage: context.stage, attempts: context.attempts });
    this.logged++;
  }

  async close(): Promise<void> {}

  message(context: ErrorContext): string {
    let text = `Error encountered in task ${this.name}. Executing stage '${context.stage}' with class '${context.executingClass}'`;
    if (this.config.logIncludeMessages && context.sourceRecord) {
      // Kafka's own wording, "is =" included.
      text += `, where source record is = ${sourceRecordToString(context.sourceRecord)}`;
    } else if (this.config.logIncludeMessages && context.consumedRecord) {
      text += `, where consumed record is ${consumedRecordToString(context.consumedRecord)}`;
    }
    return `${text}.`;
  }
}

/** Kafka's ConsumerRecord summary: coordinates and timestamp, never the key or value. */
export function consumedRecordToString(r: ConsumedRecordInfo): string {
  const time = r.timestamp >= 0 ? `, timestamp=${r.timestamp}, timestampType=CreateTime` : '';
  return `{topic='${r.topic}', partition=${r.partition}, offset=${r.offset}${time}}`;
}

/** Kafka's SourceRecord#toString: `SourceRecord{sourcePartition=..., sourceOffset=...} ConnectRecord{...}`. */
export function sourceRecordToString(r: SourceRecord): string {
  return (
    `SourceRecord{sourcePartition=${offsetMapToString(r.sourcePartition)}, sourceOffset=${offsetMapToString(r.sourceOffset)}} ` +
    `ConnectRecord{topic='${r.topic}', kafkaPartition=${r.kafkaPartition}, key=${connectValueToString(r.key, r.keySchema)}, keySchema=${schemaToString(r.keySchema)}, ` +
    `value=${connectValueToString(r.value, r.valueSchema)}, valueSchema=${schemaToString(r.valueSchema)}, timestamp=${r.timestamp}, headers=${headersToString(r.headers)}}`
  );
}

/** Java's Map#toString of an offset map: `{filename=/tmp/a.txt, position=5}`. */
function offsetMapToString(m: OffsetMap | null): string {
  if (m === null) return 'null';
  return `{${Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

/** Kafka's ConnectSchema#toString: `Schema{STRING}`, or `Schema{name:TYPE}` for a named schema. */
function schemaToString(s: Schema | null): string {
  if (s === null) return 'null';
  return s.name ? `Schema{${s.name}:${s.type}}` : `Schema{${s.type}}`;
}

function headersToString(headers: readonly Header[]): string {
  if (headers.length === 0) return 'ConnectHeaders(headers=)';
  const items = headers.map((h) => `ConnectHeader(key=${h.key}, value=${connectValueToString(h.value, h.schema)}, schema=${schemaToString(h.schema)})`);
  return `ConnectHeaders(headers=[${items.join(', ')}])`;
}

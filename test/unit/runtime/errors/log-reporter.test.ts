import { DataError, Schema } from '../../../../src/api';
import { ErrorContext, Stage } from '../../../../src/runtime/errors/error-context';
import { LogReporter } from '../../../../src/runtime/errors/log-reporter';
import { RuntimeLogger } from '../../../../src/runtime/runtime-logger';
import { record } from '../fakes';

/** Keeps each line with its fields (the RecordingLogger drops fields). */
class FieldLogger implements RuntimeLogger {
  readonly lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  isLevelEnabled(): boolean {
    return true;
  }
  child(): RuntimeLogger {
    return this;
  }
}

const ID = { connector: 'orders-sink', task: 0 };
const error = new DataError('Converting byte[] to Kafka Connect data failed due to serialization error');

const sinkContext: ErrorContext = {
  stage: Stage.VALUE_CONVERTER,
  executingClass: 'org.apache.kafka.connect.json.JsonConverter',
  error,
  consumedRecord: { topic: 'orders', partition: 2, offset: 7n, timestamp: 1700000000000, key: null, value: Buffer.from('secret-bytes'), headers: [] },
  sourceRecord: null,
  connectorName: 'orders-sink',
  taskId: 0,
  attempts: 1,
};

const sourceContext: ErrorContext = {
  ...sinkContext,
  consumedRecord: null,
  stage: Stage.KEY_CONVERTER,
  executingClass: 'org.apache.kafka.connect.converters.IntegerConverter',
  sourceRecord: {
    ...record('lines', 'secret value', 5, '/tmp/in.txt'),
    valueSchema: Schema.STRING_SCHEMA,
    headers: [{ key: 'n', schema: Schema.INT32_SCHEMA, value: 3 }],
  },
};

function report(context: ErrorContext, config: { logEnable: boolean; logIncludeMessages: boolean }): FieldLogger {
  const logger = new FieldLogger();
  void new LogReporter(ID, config, logger).report(context);
  return logger;
}

describe('LogReporter', () => {
  it('logs nothing unless errors.log.enable=true', async () => {
    const logger = new FieldLogger();
    const reporter = new LogReporter(ID, { logEnable: false, logIncludeMessages: true }, logger);
    await reporter.report(sinkContext);
    expect(logger.lines).toEqual([]);
    expect(reporter.logged).toBe(0);
  });

  it("logs Kafka's line at ERROR with the error (and so its stack) attached, without the record by default", () => {
    const logger = report(sinkContext, { logEnable: true, logIncludeMessages: false });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0].level).toBe('error');
    expect(logger.lines[0].msg).toBe("Error encountered in task orders-sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'.");
    expect(logger.lines[0].fields?.err).toBe(error);
  });

  it('describes a consumed record by topic, partition, offset and timestamp with errors.log.include.messages=true', () => {
    const logger = report(sinkContext, { logEnable: true, logIncludeMessages: true });
    expect(logger.lines[0].msg).toBe(
      "Error encountered in task orders-sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', " +
        "where consumed record is {topic='orders', partition=2, offset=7, timestamp=1700000000000, timestampType=CreateTime}.",
    );
    expect(JSON.stringify(logger.lines)).not.toContain('secret-bytes');
  });

  it('leaves out the timestamp of a consumed record that has none', () => {
    const logger = report({ ...sinkContext, consumedRecord: { ...sinkContext.consumedRecord!, timestamp: -1 } }, { logEnable: true, logIncludeMessages: true });
    expect(logger.lines[0].msg).toContain("where consumed record is {topic='orders', partition=2, offset=7}.");
  });

  it("prints a source record as Kafka's SourceRecord#toString with errors.log.include.messages=true", () => {
    const logger = report(sourceContext, { logEnable: true, logIncludeMessages: true });
    expect(logger.lines[0].msg).toBe(
      "Error encountered in task orders-sink-0. Executing stage 'KEY_CONVERTER' with class 'org.apache.kafka.connect.converters.IntegerConverter', " +
        'where source record is = SourceRecord{sourcePartition={filename=/tmp/in.txt}, sourceOffset={position=5}} ' +
        "ConnectRecord{topic='lines', kafkaPartition=null, key=null, keySchema=null, value=secret value, valueSchema=Schema{STRING}, timestamp=null, " +
        'headers=ConnectHeaders(headers=[ConnectHeader(key=n, value=3, schema=Schema{INT32})])}.',
    );
  });

  it('never writes the record contents without errors.log.include.messages', () => {
    const logger = report(sourceContext, { logEnable: true, logIncludeMessages: false });
    expect(logger.lines[0].msg).toBe("Error encountered in task orders-sink-0. Executing stage 'KEY_CONVERTER' with class 'org.apache.kafka.connect.converters.IntegerConverter'.");
    expect(logger.lines[0].msg).not.toContain('secret');
  });
});

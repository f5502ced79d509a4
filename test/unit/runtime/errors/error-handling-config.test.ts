import { connectorConfigDef, sinkConnectorConfigDef } from '../../../../src/runtime/connector-config';
import { DEFAULT_ERROR_HANDLING, errorHandlingConfig } from '../../../../src/runtime/errors/error-handling-config';

const base = { name: 'c', 'connector.class': 'FileStreamSource' };

describe('error handling config', () => {
  it("every connector (source and sink) has the errors.* keys with Kafka's defaults", () => {
    expect(errorHandlingConfig(connectorConfigDef.parse(base))).toEqual(DEFAULT_ERROR_HANDLING);
    expect(DEFAULT_ERROR_HANDLING).toEqual({ tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 60000, logEnable: false, logIncludeMessages: false });
    for (const key of ['errors.tolerance', 'errors.retry.timeout', 'errors.retry.delay.max.ms', 'errors.log.enable', 'errors.log.include.messages']) {
      expect(connectorConfigDef.names()).toContain(key);
      expect(sinkConnectorConfigDef.names()).toContain(key);
    }
  });

  it('parses the keys once into typed fields', () => {
    const config = connectorConfigDef.parse({
      ...base,
      'errors.tolerance': 'all',
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '5000',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'TRUE',
    });
    expect(errorHandlingConfig(config)).toEqual({ tolerance: 'all', retryTimeoutMs: -1, retryDelayMaxMs: 5000, logEnable: true, logIncludeMessages: true });
  });

  it('rejects bad values naming the key', () => {
    expect(() => connectorConfigDef.parse({ ...base, 'errors.tolerance': 'some' })).toThrow('Invalid value some for configuration errors.tolerance: String must be one of: none, all');
    expect(() => connectorConfigDef.parse({ ...base, 'errors.retry.timeout': '-2' })).toThrow('Invalid value -2 for configuration errors.retry.timeout: Value must be at least -1');
    expect(() => connectorConfigDef.parse({ ...base, 'errors.retry.delay.max.ms': 'soon' })).toThrow('Invalid value soon for configuration errors.retry.delay.max.ms');
    expect(() => connectorConfigDef.parse({ ...base, 'errors.log.enable': 'yes' })).toThrow('Invalid value yes for configuration errors.log.enable');
  });
});

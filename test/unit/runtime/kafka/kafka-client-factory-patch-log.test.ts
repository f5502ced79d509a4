import { KafkajsClientFactory } from '../../../../src/runtime/kafka/kafka-client-factory';
import { KafkajsPatchStatus } from '../../../../src/runtime/kafka/kafkajs-patch-status';
import { parseWorkerConfig } from '../../../../src/runtime/worker-config';
import { RecordingLogger } from '../../../helpers/recording-logger';

const worker = () =>
  parseWorkerConfig({
    'bootstrap.servers': '127.0.0.1:1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/tmp/never-written.offsets',
  });

describe('KafkajsClientFactory says once which producer code runs', () => {
  it('logs the applied patches at info, once however many producers it makes', () => {
    const logger = new RecordingLogger();
    let asked = 0;
    const status: KafkajsPatchStatus = { applied: true, kafkajsVersion: '2.2.4', detail: 'kafkajs 2.2.4: producer patches applied (patches/kafkajs+2.2.4.patch)' };
    const factory = new KafkajsClientFactory(worker(), logger, () => (asked++, status));
    factory.createProducer('a', logger);
    factory.createProducer('b', logger);
    expect(asked).toBe(1);
    expect(logger.messages('info').filter((m) => m.includes('producer patches'))).toEqual(['Producing with kafkajs 2.2.4: producer patches applied (patches/kafkajs+2.2.4.patch)']);
    expect(logger.messages('warn')).toEqual([]);
  });

  it('warns when kafkajs runs unpatched, naming what is missing', () => {
    const logger = new RecordingLogger();
    const status: KafkajsPatchStatus = { applied: false, kafkajsVersion: '2.2.4', detail: 'kafkajs 2.2.4 at /x: producer patches not applied (unpatched: src/producer/groupMessagesPerPartition.js)' };
    new KafkajsClientFactory(worker(), logger, () => status).createProducer('a', logger);
    expect(logger.messages('warn')).toEqual([
      'Producing with unpatched kafkajs, several times slower: kafkajs 2.2.4 at /x: producer patches not applied (unpatched: src/producer/groupMessagesPerPartition.js)',
    ]);
  });

  it('by default reads the kafkajs this project loads, which carries the patches', () => {
    const logger = new RecordingLogger();
    new KafkajsClientFactory(worker(), logger).createProducer('a', logger);
    expect(logger.messages('info').some((m) => m.startsWith('Producing with kafkajs 2.2.4: producer patches applied'))).toBe(true);
  });
});

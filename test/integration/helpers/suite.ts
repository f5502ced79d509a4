import { startBroker, TestBroker } from '../../harness/broker';
import { tempDir } from './worker-process';
import { SchemaRegistryOptions, startSchemaRegistry, TestSchemaRegistry } from '../../harness/schema-registry';

/**
 * One broker for the whole test file: started in beforeAll, stopped in afterAll. The returned handle
 * forwards to it, so tests write `broker.bootstrapServers` as usual.
 */
/**
 * A test Schema Registry for the suite (started in beforeAll, stopped in afterAll); its methods and
 * url may be used from tests and from helpers the tests call.
 */
export function useSchemaRegistry(options?: SchemaRegistryOptions): TestSchemaRegistry {
  let started: TestSchemaRegistry | undefined;
  beforeAll(async () => {
    started = await startSchemaRegistry(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const get = (): TestSchemaRegistry => {
    if (!started) throw new Error('the test Schema Registry is used before beforeAll started it');
    return started;
  };
  return {
    get url() {
      return get().url;
    },
    requests: () => get().requests(),
    requestCount: () => get().requestCount(),
    failNext: (failure, count) => get().failNext(failure, count),
    register: (subject, schema, schemaType, references) => get().register(subject, schema, schemaType, references),
    versions: (subject) => get().versions(subject),
    subjects: () => get().subjects(),
    stop: () => get().stop(),
  };
}

export function useBroker(options?: { brokers?: number }): TestBroker {
  let started: TestBroker | undefined;
  beforeAll(async () => {
    started = await startBroker(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const get = (): TestBroker => {
    if (!started) throw new Error('the test broker is used before beforeAll started it');
    return started;
  };
  return {
    get bootstrapServers() {
      return get().bootstrapServers;
    },
    get isMock() {
      return get().isMock;
    },
    createTopic: (name, partitions) => get().createTopic(name, partitions),
    brokerDown: (id) => get().brokerDown(id),
    brokerUp: (id) => get().brokerUp(id),
    pushRequestErrors: (apiKey, codes) => get().pushRequestErrors(apiKey, codes),
    stop: () => get().stop(),
  };
}

/** A temp directory for the test file, removed in afterAll. */
export function useTempDir(prefix?: string): ReturnType<typeof tempDir> {
  const tmp = tempDir(prefix);
  afterAll(() => tmp.cleanup());
  return tmp;
}

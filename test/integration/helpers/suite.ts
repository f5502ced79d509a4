import { startBroker, TestBroker } from '../../harness/broker';
import { tempDir } from './worker-process';

/**
 * One broker for the whole test file: started in beforeAll, stopped in afterAll. The returned handle
 * forwards to it, so tests write `broker.bootstrapServers` as usual.
 */
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

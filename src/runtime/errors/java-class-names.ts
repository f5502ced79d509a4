/**
 * Java class names Kafka Connect reports as the executing class of the runtime's own stages (in the
 * error log and the dead letter queue's __connect.errors.class.name header).
 */
export const RUNTIME_CLASS = {
  /** Kafka reports failed producer sends of source records under this class. */
  ABSTRACT_WORKER_SOURCE_TASK: 'org.apache.kafka.connect.runtime.AbstractWorkerSourceTask',
  WORKER_SOURCE_TASK: 'org.apache.kafka.connect.runtime.WorkerSourceTask',
  WORKER_SINK_TASK: 'org.apache.kafka.connect.runtime.WorkerSinkTask',
} as const;

/**
 * The Java-style class name to report for a plugin instance (converter, transformation) when the
 * runtime was not told the one it was configured by: its JavaScript class name.
 */
export function pluginClassName(instance: object): string {
  return instance.constructor?.name || 'Object';
}

/** The Java class names of a task's converters, as the worker resolved them from the config. */
export interface ConverterClassNames {
  readonly key: string;
  readonly value: string;
  readonly header: string;
}

/** The names given by the worker, or else the converters' own JavaScript class names. */
export function converterClassNames(
  given: ConverterClassNames | undefined,
  converters: { keyConverter: object; valueConverter: object; headerConverter: object },
): ConverterClassNames {
  return (
    given ?? {
      key: pluginClassName(converters.keyConverter),
      value: pluginClassName(converters.valueConverter),
      header: pluginClassName(converters.headerConverter),
    }
  );
}

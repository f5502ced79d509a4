import {
  ConfigDef,
  ConfigType,
  ConnectRecord,
  DataError,
  Importance,
  newRecord,
  NO_DEFAULT,
  Predicate,
  PredicatePlugin,
  RetriableError,
  Transformation,
  TransformationPlugin,
  Validators,
} from '../../../src/api';
import { PluginRegistry } from '../../../src/runtime/plugins';

/** Instances created by the test plugins, to check configure()/close() calls. */
export const created: Array<{ kind: string; props: Record<string, string> | null; closed: boolean }> = [];

/**
 * Appends `suffix` to a string value; drops values equal to `drop`; throws a DataError for values equal
 * to `fail`; throws a RetriableError `retriable` times before succeeding for values equal to `flaky`.
 */
class Suffix implements Transformation {
  private suffix = '';
  private drop: string | null = null;
  private fail: string | null = null;
  private readonly state = { kind: 'Suffix', props: null as Record<string, string> | null, closed: false };
  retriableLeft = 0;

  constructor() {
    created.push(this.state);
  }

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: 'suffix', type: ConfigType.STRING, defaultValue: NO_DEFAULT, validator: Validators.nonEmptyString(), importance: Importance.HIGH, doc: 'Appended.' })
      .define({ name: 'drop', type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW, doc: 'Dropped value.' })
      .define({ name: 'fail', type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW, doc: 'Failing value.' })
      .define({ name: 'retriable', type: ConfigType.INT, defaultValue: 0, validator: Validators.atLeast(0), importance: Importance.LOW, doc: 'Retriable failures.' });
  }

  configure(props: Record<string, string>): void {
    this.state.props = props;
    const config = this.config().parse(props);
    this.suffix = config.getString('suffix') as string;
    this.drop = config.getString('drop');
    this.fail = config.getString('fail');
    this.retriableLeft = config.getInt('retriable');
    if (this.suffix === 'forbidden') throw new DataError('Invalid value forbidden for configuration suffix: this suffix is not allowed');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.value === this.drop) return null;
    if (record.value === this.fail) throw new DataError(`Suffix refuses ${String(record.value)}`);
    if (record.value === 'flaky' && this.retriableLeft-- > 0) throw new RetriableError('Suffix is briefly unavailable');
    return newRecord(record, { value: `${String(record.value)}${this.suffix}` });
  }

  close(): void {
    this.state.closed = true;
  }
}

/** Routes records to `<topic><suffix>`. */
class Route implements Transformation {
  private suffix = '';
  config(): ConfigDef {
    return new ConfigDef().define({ name: 'suffix', type: ConfigType.STRING, defaultValue: '-routed', importance: Importance.LOW, doc: 'Topic suffix.' });
  }
  configure(props: Record<string, string>): void {
    this.suffix = this.config().parse(props).getString('suffix') as string;
  }
  apply<R extends ConnectRecord>(record: R): R | null {
    return newRecord(record, { topic: record.topic + this.suffix });
  }
}

/** True when the value starts with `prefix`. */
class ValueStartsWith implements Predicate {
  private prefix = '';
  private readonly state = { kind: 'ValueStartsWith', props: null as Record<string, string> | null, closed: false };
  constructor() {
    created.push(this.state);
  }
  config(): ConfigDef {
    return new ConfigDef().define({ name: 'prefix', type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'Prefix.' });
  }
  configure(props: Record<string, string>): void {
    this.state.props = props;
    this.prefix = this.config().parse(props).getString('prefix') as string;
  }
  test(record: ConnectRecord): boolean {
    return typeof record.value === 'string' && record.value.startsWith(this.prefix);
  }
  close(): void {
    this.state.closed = true;
  }
}

export const suffixPlugin: TransformationPlugin = { className: 'com.example.transforms.Suffix', aliases: ['Suffix'], doc: 'Appends a suffix.', create: () => new Suffix() };
export const routePlugin: TransformationPlugin = { className: 'com.example.transforms.Route', aliases: ['Route'], create: () => new Route() };
export const startsWithPlugin: PredicatePlugin = { className: 'com.example.predicates.ValueStartsWith', aliases: ['ValueStartsWith'], create: () => new ValueStartsWith() };

/** A registry with the test transforms and predicate. */
export function transformRegistry(registry = new PluginRegistry()): PluginRegistry {
  registry.registerTransformation(suffixPlugin);
  registry.registerTransformation(routePlugin);
  registry.registerPredicate(startsWithPlugin);
  return registry;
}

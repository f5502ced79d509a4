import { ConfigDef, ConfigType, ConnectRecord, Importance, newRecord, NO_DEFAULT, Transformation } from '../api';
import { nonEmptyList } from './util/kafka-validators';

const HEADERS = 'headers';

const CONFIG_DEF = new ConfigDef().define({
  name: HEADERS,
  type: ConfigType.LIST,
  defaultValue: NO_DEFAULT,
  validator: nonEmptyList,
  importance: Importance.HIGH,
  doc: 'The names of the headers to remove (every header with one of these names goes).',
});

/** Kafka's DropHeaders: removes every header whose key is listed; other headers keep their order. */
export class DropHeaders implements Transformation {
  private names: ReadonlySet<string> = new Set();

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    this.names = new Set(CONFIG_DEF.parse(props, 'DropHeaders').getList(HEADERS));
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (!record.headers.some((h) => this.names.has(h.key))) return record;
    return newRecord(record, { headers: record.headers.filter((h) => !this.names.has(h.key)) });
  }
}

import { ConfigDef, ConfigType, ConnectRecord, Importance, NO_DEFAULT, Predicate } from '../api';
import { nonEmptyString } from './util/kafka-validators';

const NAME = 'name';

const HAS_HEADER_KEY_CONFIG = new ConfigDef().define({
  name: NAME,
  type: ConfigType.STRING,
  defaultValue: NO_DEFAULT,
  validator: nonEmptyString,
  importance: Importance.MEDIUM,
  doc: 'The header name.',
});

/** Kafka's HasHeaderKey: true for records with at least one header of the configured name. */
export class HasHeaderKey implements Predicate {
  private name = '';

  config(): ConfigDef {
    return HAS_HEADER_KEY_CONFIG;
  }

  configure(props: Record<string, string>): void {
    this.name = HAS_HEADER_KEY_CONFIG.parse(props, 'HasHeaderKey').getString(NAME) as string;
  }

  test(record: ConnectRecord): boolean {
    return record.headers.some((h) => h.key === this.name);
  }
}

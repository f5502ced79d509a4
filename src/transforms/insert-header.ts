import { ConfigDef, ConfigType, ConnectRecord, Header, Importance, newRecord, NO_DEFAULT, parseString, Transformation } from '../api';

const HEADER = 'header';
const VALUE_LITERAL = 'value.literal';

const CONFIG_DEF = new ConfigDef()
  .define({ name: HEADER, type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'The name of the header.' })
  .define({
    name: VALUE_LITERAL,
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    importance: Importance.HIGH,
    doc: 'The literal value of the header on every record; its type is inferred as Kafka\'s Values.parseString does (`42` is an INT8, `true` a BOOLEAN, `[1,2]` an ARRAY, other text a STRING).',
  });

/**
 * Kafka's InsertHeader: appends one header, the same on every record, after the existing headers
 * (a header of the same name is kept: Kafka headers may repeat).
 */
export class InsertHeader implements Transformation {
  private header!: Header;

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'InsertHeader');
    const { schema, value } = parseString(config.getString(VALUE_LITERAL));
    this.header = Object.freeze({ key: config.getString(HEADER) as string, schema, value });
  }

  apply<R extends ConnectRecord>(record: R): R {
    return newRecord(record, { headers: [...record.headers, this.header] });
  }
}

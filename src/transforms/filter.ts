import { ConfigDef, ConnectRecord, Transformation } from '../api';

const CONFIG_DEF = new ConfigDef();

/**
 * Kafka's Filter: drops every record it is applied to. Meant to be used with a predicate
 * (`transforms.<alias>.predicate=...`), so only the records the predicate selects are dropped.
 */
export class Filter implements Transformation {
  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(): void {}

  apply<R extends ConnectRecord>(): R | null {
    return null;
  }
}

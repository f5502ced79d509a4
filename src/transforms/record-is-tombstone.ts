import { ConfigDef, ConnectRecord, Predicate } from '../api';

const NO_KEYS = new ConfigDef();

/** Kafka's RecordIsTombstone: true for records whose value is null (whatever the key). */
export class RecordIsTombstone implements Predicate {
  config(): ConfigDef {
    return NO_KEYS;
  }

  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}

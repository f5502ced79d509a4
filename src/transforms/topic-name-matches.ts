import { ConfigDef, ConfigType, ConnectRecord, Importance, NO_DEFAULT, Predicate, Validator } from '../api';
import { compileJavaRegex, javaRegexValidator, JavaPattern } from './util/java-regex';
import { nonEmptyString } from './util/kafka-validators';

const PATTERN = 'pattern';

const nonEmptyValidRegex: Validator = {
  ensureValid(name, value) {
    nonEmptyString.ensureValid(name, value);
    javaRegexValidator().ensureValid(name, value);
  },
  describe: () => 'non-empty string, valid regex',
};

const CONFIG_DEF = new ConfigDef().define({
  name: PATTERN,
  type: ConfigType.STRING,
  defaultValue: NO_DEFAULT,
  validator: nonEmptyValidRegex,
  importance: Importance.MEDIUM,
  doc: "A Java regular expression the whole of a record's topic name must match.",
});

/** Kafka's TopicNameMatches: true when the whole topic matches `pattern` (Java's Matcher.matches()). */
export class TopicNameMatches implements Predicate {
  private pattern!: JavaPattern;

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    this.pattern = compileJavaRegex(CONFIG_DEF.parse(props, 'TopicNameMatches').getString(PATTERN) as string);
  }

  test(record: ConnectRecord): boolean {
    return record.topic !== null && record.topic !== undefined && this.pattern.matches(record.topic);
  }
}

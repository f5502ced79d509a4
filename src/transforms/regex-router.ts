import { ConfigDef, ConfigError, ConfigType, ConnectRecord, Importance, newRecord, NO_DEFAULT, Transformation } from '../api';
import { compileJavaRegex, javaRegexValidator, JavaPattern, JavaRegexError } from './util/java-regex';
import { compileJavaReplacement, JavaReplacement, replaceFirst } from './util/java-replacement';

const REGEX = 'regex';
const REPLACEMENT = 'replacement';

const CONFIG_DEF = new ConfigDef()
  .define({ name: REGEX, type: ConfigType.STRING, defaultValue: NO_DEFAULT, validator: javaRegexValidator(), importance: Importance.HIGH, doc: 'Regular expression (Java syntax) the whole topic must match.' })
  .define({ name: REPLACEMENT, type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'Replacement string; $1, ${name} refer to groups, \\$ is a literal dollar.' });

/**
 * Kafka's RegexRouter: when the whole topic matches `regex`, the topic becomes Java's
 * `matcher.replaceFirst(replacement)` of it; other records pass unchanged.
 */
export class RegexRouter implements Transformation {
  private regex!: JavaPattern;
  private replacement!: JavaReplacement;

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'RegexRouter');
    this.regex = compileJavaRegex(config.getString(REGEX) as string);
    const replacement = config.getString(REPLACEMENT) as string;
    try {
      this.replacement = compileJavaReplacement(replacement, this.regex);
    } catch (e) {
      // Kafka fails every matching record with this; it can only be a configuration mistake.
      if (e instanceof JavaRegexError) throw ConfigError.invalidValue(REPLACEMENT, replacement, `Invalid replacement for regex ${this.regex.pattern}: ${e.message}`);
      throw e;
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.regex.matches(record.topic)) return record;
    return newRecord(record, { topic: replaceFirst(this.regex, record.topic, this.replacement) });
  }
}

import { ConnectError } from '../../../src/api';
import { DbConnection, SqlValue, TimestampCriteria, TimestampForm } from '../dialect';
import { OffsetTimestamp } from './source-offsets';

/**
 * Timestamp criteria parameters in the form the column stores, for a dialect with
 * timestampCriteria (SQLite): the column is compared and ordered as stored, so an index on it
 * serves and a page stops after its LIMIT rows, and a parameter compares with stored values as the
 * instant it stands for only when it is written the way they are.
 *
 * The form comes from a stored value: the raw value of the last row read, else (at start, after a
 * restart) the newest value in the column. The offset's own row's raw value is bound as is when it
 * is known. Rows of another form than the bound one are reported once: SQLite compares different
 * forms as text or numbers, not as instants, so such rows may be read again or missed.
 */
export class StoredTimestampBinding {
  private form: TimestampForm | null = null;
  private warned = false;

  /**
   * @param label the timestamp column (or COALESCE of several) as written in the SQL, for messages
   * @param warn logs a warning
   */
  constructor(
    private readonly criteria: TimestampCriteria,
    private readonly label: string,
    private readonly timeZone: string,
    private readonly tableName: string,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Takes the form from the newest stored value when none is known yet (`latest.newest` selects
   * it, an index search when the column has an index). The oldest value's form is checked against
   * it: SQLite orders numbers below text, so rows of another form than the newest one often
   * sit at that end, where reading would never reach them. False when the column holds no value:
   * there is nothing to compare yet.
   */
  async resolve(conn: DbConnection, latest: { newest: string; oldest: string }): Promise<boolean> {
    if (this.form !== null) return true;
    const newest = await conn.query(latest.newest);
    if (newest.rows.length === 0) return false;
    const oldest = await conn.query(latest.oldest);
    if (oldest.rows.length > 0) this.observe(oldest.rows[0][0]);
    this.observe(newest.rows[0][0]);
    return true;
  }

  /** The lower bound: `raw`, the offset row's stored value, when known, else the offset in the bound form. */
  begin(offset: OffsetTimestamp, raw: unknown): SqlValue {
    if (raw !== undefined && raw !== null) return raw as SqlValue;
    return this.bound().render(offset, 'exact');
  }

  /** The exclusive upper bound (the database's time minus the delay) in the bound form, rounded down. */
  end(date: Date): SqlValue {
    const millis = date.getTime();
    return this.bound().render({ millis, nanos: (((millis % 1000) + 1000) % 1000) * 1_000_000 }, 'floor');
  }

  /**
   * Each row's raw timestamp value, in order (undefined or null when the row has none). A value of
   * another form than the bound one is reported once; the last value's form is bound next.
   */
  observe(raw: unknown): void {
    if (raw === undefined || raw === null) return;
    const form = this.formOf(raw);
    const bound = this.form;
    if (bound !== null && form.key !== bound.key && !this.warned) {
      this.warned = true;
      this.warn(
        `Timestamp column ${this.label} of ${this.tableName} holds values in different forms: ${bound.description} and ${form.description} ` +
          `(${JSON.stringify(typeof raw === 'bigint' ? String(raw) : raw)}). The database compares the column as stored, not as instants, ` +
          'so rows may be read again or missed; store the column in one form',
      );
    }
    this.form = form;
  }

  private formOf(raw: unknown): TimestampForm {
    return this.criteria.formOf(raw, this.label, this.timeZone);
  }

  private bound(): TimestampForm {
    if (this.form === null) throw new ConnectError('StoredTimestampBinding used before resolve()');
    return this.form;
  }
}

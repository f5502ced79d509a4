import { DataError } from './errors';

/**
 * An exact decimal number, unscaled × 10^-scale (Java's BigDecimal), the value of Decimal fields.
 * Never goes through a JS double, so money and wide database numerics stay exact.
 */
export class BigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale)) throw new DataError(`BigDecimal scale must be an integer, got ${scale}`);
  }

  /** Parses plain or scientific text ("12.30", "-1E+3", "1.5e-7") keeping the written scale. */
  static parse(text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DataError(`Not a decimal number: "${text}"`);
    const frac = m[3] ?? '';
    const unscaled = BigInt(`${m[1] === '-' ? '-' : ''}${m[2] || '0'}${frac}`);
    return new BigDecimal(unscaled, frac.length - Number(m[4] ?? 0));
  }

  /** Exact for integers and for numbers whose shortest decimal form is meant (e.g. 1.1 -> 1.1). */
  static fromNumber(n: number): BigDecimal {
    if (!Number.isFinite(n)) throw new DataError(`Cannot represent ${n} as a decimal`);
    return BigDecimal.parse(String(n));
  }

  /** The same value at another scale; throws if digits would be lost. */
  setScale(scale: number): BigDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const factor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % factor !== 0n) throw new DataError(`Cannot rescale ${this.toString()} to scale ${scale} without rounding`);
    return new BigDecimal(this.unscaled / factor, scale);
  }

  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** The digits without exponent, e.g. 1E+3 -> "1000", 0.00001 -> "0.00001" (Java's toPlainString). */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    let body: string;
    if (this.scale <= 0) body = digits + '0'.repeat(-this.scale);
    else if (digits.length > this.scale) body = `${digits.slice(0, digits.length - this.scale)}.${digits.slice(digits.length - this.scale)}`;
    else body = `0.${'0'.repeat(this.scale - digits.length)}${digits}`;
    return negative ? `-${body}` : body;
  }

  /** Java's BigDecimal.toString: plain unless the scale is negative or the exponent is below -6. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const adjusted = -this.scale + (digits.length - 1);
    if (this.scale >= 0 && adjusted >= -6) return this.toPlainString();
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exp = adjusted === 0 ? '' : adjusted > 0 ? `E+${adjusted}` : `E${adjusted}`;
    return `${negative ? '-' : ''}${mantissa}${exp}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

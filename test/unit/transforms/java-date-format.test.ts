import { ConfigError, DataError } from '../../../src/api';
import { javaDateFormat } from '../../../src/transforms/util/java-date-format';

/** 2025-06-01T00:00Z: two-digit years resolve into 1945..2044 as Java's would at this time. */
const NOW = Date.UTC(2025, 5, 1);

// Expected strings produced once by java.text.SimpleDateFormat on OpenJDK 17 (locale en, zone UTC).
const FORMAT_GOLDEN: ReadonlyArray<[string, ReadonlyArray<[number, string]>]> = [
  ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", [[0, '1970-01-01T00:00:00.000+0000'], [1700000000123, '2023-11-14T22:13:20.123+0000'], [1735603200000, '2024-12-31T00:00:00.000+0000'], [1735689599999, '2024-12-31T23:59:59.999+0000'], [951782400000, '2000-02-29T00:00:00.000+0000'], [-1, '1969-12-31T23:59:59.999+0000'], [86400001, '1970-01-02T00:00:00.001+0000'], [4102444800000, '2100-01-01T00:00:00.000+0000'], [1704067200000, '2024-01-01T00:00:00.000+0000'], [1709164800000, '2024-02-29T00:00:00.000+0000'], [43200000, '1970-01-01T12:00:00.000+0000'], [-62135596800000, '0001-01-03T00:00:00.000+0000'], [253402300799999, '9999-12-31T23:59:59.999+0000']]],
  ['yyyyMMdd', [[0, '19700101'], [1700000000123, '20231114'], [1735603200000, '20241231'], [1735689599999, '20241231'], [951782400000, '20000229'], [-1, '19691231'], [86400001, '19700102'], [4102444800000, '21000101'], [1704067200000, '20240101'], [1709164800000, '20240229'], [43200000, '19700101'], [-62135596800000, '00010103'], [253402300799999, '99991231']]],
  ['yyyy-MM-dd HH:mm:ss', [[0, '1970-01-01 00:00:00'], [1700000000123, '2023-11-14 22:13:20'], [1735603200000, '2024-12-31 00:00:00'], [1735689599999, '2024-12-31 23:59:59'], [951782400000, '2000-02-29 00:00:00'], [-1, '1969-12-31 23:59:59'], [86400001, '1970-01-02 00:00:00'], [4102444800000, '2100-01-01 00:00:00'], [1704067200000, '2024-01-01 00:00:00'], [1709164800000, '2024-02-29 00:00:00'], [43200000, '1970-01-01 12:00:00'], [-62135596800000, '0001-01-03 00:00:00'], [253402300799999, '9999-12-31 23:59:59']]],
  ['EEE, d MMM yyyy HH:mm:ss Z', [[0, 'Thu, 1 Jan 1970 00:00:00 +0000'], [1700000000123, 'Tue, 14 Nov 2023 22:13:20 +0000'], [1735603200000, 'Tue, 31 Dec 2024 00:00:00 +0000'], [1735689599999, 'Tue, 31 Dec 2024 23:59:59 +0000'], [951782400000, 'Tue, 29 Feb 2000 00:00:00 +0000'], [-1, 'Wed, 31 Dec 1969 23:59:59 +0000'], [86400001, 'Fri, 2 Jan 1970 00:00:00 +0000'], [4102444800000, 'Fri, 1 Jan 2100 00:00:00 +0000'], [1704067200000, 'Mon, 1 Jan 2024 00:00:00 +0000'], [1709164800000, 'Thu, 29 Feb 2024 00:00:00 +0000'], [43200000, 'Thu, 1 Jan 1970 12:00:00 +0000'], [-62135596800000, 'Mon, 3 Jan 0001 00:00:00 +0000'], [253402300799999, 'Fri, 31 Dec 9999 23:59:59 +0000']]],
  ['G GGGG y yy yyy yyyyy Y YY YYYY', [[0, 'AD AD 1970 70 1970 01970 1970 70 1970'], [1700000000123, 'AD AD 2023 23 2023 02023 2023 23 2023'], [1735603200000, 'AD AD 2024 24 2024 02024 2025 25 2025'], [1735689599999, 'AD AD 2024 24 2024 02024 2025 25 2025'], [951782400000, 'AD AD 2000 00 2000 02000 2000 00 2000'], [-1, 'AD AD 1969 69 1969 01969 1970 70 1970'], [86400001, 'AD AD 1970 70 1970 01970 1970 70 1970'], [4102444800000, 'AD AD 2100 00 2100 02100 2100 00 2100'], [1704067200000, 'AD AD 2024 24 2024 02024 2024 24 2024'], [1709164800000, 'AD AD 2024 24 2024 02024 2024 24 2024'], [43200000, 'AD AD 1970 70 1970 01970 1970 70 1970'], [-62135596800000, 'AD AD 1 01 001 00001 1 01 0001'], [253402300799999, 'AD AD 9999 99 9999 09999 10000 00 10000']]],
  ['M MM MMM MMMM L LL LLL LLLL', [[0, '1 01 Jan January 1 01 Jan January'], [1700000000123, '11 11 Nov November 11 11 Nov November'], [1735603200000, '12 12 Dec December 12 12 Dec December'], [1735689599999, '12 12 Dec December 12 12 Dec December'], [951782400000, '2 02 Feb February 2 02 Feb February'], [-1, '12 12 Dec December 12 12 Dec December'], [86400001, '1 01 Jan January 1 01 Jan January'], [4102444800000, '1 01 Jan January 1 01 Jan January'], [1704067200000, '1 01 Jan January 1 01 Jan January'], [1709164800000, '2 02 Feb February 2 02 Feb February'], [43200000, '1 01 Jan January 1 01 Jan January'], [-62135596800000, '1 01 Jan January 1 01 Jan January'], [253402300799999, '12 12 Dec December 12 12 Dec December']]],
  ['d dd D DDD E EEEE u uu F w ww W', [[0, '1 01 1 001 Thu Thursday 4 04 1 1 01 1'], [1700000000123, '14 14 318 318 Tue Tuesday 2 02 2 46 46 3'], [1735603200000, '31 31 366 366 Tue Tuesday 2 02 5 1 01 5'], [1735689599999, '31 31 366 366 Tue Tuesday 2 02 5 1 01 5'], [951782400000, '29 29 60 060 Tue Tuesday 2 02 5 10 10 5'], [-1, '31 31 365 365 Wed Wednesday 3 03 5 1 01 5'], [86400001, '2 02 2 002 Fri Friday 5 05 1 1 01 1'], [4102444800000, '1 01 1 001 Fri Friday 5 05 1 1 01 1'], [1704067200000, '1 01 1 001 Mon Monday 1 01 1 1 01 1'], [1709164800000, '29 29 60 060 Thu Thursday 4 04 5 9 09 5'], [43200000, '1 01 1 001 Thu Thursday 4 04 1 1 01 1'], [-62135596800000, '3 03 3 003 Mon Monday 1 01 1 2 02 2'], [253402300799999, '31 31 365 365 Fri Friday 5 05 5 1 01 5']]],
  ['h hh H k K a', [[0, '12 12 0 24 0 AM'], [1700000000123, '10 10 22 22 10 PM'], [1735603200000, '12 12 0 24 0 AM'], [1735689599999, '11 11 23 23 11 PM'], [951782400000, '12 12 0 24 0 AM'], [-1, '11 11 23 23 11 PM'], [86400001, '12 12 0 24 0 AM'], [4102444800000, '12 12 0 24 0 AM'], [1704067200000, '12 12 0 24 0 AM'], [1709164800000, '12 12 0 24 0 AM'], [43200000, '12 12 12 12 0 PM'], [-62135596800000, '12 12 0 24 0 AM'], [253402300799999, '11 11 23 23 11 PM']]],
  ['s ss S SS SSS SSSS', [[0, '0 00 0 00 000 0000'], [1700000000123, '20 20 123 123 123 0123'], [1735603200000, '0 00 0 00 000 0000'], [1735689599999, '59 59 999 999 999 0999'], [951782400000, '0 00 0 00 000 0000'], [-1, '59 59 999 999 999 0999'], [86400001, '0 00 1 01 001 0001'], [4102444800000, '0 00 0 00 000 0000'], [1704067200000, '0 00 0 00 000 0000'], [1709164800000, '0 00 0 00 000 0000'], [43200000, '0 00 0 00 000 0000'], [-62135596800000, '0 00 0 00 000 0000'], [253402300799999, '59 59 999 999 999 0999']]],
  ['z zzzz Z X XX XXX', [[0, 'UTC Coordinated Universal Time +0000 Z Z Z'], [1700000000123, 'UTC Coordinated Universal Time +0000 Z Z Z'], [1735603200000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [1735689599999, 'UTC Coordinated Universal Time +0000 Z Z Z'], [951782400000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [-1, 'UTC Coordinated Universal Time +0000 Z Z Z'], [86400001, 'UTC Coordinated Universal Time +0000 Z Z Z'], [4102444800000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [1704067200000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [1709164800000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [43200000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [-62135596800000, 'UTC Coordinated Universal Time +0000 Z Z Z'], [253402300799999, 'UTC Coordinated Universal Time +0000 Z Z Z']]],
  ["'o''clock' '' hh 'h'", [[0, "o'clock ' 12 h"], [1700000000123, "o'clock ' 10 h"], [1735603200000, "o'clock ' 12 h"], [1735689599999, "o'clock ' 11 h"], [951782400000, "o'clock ' 12 h"], [-1, "o'clock ' 11 h"], [86400001, "o'clock ' 12 h"], [4102444800000, "o'clock ' 12 h"], [1704067200000, "o'clock ' 12 h"], [1709164800000, "o'clock ' 12 h"], [43200000, "o'clock ' 12 h"], [-62135596800000, "o'clock ' 12 h"], [253402300799999, "o'clock ' 11 h"]]],
  ["yyyy.MM.dd G 'at' HH:mm:ss z", [[0, '1970.01.01 AD at 00:00:00 UTC'], [1700000000123, '2023.11.14 AD at 22:13:20 UTC'], [1735603200000, '2024.12.31 AD at 00:00:00 UTC'], [1735689599999, '2024.12.31 AD at 23:59:59 UTC'], [951782400000, '2000.02.29 AD at 00:00:00 UTC'], [-1, '1969.12.31 AD at 23:59:59 UTC'], [86400001, '1970.01.02 AD at 00:00:00 UTC'], [4102444800000, '2100.01.01 AD at 00:00:00 UTC'], [1704067200000, '2024.01.01 AD at 00:00:00 UTC'], [1709164800000, '2024.02.29 AD at 00:00:00 UTC'], [43200000, '1970.01.01 AD at 12:00:00 UTC'], [-62135596800000, '0001.01.03 AD at 00:00:00 UTC'], [253402300799999, '9999.12.31 AD at 23:59:59 UTC']]],
  ["hh 'o''clock' a, zzzz", [[0, "12 o'clock AM, Coordinated Universal Time"], [1700000000123, "10 o'clock PM, Coordinated Universal Time"], [1735603200000, "12 o'clock AM, Coordinated Universal Time"], [1735689599999, "11 o'clock PM, Coordinated Universal Time"], [951782400000, "12 o'clock AM, Coordinated Universal Time"], [-1, "11 o'clock PM, Coordinated Universal Time"], [86400001, "12 o'clock AM, Coordinated Universal Time"], [4102444800000, "12 o'clock AM, Coordinated Universal Time"], [1704067200000, "12 o'clock AM, Coordinated Universal Time"], [1709164800000, "12 o'clock AM, Coordinated Universal Time"], [43200000, "12 o'clock PM, Coordinated Universal Time"], [-62135596800000, "12 o'clock AM, Coordinated Universal Time"], [253402300799999, "11 o'clock PM, Coordinated Universal Time"]]],
  ['yyMMddHHmmssZ', [[0, '700101000000+0000'], [1700000000123, '231114221320+0000'], [1735603200000, '241231000000+0000'], [1735689599999, '241231235959+0000'], [951782400000, '000229000000+0000'], [-1, '691231235959+0000'], [86400001, '700102000000+0000'], [4102444800000, '000101000000+0000'], [1704067200000, '240101000000+0000'], [1709164800000, '240229000000+0000'], [43200000, '700101120000+0000'], [-62135596800000, '010103000000+0000'], [253402300799999, '991231235959+0000']]],
  ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", [[0, '1970-01-01T00:00:00.000Z'], [1700000000123, '2023-11-14T22:13:20.123Z'], [1735603200000, '2024-12-31T00:00:00.000Z'], [1735689599999, '2024-12-31T23:59:59.999Z'], [951782400000, '2000-02-29T00:00:00.000Z'], [-1, '1969-12-31T23:59:59.999Z'], [86400001, '1970-01-02T00:00:00.001Z'], [4102444800000, '2100-01-01T00:00:00.000Z'], [1704067200000, '2024-01-01T00:00:00.000Z'], [1709164800000, '2024-02-29T00:00:00.000Z'], [43200000, '1970-01-01T12:00:00.000Z'], [-62135596800000, '0001-01-03T00:00:00.000Z'], [253402300799999, '9999-12-31T23:59:59.999Z']]],
  ['YYYY-ww', [[0, '1970-01'], [1700000000123, '2023-46'], [1735603200000, '2025-01'], [1735689599999, '2025-01'], [951782400000, '2000-10'], [-1, '1970-01'], [86400001, '1970-01'], [4102444800000, '2100-01'], [1704067200000, '2024-01'], [1709164800000, '2024-09'], [43200000, '1970-01'], [-62135596800000, '0001-02'], [253402300799999, '10000-01']]],
  [
    'G yyyy yy Y MMM MMMM dd D E u F w W HH k K h a mm ss SSS Z',
    [
      [45512736006573, 'AD 3412 12 3412 Mar March 29 89 Sun 7 5 14 5 18 18 6 6 PM 40 06 573 +0000'],
      [-1530244357338, 'AD 1921 21 1921 Jul July 05 186 Tue 2 1 28 2 20 20 8 8 PM 07 22 662 +0000'],
      [-93716352234683, 'BC 1001 01 -1000 Apr April 09 100 Mon 1 2 15 2 23 23 11 11 PM 56 05 317 +0000'],
      [-69793689094248, 'BC 0243 43 -242 May May 03 123 Sat 6 1 18 1 16 16 4 4 PM 08 25 752 +0000'],
    ],
  ],
];

// [pattern, text, epoch millis from SimpleDateFormat.parse(String), or null where it threw ParseException]
const PARSE_GOLDEN: ReadonlyArray<[string, string, number | null]> = [
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', '2023-11-14T22:13:20.123+0000', 1700000000123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', '2023-11-14T22:13:20.123-0130', 1700005400123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', '2023-11-14T22:13:20.123GMT+01:00', 1699996400123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', '2023-11-14T22:13:20.123UTC', 1700000000123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', '2023-11-14T22:13:20.123', null],
  ['yyyyMMdd', '20240229', 1709164800000],
  ['yyyyMMdd', '2024022', 1706832000000],
  ['yyyyMMdd', '20241340', 1739059200000],
  ['yyyyMMdd', '2024-1-1', 1698624000000],
  ['yyyy-MM-dd', '2024-1-5', 1704412800000],
  ['yyyy-MM-dd', '2024-01-05T10:00:00 trailing', 1704412800000],
  ['yyyy-MM-dd', '  2024- 01-05', 1704412800000],
  ['yyyy-MM-dd', 'garbage', null],
  ['yyyy-MM-dd', '2024/01/05', null],
  ['yyyy-MM-dd HH:mm:ss', '2024-01-05 25:61:61', 1704506521000],
  ['yyyy-MM-dd HH:mm:ss', '2024-01-05 10:11', null],
  ['EEE, d MMM yyyy HH:mm:ss Z', 'Tue, 14 Nov 2023 22:13:20 +0000', 1700000000000],
  ['EEE, d MMM yyyy HH:mm:ss Z', 'wednesday, 14 november 2023 22:13:20 +0200', 1699992800000],
  ['EEE, d MMM yyyy HH:mm:ss Z', 'Xyz, 14 Nov 2023 22:13:20 +0000', null],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX', '2023-11-14T22:13:20.123Z', 1700000000123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX', '2023-11-14T22:13:20.123+05:30', 1699980200123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX', '2023-11-14T22:13:20.123+0530', null],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSX', '2023-11-14T22:13:20.123+05', 1699982000123],
  ['yyyy-MM-dd\'T\'HH:mm:ss.SSSXX', '2023-11-14T22:13:20.123-0800', 1700028800123],
  ['yy-MM-dd', '24-03-01', 1709251200000],
  ['yy-MM-dd', '99-03-01', 920246400000],
  ['yy-MM-dd', '2024-03-01', 1709251200000],
  ['yyyy-DDD', '2024-060', 1709164800000],
  ['hh:mm a', '12:30 AM', 1800000],
  ['hh:mm a', '12:30 pm', 45000000],
  ['hh:mm a', '01:30 PM', 48600000],
  ['yyyy.MM.dd G \'at\' HH:mm:ss z', '1970.01.01 AD at 00:00:00 UTC', 0],
  ['dd MMM yyyy', '05 September 2024', 1725494400000],
  ['dd MMM yyyy', '05 Sep 2024', 1725494400000],
  ['dd MMMM yyyy', '05 Sep 2024', 1725494400000],
  ['yyyy-MM-dd', '0001-01-01', -62135769600000],
  ['yyyy-MM-dd', '1582-10-10', -12218860800000],
  ['yyyy-MM-dd', '1582-10-15', -12219292800000],
  ['yyyy-MM-dd', '-0005-01-01', -62325158400000],
  ['HH:mm:ss.SSS', '10:00:00.5', 36000005],
  ['HHmmss', '123456', 45296000],
  ['\'at\' HH', 'at 5', 18000000],
  ['\'at\' HH', 'At 5', null],
  ['yyyy-MM-dd HH:mm:ss', '2024-01-05\t10:11:12', null],
  ['k:mm', '24:30', 1800000],
  ['K:mm a', '11:30 PM', 84600000],
  // Found by comparing random mutations of formatted dates with Java: blanks inside abutting digits, before names.
  ['yyyyMMdd', '2 50225', -62074512000000],
  ['yyyyMMddHHmmss', ' 2045042015190', -55597183650000],
  ['yyyyMMddHHmmss', '1996050718 54M22', 831492304000],
  ['dd/MM/yy hh:mm a', '31/01/03 07:4  PM', null],
  ['dd/MM/yy hh:mm a', '31/01/03 07:4 PM', 1044039840000],
];

describe('javaDateFormat', () => {
  describe.each(FORMAT_GOLDEN)('format %s', (pattern, cases) => {
    const format = javaDateFormat(pattern, NOW);
    it.each(cases)('%p', (millis, expected) => {
      expect(format.format(millis)).toBe(expected);
    });
  });

  it.each(PARSE_GOLDEN)('parses %s from %p as Java does', (pattern, text, expected) => {
    expect(javaDateFormat(pattern, NOW).parse(text)).toBe(expected);
  });

  it('reads back what it formats', () => {
    const format = javaDateFormat("EEE, d MMM yyyy HH:mm:ss.SSS Z", NOW);
    for (const millis of [0, 1700000000123, -86_400_001, 253402300799999]) expect(format.parse(format.format(millis))).toBe(millis);
  });

  it('rejects what Java rejects when the pattern is compiled', () => {
    expect(() => javaDateFormat('yyyy-qq')).toThrow(new ConfigError("Illegal pattern character 'q'"));
    expect(() => javaDateFormat("yyyy 'T")).toThrow(new ConfigError('Unterminated quote'));
    expect(() => javaDateFormat('HH:mm XXXX')).toThrow(new ConfigError('invalid ISO 8601 format: length=4'));
  });

  it('keeps the pattern as given', () => {
    expect(javaDateFormat("yyyy-MM-dd'T'HH").pattern).toBe("yyyy-MM-dd'T'HH");
  });

  it('says which letters it cannot parse', () => {
    expect(() => javaDateFormat('YYYY-ww', NOW).parse('2024-01')).toThrow(new DataError("Parsing the pattern letter 'Y' is not supported"));
  });
});

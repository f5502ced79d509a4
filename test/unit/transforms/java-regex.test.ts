import { compileJavaRegex, JavaRegexError } from '../../../src/transforms/util/java-regex';
import { compileJavaReplacement, replaceFirst } from '../../../src/transforms/util/java-replacement';

/** Java 17's `Pattern.compile(p).matcher(input)`: matches(), then replaceFirst(replacement) when it matched (null: no match). */
const JAVA_GOLDEN: [string, string, string, string | null][] = [
    ["(.*)-(\\d+)", "orders-2024", "x_$2_$1", "x_2024_orders"],
    ["a|ab", "ab", "X", "Xb"],
    [".*?", "foo", "x", "xfoo"],
    ["(?i)ORDERS", "orders", "$0", "orders"],
    ["[a-z&&[^aeiou]]+", "bcd", "$0", "bcd"],
    ["[a-z&&[^aeiou]]+", "bad", "$0", null],
    ["\\Qa.b\\E", "a.b", "$0", "a.b"],
    ["\\Qa.b\\E", "axb", "$0", null],
    ["\\Qab\\E*", "abbb", "$0", "abbb"],
    ["(?x) a b # comment\n c", "abc", "$0", "abc"],
    ["(?x)[a b]+", "ab", "$0", "ab"],
    ["(?x)[a b]+", "a b", "$0", null],
    ["\\p{Lower}+", "abc", "$0", "abc"],
    ["\\p{IsLatin}+", "abc", "$0", "abc"],
    ["\\p{L}+", "abcé", "$0", "abcé"],
    ["\\pL+", "abcé", "$0", "abcé"],
    ["\\P{L}+", "123", "$0", "123"],
    ["[\\P{L}]+", "123", "$0", "123"],
    ["[^\\p{L}x]+", "123", "$0", "123"],
    ["[]a]+", "]a", "$0", "]a"],
    ["(?<t>.*)\\.raw", "x.raw", "clean.${t}", "clean.x"],
    ["(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "abcdefghijk", "$11-$10-$1", "k-j-a"],
    ["(a)", "a", "$12", "a2"],
    ["(a)", "a", "\\$1 costs \\\\", "$1 costs \\"],
    ["(a)?b", "b", "[$1]", "[]"],
    ["\\x41\\u0042\\0103\\x{44}", "ABCD", "$0", "ABCD"],
    ["\\0777", "?7", "$0", "?7"],
    ["a{2,3}", "aaa", "$0", "aaa"],
    ["a{2,3}?", "aaa", "$0", "aaa"],
    ["(?i)[^a]", "A", "$0", null],
    ["(?i)[x-z]", "Y", "$0", "Y"],
    ["(?i)[X-z]+", "xYz_^", "$0", "xYz_^"],
    ["(?i:a)b", "Ab", "$0", "Ab"],
    ["(?i:a)b", "AB", "$0", null],
    ["a(?i)b|c", "aB", "$0", "aB"],
    ["a(?i)b|c", "C", "$0", "C"],
    ["(a(?i)b)c", "aBC", "$0", null],
    ["(a(?i)b)c", "aBc", "$0", "aBc"],
    ["\\w+\\s\\S", "ab c", "$0", "ab c"],
    ["\\s", " ", "$0", null],
    ["\\h", " ", "$0", " "],
    ["\\v", "\u000b", "$0", "\u000b"],
    ["\\v", "\n", "$0", "\n"],
    ["\\R", "\r\n", "$0", "\r\n"],
    [".", "", "$0", null],
    ["(?s).", "\n", "$0", "\n"],
    ["(?d).", "\r", "$0", "\r"],
    ["abc$", "abc\n", "$0", null],
    ["(abc$)\\n", "abc\n", "$0", "abc\n"],
    ["(?m)^a$\\n^b$", "a\nb", "$0", "a\nb"],
    ["\\Aab\\z", "ab", "$0", "ab"],
    ["ab\\Z\\n", "ab\n", "$0", "ab\n"],
    ["\\Gab", "ab", "$0", "ab"],
    ["(a)\\1", "aa", "$0", "aa"],
    ["(a)\\2", "aa", "$0", null],
    ["(a)\\11", "aa1", "$0", "aa1"],
    ["(?<n>a)\\k<n>", "aa", "$0", "aa"],
    ["(?=a)*a", "a", "$0", "a"],
    ["(?<=a)b|ab", "ab", "$0", "ab"],
    ["[a-c[x-z]]+", "axbz", "$0", "axbz"],
    ["[^a-c[x-z]]+", "mn", "$0", "mn"],
    ["[^a-c[x-z]]+", "ma", "$0", null],
    ["[a-z&&b-d&&c]", "c", "$0", "c"],
    ["[\\d&&[^1]]+", "0234", "$0", "0234"],
    ["[\\d&&[^1]]+", "01", "$0", null],
    ["\\p{Punct}+", "!-_~", "$0", "!-_~"],
    ["\\p{javaLowerCase}+", "aé", "$0", "aé"],
    ["\\p{IsAlphabetic}+", "aé", "$0", "aé"],
    ["\\p{IsLu}", "A", "$0", "A"],
    ["\\p{script=Greek}", "α", "$0", "α"],
    ["\\p{gc=Nd}", "5", "$0", "5"],
    ["{1}", "a", "$0", null],
    ["\\-\\_\\#", "-_#", "$0", "-_#"],
    ["\\cA", "\u0001", "$0", "\u0001"],
    ["\\e\\a\\t", "\u001b\u0007\t", "$0", "\u001b\u0007\t"],
    ["x\\x{1F600}", "x😀", "$0", "x😀"],
    ["\\uD83D\\uDE00.", "😀😀", "$0", "😀😀"],
    [".", "😀", "$0", "😀"],
    ["[😀-😂]", "😁", "$0", "😁"],
    ["", "", "$0", ""],
    ["^$", "", "$0", ""],
    ["(?i)é", "É", "$0", null],
    ["(?iu)é", "É", "$0", "É"],
    ["(?iu)[é]", "É", "$0", "É"],
    ["[a-]+", "a-", "$0", "a-"],
    ["[-a]+", "a-", "$0", "a-"],
    ["[a\\-z]+", "-", "$0", "-"],
    ["[\\Q]^\\E]+", "]^", "$0", "]^"],
    ["(?<name1>x)(y)", "xy", "$2${name1}", "yx"],
    ["logs-(\\w+)-(?:prod|dev)", "logs-app-prod", "$1.archive", "app.archive"],
    ["(.*)", "topic", "prefix-$1", "prefix-topic"],
    ["(.*)", "topic", "$0$0", "topictopic"],
    ["t(o)p", "top", "$01", "o"],
    ["[\\w.-]+", "my.topic-1", "$0", "my.topic-1"],
    ["a#b", "a#b", "$0", "a#b"],
    ["(?x)a\\ b", "a b", "$0", "a b"],
    ["[[:alpha:]]+", ":alph", "$0", ":alph"],
    ["\\b\\w+\\b", "abc", "$0", "abc"],
    ["(a|b)*c", "ababc", "<$1>", "<b>"],
    ["{1}", "", "$0", ""],
    ["{1}", "a", "$0", null],
    ["x{1}{2}", "x", "$0", "x"],
    ["}", "}", "$0", "}"],
    ["a|{2}", "", "$0", ""],
    ["({1})", "", "$0", ""],
    ["]", "]", "$0", "]"],
    ["a{1}{2}", "a", "$0", "a"],
    ["(?i)\\p{Lower}", "A", "$0", "A"],
    ["(?i)\\p{Upper}", "a", "$0", "a"],
    ["(?i)\\p{IsLowercase}", "A", "$0", "A"],
    ["(?-i)a", "a", "$0", "a"],
    ["(?i-i)a", "A", "$0", null],
    ["(?i)a(?-i)b", "AB", "$0", null],
    ["\\8", "8", "$0", null],
    ["(?i)\\p{Lu}", "a", "$0", "a"],
    ["(?i)\\p{javaUpperCase}", "a", "$0", "a"],
    ["(?i)\\p{Lt}", "a", "$0", "a"],
    ["(?i)\\P{Lower}", "a", "$0", null],
    ["(?i)[^\\p{Lower}]", "A", "$0", null],
    ["(?i)\\p{Ll}", "1", "$0", null],
    ["(?i)\\p{Lu}", "é", "$0", "é"],
];

describe('Java regular expressions on the JavaScript engine', () => {
  it.each(JAVA_GOLDEN)('%j on %j with %j gives what Java gives', (pattern, input, replacement, expected) => {
    const compiled = compileJavaRegex(pattern);
    expect(compiled.matches(input)).toBe(expected !== null);
    if (expected !== null) expect(replaceFirst(compiled, input, compileJavaReplacement(replacement, compiled))).toBe(expected);
  });

  it.each([
    ['(', 'Unclosed group'],
    ['a)', "Unmatched closing ')'"],
    ['*a', "Dangling meta character '*'"],
    ['a{', 'Illegal repetition'],
    ['{a}', 'Illegal repetition'],
    ['a{3,1}', 'Illegal repetition range'],
    ['[a', 'Unclosed character class'],
    ['[z-a]', 'Illegal character range'],
    ['\\y', 'Illegal/unsupported escape sequence'],
    ['\\p{Nope}', 'Unknown character property name {Nope}'],
    ['\\k<n>', 'named capturing group <n> does not exist'],
    ['(?<n>a)(?<n>b)', 'Named capturing group <n> is already defined'],
  ])('refuses %j as Java does: %s', (pattern, message) => {
    expect(() => compileJavaRegex(pattern)).toThrow(JavaRegexError);
    expect(() => compileJavaRegex(pattern)).toThrow(new RegExp(`^${message.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} near index \\d+$`));
  });

  it.each([
    ['a++', 'Possessive quantifiers'],
    ['a{2}+', 'Possessive quantifiers'],
    ['(?>a)', 'Atomic groups'],
    ['\\p{InGreek}', 'Unicode blocks'],
    ['\\p{block=Greek}', 'Unicode blocks'],
    ['(?U)\\w', 'UNICODE_CHARACTER_CLASS'],
    ['(?i)(a)\\1', 'Case-insensitive back references'],
    ['\\X', '\\X cannot be run'],
    ['\\b{g}', '\\b{g} cannot be run'],
  ])('refuses %j, which Java runs but JavaScript cannot, saying so', (pattern, what) => {
    expect(() => compileJavaRegex(pattern)).toThrow(JavaRegexError);
    expect(() => compileJavaRegex(pattern)).toThrow(what);
  });

  it('counts groups and names them', () => {
    const p = compileJavaRegex('(?<env>\\w+)-(?:x)(\\d)(?=y)');
    expect(p.groupCount).toBe(2);
    expect([...p.groupNames]).toEqual([['env', 1]]);
  });

  it.each([
    ['$', 'Illegal group reference: group index is missing'],
    ['\\', 'character to be escaped is missing'],
    ['$x', 'Illegal group reference'],
    ['$2', 'No group 2'],
    ['${}', 'named capturing group has 0 length name'],
    ['${a', "named capturing group is missing trailing '}'"],
    ['${1a}', 'capturing group name {1a} starts with digit character'],
    ['${b}', 'No group with name {b}'],
  ])('refuses the replacement %j with Java\'s message', (replacement, message) => {
    expect(() => compileJavaReplacement(replacement, compileJavaRegex('(?<a>x)'))).toThrow(new JavaRegexError(message));
  });

  it('reads $11 as group 11 only when it exists, and a literal \\$ as a dollar', () => {
    const two = compileJavaRegex('(a)(b)');
    expect(compileJavaReplacement('$11\\$', two)).toEqual([1, '1$']);
  });
});

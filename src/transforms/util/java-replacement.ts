import { isDigit } from './java-regex-classes';
import { JavaPattern, JavaRegexError } from './java-regex';

/** A parsed Java replacement string (Matcher.appendReplacement syntax): literals and group numbers. */
export type JavaReplacement = readonly (string | number)[];

/**
 * Parses a replacement as Java's Matcher.appendReplacement reads it: `$n` (digits taken while the
 * group exists), `${name}`, `\x` for a literal x. Errors are Java's, raised here rather than on the
 * first matching record.
 */
export function compileJavaReplacement(replacement: string, pattern: JavaPattern): JavaReplacement {
  const parts: (string | number)[] = [];
  let literal = '';
  let i = 0;
  while (i < replacement.length) {
    const ch = replacement[i];
    if (ch === '\\') {
      i++;
      if (i === replacement.length) throw new JavaRegexError('character to be escaped is missing');
      literal += replacement[i++];
    } else if (ch === '$') {
      i++;
      if (i === replacement.length) throw new JavaRegexError('Illegal group reference: group index is missing');
      let ref: number;
      if (replacement[i] === '{') {
        i++;
        const name = /^[a-zA-Z0-9]*/.exec(replacement.slice(i))?.[0] ?? '';
        i += name.length;
        if (name.length === 0) throw new JavaRegexError('named capturing group has 0 length name');
        if (replacement[i] !== '}') throw new JavaRegexError("named capturing group is missing trailing '}'");
        if (isDigit(name[0])) throw new JavaRegexError(`capturing group name {${name}} starts with digit character`);
        const n = pattern.groupNames.get(name);
        if (n === undefined) throw new JavaRegexError(`No group with name {${name}}`);
        ref = n;
        i++;
      } else {
        if (!isDigit(replacement[i])) throw new JavaRegexError('Illegal group reference');
        ref = Number(replacement[i++]);
        while (isDigit(replacement[i]) && ref * 10 + Number(replacement[i]) <= pattern.groupCount) ref = ref * 10 + Number(replacement[i++]);
        if (ref > pattern.groupCount) throw new JavaRegexError(`No group ${ref}`);
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(ref);
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/**
 * Java's `matcher.replaceFirst(replacement)`: the first match anywhere in the input (not necessarily
 * the whole input) replaced; a group that did not take part adds nothing.
 */
export function replaceFirst(pattern: JavaPattern, input: string, replacement: JavaReplacement): string {
  const m = pattern.find(input);
  if (m === null) return input;
  let out = input.slice(0, m.index);
  for (const part of replacement) out += typeof part === 'string' ? part : (m[part] ?? '');
  return out + input.slice(m.index + m[0].length);
}

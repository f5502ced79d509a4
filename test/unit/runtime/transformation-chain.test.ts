import { ConnectError, DataError, sourceRecord, SourceRecord } from '../../../src/api';
import { Stage } from '../../../src/runtime/errors/error-context';
import { TransformationChain, TransformationFailure } from '../../../src/runtime/transformation-chain';
import { NO_TRANSFORMS, parseTransformsConfig, TransformsConfig } from '../../../src/runtime/transformation-config';
import { FakeTime, RecordingLogger, RecordingReporter, testOperator } from './fakes';
import { created, transformRegistry } from './test-transforms';

function config(props: Record<string, string>): TransformsConfig {
  const list = (key: string) => (props[key] ? props[key].split(',') : []);
  return parseTransformsConfig(props, list('transforms'), list('predicates'), transformRegistry());
}

function chainOf(props: Record<string, string>): TransformationChain {
  const chain = TransformationChain.create(config(props), new RecordingLogger());
  if (!chain) throw new Error('expected a chain');
  return chain;
}

const rec = (value: string, topic = 'lines'): SourceRecord => sourceRecord({ topic, value, sourcePartition: { file: 'a' }, sourceOffset: { position: 1 } });

function failureOf(fn: () => unknown): TransformationFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof TransformationFailure) return err;
    throw err;
  }
  throw new Error('expected a TransformationFailure');
}

describe('TransformationChain', () => {
  beforeEach(() => created.splice(0));

  it('is null without transforms, so the tasks skip it', () => {
    expect(TransformationChain.create(NO_TRANSFORMS, new RecordingLogger())).toBeNull();
  });

  it('applies the stages in order, keeping the fields it does not change, never mutating the input', () => {
    const chain = chainOf({ transforms: 'a,r,b', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '1', 'transforms.r.type': 'Route', 'transforms.b.type': 'Suffix', 'transforms.b.suffix': '2' });
    const input = rec('x');
    const snapshot = { ...input };
    const out = chain.apply(input);
    expect(out).toEqual({ ...input, value: 'x12', topic: 'lines-routed' });
    expect(out?.sourceOffset).toBe(input.sourceOffset);
    expect(input).toEqual(snapshot);
  });

  it('a stage with a predicate runs when test() XOR negate', () => {
    const props = {
      transforms: 'a',
      'transforms.a.type': 'Suffix',
      'transforms.a.suffix': '!',
      'transforms.a.predicate': 'p',
      predicates: 'p',
      'predicates.p.type': 'ValueStartsWith',
      'predicates.p.prefix': 'keep',
    };
    const plain = chainOf(props);
    expect(plain.apply(rec('keep-me'))?.value).toBe('keep-me!');
    expect(plain.apply(rec('other'))?.value).toBe('other');
    const negated = chainOf({ ...props, 'transforms.a.negate': 'true' });
    expect(negated.apply(rec('keep-me'))?.value).toBe('keep-me');
    expect(negated.apply(rec('other'))?.value).toBe('other!');
  });

  it('a stage returning null drops the record and ends the chain', () => {
    const chain = chainOf({ transforms: 'a,b', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '1', 'transforms.a.drop': 'gone', 'transforms.b.type': 'Suffix', 'transforms.b.suffix': '2', 'transforms.b.fail': 'gone1' });
    expect(chain.apply(rec('gone'))).toBeNull();
  });

  it('a throwing stage surfaces as a TransformationFailure with the stage and the record it was given', () => {
    const chain = chainOf({ transforms: 'r,a', 'transforms.r.type': 'Route', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '!', 'transforms.a.fail': 'bad' });
    const failure = failureOf(() => chain.apply(rec('bad')));
    expect(failure.stageIndex).toBe(1);
    expect(failure.input.topic).toBe('lines-routed');
    expect((failure.error as Error).message).toBe('Suffix refuses bad');
  });

  it('errors.tolerance=all: a failed stage is reported at stage TRANSFORMATION with the Java class name and the record is skipped', async () => {
    const chain = chainOf({ transforms: 'a', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '!', 'transforms.a.fail': 'bad' });
    const reporter = new RecordingReporter();
    const operator = testOperator({ tolerance: 'all' }, [reporter], new FakeTime());
    const original = rec('bad');
    const failure = failureOf(() => chain.apply(original));
    expect(await chain.applyWithErrorHandling(failure, operator, { sourceRecord: original })).toBeNull();
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({ stage: Stage.TRANSFORMATION, executingClass: 'com.example.transforms.Suffix', sourceRecord: original });
    expect(operator.counters.recordsSkipped).toBe(1);
  });

  it('errors.tolerance=none: the failure is not tolerated and names the alias, the class and the topic', async () => {
    const chain = chainOf({ transforms: 'a', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '!', 'transforms.a.fail': 'bad' });
    const operator = testOperator({}, [], new FakeTime());
    const failure = failureOf(() => chain.apply(rec('bad')));
    const err = await chain.applyWithErrorHandling(failure, operator, {}).then(
      () => null,
      (e: unknown) => e as ConnectError,
    );
    expect(err?.message).toBe('Tolerance exceeded in error handler');
    expect(err?.cause).toBeInstanceOf(DataError);
    expect((err?.cause as Error).message).toBe('Failed to transform a record for topic lines with transforms.a (com.example.transforms.Suffix): Suffix refuses bad');
  });

  it('a retriable failure is retried within errors.retry.timeout, then the later stages run', async () => {
    const chain = chainOf({ transforms: 'a,r', 'transforms.a.type': 'Suffix', 'transforms.a.suffix': '!', 'transforms.a.retriable': '2', 'transforms.r.type': 'Route' });
    const time = new FakeTime();
    const operator = testOperator({ retryTimeoutMs: 10_000 }, [], time);
    const failure = failureOf(() => chain.apply(rec('flaky')));
    const out = await chain.applyWithErrorHandling(failure, operator, {});
    expect(out).toMatchObject({ value: 'flaky!', topic: 'lines-routed' });
    expect(time.sleeps).toEqual([300, 600]); // two failures after the first attempt
  });

  it('each task gets its own configured instances; close() closes every transform and predicate once', () => {
    const props = {
      transforms: 'a',
      'transforms.a.type': 'Suffix',
      'transforms.a.suffix': '!',
      'transforms.a.predicate': 'p',
      predicates: 'p',
      'predicates.p.type': 'ValueStartsWith',
      'predicates.p.prefix': 'k',
    };
    const parsed = config(props);
    created.splice(0);
    const chain = TransformationChain.create(parsed, new RecordingLogger());
    expect(created.map((c) => [c.kind, c.props, c.closed])).toEqual([
      ['Suffix', { suffix: '!' }, false],
      ['ValueStartsWith', { prefix: 'k' }, false],
    ]);
    chain?.close();
    expect(created.every((c) => c.closed)).toBe(true);
  });
});

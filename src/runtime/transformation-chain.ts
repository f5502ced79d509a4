import { ConnectRecord, Predicate, Transformation } from '../api';
import { conversionError } from './conversion-error';
import { Stage } from './errors/error-context';
import { OperationContext, RetryWithToleranceOperator, SKIPPED } from './errors/retry-with-tolerance-operator';
import { RuntimeLogger } from './runtime-logger';
import { TransformsConfig } from './transformation-config';

/** One transform with its optional predicate (Kafka's TransformationStage). */
interface ChainStage {
  readonly alias: string;
  /** The Java class name error reports show as the executing class. */
  readonly className: string;
  readonly transformation: Transformation;
  readonly predicate: Predicate | null;
  readonly negate: boolean;
}

/**
 * A transform threw on the fast path: which stage, its error and the record it was given. Internal to
 * the task loops, which hand it to applyWithErrorHandling() at once.
 */
export class TransformationFailure extends Error {
  constructor(
    readonly stageIndex: number,
    readonly error: unknown,
    readonly input: ConnectRecord,
  ) {
    super('TRANSFORMATION failed');
  }
}

/**
 * A task's transforms in order (Kafka's TransformationChain). Each task has its own instances,
 * configured once when it is created and closed when it ends. A stage with a predicate runs when
 * `predicate.test(record) XOR negate`; a stage returning null drops the record and ends the chain.
 *
 * apply() is the synchronous fast path; when a stage throws, the caller continues with
 * applyWithErrorHandling(), which runs that stage and the rest through the task's error handler at
 * stage TRANSFORMATION (the predicate test counts as part of its stage, as in Kafka).
 */
export class TransformationChain {
  private constructor(
    private readonly stages: readonly ChainStage[],
    private readonly logger: RuntimeLogger,
  ) {}

  /**
   * The task's chain, or null when the connector has no transforms: the task loops then skip the
   * chain entirely, so the no-transform path does no per-record work.
   */
  static create(config: TransformsConfig, logger: RuntimeLogger): TransformationChain | null {
    if (config.transformations.length === 0) return null;
    const stages: ChainStage[] = [];
    const chain = new TransformationChain(stages, logger);
    try {
      for (const spec of config.transformations) {
        const transformation = spec.plugin.create();
        stages.push({ alias: spec.alias, className: spec.plugin.className, transformation, predicate: null, negate: spec.negate });
        transformation.configure({ ...spec.props });
        if (spec.predicate) {
          const predicate = spec.predicate.plugin.create();
          stages[stages.length - 1] = { ...stages[stages.length - 1], predicate };
          predicate.configure({ ...spec.predicate.props });
        }
      }
    } catch (err) {
      chain.close();
      throw err;
    }
    return chain;
  }

  /** The transformed record, or null when a stage dropped it. Throws a TransformationFailure. */
  apply<R extends ConnectRecord>(record: R): R | null {
    const stages = this.stages;
    let current: R | null = record;
    for (let i = 0; i < stages.length; i++) {
      try {
        current = runStage(stages[i], current);
      } catch (err) {
        throw new TransformationFailure(i, err, current as R);
      }
      if (current === null) return null;
    }
    return current;
  }

  /**
   * Continues apply() after `failure`: the failed stage is retried or tolerated as errors.* says, then
   * the later stages run, each through the error handler. Null when a stage dropped the record or the
   * handler skipped it; throws when the error is not tolerated.
   */
  async applyWithErrorHandling<R extends ConnectRecord>(
    failure: TransformationFailure,
    operator: RetryWithToleranceOperator,
    operation: OperationContext,
  ): Promise<R | null> {
    const first = this.stages[failure.stageIndex];
    const input = failure.input as R;
    const handled = await operator.handleError(Stage.TRANSFORMATION, first.className, failure.error, () => runStage(first, input), described(operation, first, input));
    if (handled === SKIPPED || handled === null) return null;
    let current: R = handled;
    for (let i = failure.stageIndex + 1; i < this.stages.length; i++) {
      const stage = this.stages[i];
      const record: R = current;
      const out = await operator.execute(Stage.TRANSFORMATION, stage.className, () => runStage(stage, record), described(operation, stage, record));
      if (out === SKIPPED || out === null) return null;
      current = out;
    }
    return current;
  }

  /** Closes every transform and predicate; failures are logged, never thrown. */
  close(): void {
    for (const stage of this.stages) {
      for (const [what, plugin] of [
        ['transformation', stage.transformation],
        ['predicate', stage.predicate],
      ] as const) {
        try {
          plugin?.close?.();
        } catch (err) {
          this.logger.warn(`Failed to close ${what} of transforms.${stage.alias} (${stage.className}): ${(err as Error).message}`, { err });
        }
      }
    }
  }
}

function runStage<R extends ConnectRecord>(stage: ChainStage, record: R): R | null {
  if (stage.predicate !== null && stage.predicate.test(record) === stage.negate) return record;
  return stage.transformation.apply(record);
}

function described(operation: OperationContext, stage: ChainStage, record: ConnectRecord): OperationContext {
  return {
    ...operation,
    describeFailure: (e) => conversionError(`Failed to transform a record for topic ${record.topic} with transforms.${stage.alias} (${stage.className})`, e),
  };
}

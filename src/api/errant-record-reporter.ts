import { SinkRecord } from './records';

/**
 * Lets a SinkTask hand over records it cannot write, with the reason (Kafka's ErrantRecordReporter,
 * KIP-610). The runtime routes each report through the connector's error handling: with
 * errors.tolerance=all the record goes to the dead letter queue (errors.deadletterqueue.topic.name)
 * and/or the log (errors.log.enable) and the task carries on; with errors.tolerance=none the task
 * fails.
 *
 * Get it in start() or later with `context.errantRecordReporter?.() ?? null`: null when the
 * connector has neither a dead letter queue nor error logging, undefined on runtimes without it.
 */
export interface ErrantRecordReporter {
  /**
   * Reports one record put() received (or one the task built from it) and the error it hit.
   * Call it from put(), then go on with the other records; do not throw the error as well.
   *
   * The runtime makes sure every reported record is written before it calls preCommit()/flush()
   * and commits offsets for that record's partition, so awaiting the promise is optional; await it
   * for a stronger guarantee. It resolves once the report is written (e.g. acknowledged by the
   * dead letter queue topic), and rejects if reporting failed or the error tolerance was exceeded;
   * the task then fails at its next commit even if the rejection is ignored.
   */
  report(record: SinkRecord, error: Error): Promise<void>;
}

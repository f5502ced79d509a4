import { metricsReference } from './metric-definitions';

/** Prints the README's metric table (between the metrics-reference markers); a unit test checks README against it. */
if (require.main === module) process.stdout.write(`${metricsReference()}\n`);

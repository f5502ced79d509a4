import * as fs from 'fs';
import * as path from 'path';
import { kafkajsProducerPatchStatus } from '../runtime/kafka/kafkajs-patch-status';

/** Our package's version, found by walking up (this file runs from dist/src/cli, and from src/cli in tests). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'connect-standalone' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** What `--version` prints: the version, then whether the kafkajs in use has the producer patches. */
export function versionText(): string {
  return `${packageVersion()}\n${kafkajsProducerPatchStatus().detail}`;
}

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether the kafkajs that Node loads here carries the producer patches (patches/kafkajs+2.2.4.patch). */
export interface KafkajsPatchStatus {
  readonly applied: boolean;
  /** The installed kafkajs's version ('unknown' when it cannot be read). */
  readonly kafkajsVersion: string;
  /** One line for a person: what was found, and where when something is missing. */
  readonly detail: string;
}

/** The kafkajs version the patch file is written against. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';
const PATCH_FILE = `patches/kafkajs+${PATCHED_KAFKAJS_VERSION}.patch`;

/**
 * Each file the patch changes, with a line only the patched file has. Every file is checked, so a
 * patch applied to some files only (or a kafkajs reinstalled over it) is reported too.
 */
const PATCHED_FILES: ReadonlyArray<readonly [file: string, marker: string]> = [
  ['src/producer/groupMessagesPerPartition.js', 'current.push(message)'],
  ['src/producer/partitioners/default/murmur2.js', 'Math.imul(k, M)'],
  ['src/producer/partitioners/legacy/partitioner.js', 'Only messages without a partition or a key need'],
  ['src/protocol/encoder.js', 'setInt32At(offset, value) {'],
  ['src/protocol/request.js', 'request.setInt32At(0, '],
  ['src/protocol/recordBatch/crc32C/crc32C.js', 'const updateBy8 = '],
  ['src/protocol/recordBatch/record/v0/index.js', 'module.exports.encodeInto = encodeInto'],
  ['src/protocol/recordBatch/v0/index.js', 'const encodeRecordBatchInto = '],
  ['src/protocol/requests/produce/v3/request.js', 'const encodePartitionInto = '],
];

export interface PatchStatusDeps {
  /** The directory of the kafkajs package Node resolves from here. */
  readonly kafkajsDir: () => string;
  readonly readFile: (file: string) => string;
}

const defaultDeps: PatchStatusDeps = {
  kafkajsDir: () => path.dirname(require.resolve('kafkajs/package.json')),
  readFile: (file) => fs.readFileSync(file, 'utf8'),
};

/**
 * The kafkajs bundled into dist/src/cli/main.bundle.js, which the CLI runs (scripts/bundle-cli.js
 * replaces this expression with the version it bundled, after checking the patches were applied);
 * undefined in the unbundled code.
 */
function bundledKafkajs(): { version: string } | undefined {
  return (globalThis as { __CONNECT_STANDALONE_BUNDLED_KAFKAJS__?: { version: string } }).__CONNECT_STANDALONE_BUNDLED_KAFKAJS__;
}

/**
 * Reports whether the kafkajs module Node loads for the runtime has the producer patches applied
 * (by patch-package at install). In the CLI's bundle that is known from its build; otherwise this
 * reads the installed package's version and the nine patched files, nothing else: cheap enough for
 * start-up and `--version`. Never throws.
 */
export function kafkajsProducerPatchStatus(deps: PatchStatusDeps = defaultDeps): KafkajsPatchStatus {
  const bundled = deps === defaultDeps ? bundledKafkajs() : undefined;
  if (bundled) {
    return { applied: true, kafkajsVersion: bundled.version, detail: `kafkajs ${bundled.version}: producer patches applied (${PATCH_FILE}, bundled into the CLI at build)` };
  }
  let dir: string;
  let kafkajsVersion = 'unknown';
  try {
    dir = deps.kafkajsDir();
    kafkajsVersion = String((JSON.parse(deps.readFile(path.join(dir, 'package.json'))) as { version?: unknown }).version ?? 'unknown');
  } catch (err) {
    return { applied: false, kafkajsVersion, detail: `kafkajs producer patches: cannot read the installed kafkajs (${(err as Error).message})` };
  }
  if (kafkajsVersion !== PATCHED_KAFKAJS_VERSION) {
    return {
      applied: false,
      kafkajsVersion,
      detail: `kafkajs ${kafkajsVersion} at ${dir}: producer patches not applied (${PATCH_FILE} is for kafkajs ${PATCHED_KAFKAJS_VERSION})`,
    };
  }
  const missing: string[] = [];
  for (const [file, marker] of PATCHED_FILES) {
    let text: string;
    try {
      text = deps.readFile(path.join(dir, file));
    } catch {
      text = '';
    }
    if (!text.includes(marker)) missing.push(file);
  }
  if (missing.length > 0) {
    return {
      applied: false,
      kafkajsVersion,
      detail: `kafkajs ${kafkajsVersion} at ${dir}: producer patches not applied (unpatched: ${missing.join(', ')}); connect-standalone's postinstall patches a kafkajs installed under it (not one hoisted above it): reinstall, or run \`npx patch-package\` in its directory`,
    };
  }
  return { applied: true, kafkajsVersion, detail: `kafkajs ${kafkajsVersion}: producer patches applied (${PATCH_FILE})` };
}

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkAgainstSchema } from '../platform/http/validation';
import { BundleContentSchema, type BundleContent } from './schema';

/** The folder of the seed bundles: one YAML file per bundle, named after its code. */
export const BUNDLES_DIR = fileURLToPath(new URL('../../data/bundles/', import.meta.url));

/** Reads every seed bundle and checks its shape; throws naming the file and place of a problem. */
export function readSeedBundles(dir = BUNDLES_DIR): BundleContent[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const content: unknown = parse(readFileSync(dir + file, 'utf8'));
      const problems = checkAgainstSchema(BundleContentSchema, content, file);
      if (problems.length > 0) {
        throw new Error(`seed bundle ${problems[0]!.path}: ${problems[0]!.message.en}`);
      }
      const bundle = content as BundleContent;
      if (`${bundle.code}.yaml` !== file) {
        throw new Error(
          `seed bundle ${file}: the file must be named after its code ${bundle.code}`,
        );
      }
      return bundle;
    });
}

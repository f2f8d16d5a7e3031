import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kdb } from '../platform/db/database';
import { importCatalogYaml } from './io';
import type { ItemContent } from './schema';
import { CatalogService } from './service';

/** The folder of the seed catalog: one YAML file of items per theme. */
export const CATALOG_DIR = fileURLToPath(new URL('../../data/catalog/', import.meta.url));

// Files in the folder that are not item lists.
const NOT_ITEMS = new Set(['synonyms.yaml']);

/** Reads every seed item; throws naming the file and place of any problem. */
export function readSeedCatalog(dir = CATALOG_DIR): ItemContent[] {
  const items: ItemContent[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !NOT_ITEMS.has(f))
    .sort()) {
    const result = importCatalogYaml(readFileSync(dir + file, 'utf8'));
    if (result.problems.length) {
      const first = result.problems[0]!;
      throw new Error(`seed catalog ${file}: ${first.location} ${first.path} ${first.message.en}`);
    }
    items.push(...result.items);
  }
  return items;
}

let seedItems: ItemContent[] | null = null;

/** Publishes the seed catalog into a platform whose catalog is empty; returns how many items. */
export async function seedCatalog(db: Kdb, items?: ItemContent[]): Promise<number> {
  const existing = await db.selectFrom('catalogItems').select('code').limit(1).executeTakeFirst();
  if (existing) return 0;
  // Parsing and checking the seed files takes a while; a process reads them once.
  items ??= seedItems ??= readSeedCatalog();
  const result = await new CatalogService(db).importItems(
    null,
    items,
    { publish: true },
    { ip: null, requestId: null, userAgent: null },
  );
  return result.published;
}

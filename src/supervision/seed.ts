// The lists of supervision on first start (一单两库): inspection items (data/supervision/items.yaml,
// reference data seeded with and without the demo), every enterprise in the target registry, and
// with the demo the fictional certified inspectors (data/supervision/inspectors.yaml, one linked
// to each demo inspector account) and the demo credit records.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import { seedCredit } from './credit-service';
import { syncTargets } from './plans';

const DATA = new URL('../../data/supervision/', import.meta.url);
const read = <T>(name: string) =>
  parse(readFileSync(fileURLToPath(new URL(name, DATA)), 'utf8')) as T;

interface SeedItem {
  code: string;
  departmentCode: string;
  name: Text;
  legalBasis: string;
  kind: 'key' | 'general';
  maxRatio: number;
}
interface SeedInspector {
  name: string;
  departmentCode: string;
  region: string;
  certificate: string;
  user?: string;
}

/**
 * Seeds the lists when there are no inspection items yet — the inspectors and credit records only
 * with `demo` (the default); returns how many items it added.
 */
export async function seedSupervision(db: Kdb, options: { demo?: boolean } = {}): Promise<number> {
  const demo = options.demo ?? true;
  if (await db.selectFrom('inspectionItems').select('code').limit(1).executeTakeFirst()) return 0;
  const { items } = read<{ items: SeedItem[] }>('items.yaml');
  const { inspectors } = read<{ inspectors: SeedInspector[] }>('inspectors.yaml');
  const now = new Date();
  const seeded = await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('inspectionItems').select('code').limit(1).executeTakeFirst())
      return 0;
    await trx
      .insertInto('inspectionItems')
      .values(items.map((i) => ({ ...i, name: JSON.stringify(i.name), createdAt: now })))
      .execute();
    if (!demo) {
      await syncTargets(trx, now);
      return items.length;
    }
    const users = await trx.selectFrom('users').select(['id', 'username']).execute();
    const userId = new Map(users.map((u) => [u.username, u.id]));
    const certifiedUntil = `${now.getFullYear() + 3}-12-31`;
    await trx
      .insertInto('inspectors')
      .values(
        inspectors.map((i) => ({
          id: randomUUID(),
          userId: (i.user && userId.get(i.user)) || null,
          name: i.name,
          departmentCode: i.departmentCode,
          regionCode: i.region,
          certificateNo: i.certificate,
          certifiedUntil,
          createdAt: now,
        })),
      )
      .execute();
    await syncTargets(trx, now);
    return items.length;
  });
  if (demo) await seedCredit(db);
  return seeded;
}

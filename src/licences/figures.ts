// What the cockpit reads of the e-licences: how many certificate-free scenarios (无证明) the
// platform can serve now, against the seeds' target, and which.
import type { Kdb } from '../platform/db/database';
import type { Scenario } from './scenarios';
import { SharedDataService } from './shared-data';

// one service per database, so the bundles' and catalog's snapshots are reused between reads
const services = new WeakMap<Kdb, SharedDataService>();

/** The certificate-free scenarios now: how many are free, the target, and every scenario. */
export async function certificateFreeCount(
  db: Kdb,
): Promise<{ scenarios: number; target: number; list: Scenario[] }> {
  let service = services.get(db);
  if (!service) services.set(db, (service = new SharedDataService(db)));
  const { totals, scenarios } = await service.certificateFree();
  return { scenarios: totals.free, target: totals.target, list: scenarios };
}

// The cockpit's panels beyond the applications and tickets: 好差评, certificate-free scenarios,
// policies, supervision and the departments' ranking. Each capability counts its own records
// (its exported read functions); insight only composes them and applies the formulas.
import { caseCountsByDepartment, caseCountsByItem } from '../cases';
import { itemNames } from '../catalog';
import { evaluationCounts, evaluationCountsByDepartment } from '../evaluations';
import { certificateFreeCount } from '../licences';
import type { Kdb } from '../platform/db/database';
import { departmentNames } from '../platform/regions';
import { policyCounts } from '../policies';
import { supervisionCounts } from '../supervision';
import {
  evaluationFigures,
  itemRows,
  policyFigures,
  rankDepartments,
  supervisionFigures,
} from './indicators';

/** A period ([from, to) instants) and the regions it covers. */
export interface Scope {
  from: Date;
  to: Date;
  regions: readonly string[];
}

/** The panels of a period and region. */
export async function panelsOf(db: Kdb, scope: Scope) {
  const [evaluations, byDepartment, certificateFree, policies, supervision, cases, items, names] =
    await Promise.all([
      evaluationCounts(db, scope),
      evaluationCountsByDepartment(db, scope),
      certificateFreeCount(db),
      policyCounts(db, scope),
      supervisionCounts(db, scope),
      caseCountsByDepartment(db, scope),
      caseCountsByItem(db, scope),
      departmentNames(db),
    ]);
  return {
    evaluations: evaluationFigures(evaluations),
    certificateFree: { scenarios: certificateFree.scenarios, target: certificateFree.target },
    policies: policyFigures(policies),
    supervision: supervisionFigures(supervision),
    departments: rankDepartments(cases, byDepartment, names),
    items: itemRows(
      items,
      await itemNames(
        db,
        items.map((i) => i.itemCode),
      ),
    ),
  };
}

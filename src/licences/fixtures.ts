import { randomUUID } from 'node:crypto';
import type { Kdb } from '../platform/db/database';
import type { LicenceRow } from './store';
import { LicenceService } from './service';

// Test fixtures of the licences tests.

/** A person as the licence tests read them from the demo data. */
export interface PersonHolder {
  id: string;
  name: string;
  identifier: string;
}

/**
 * Issues a 社会保障卡 to `person` the way the licences handler does for a decided case of the
 * social-security-card item (rsj, in region 371000).
 */
export async function issueSocialSecurityCard(db: Kdb, person: PersonHolder): Promise<LicenceRow> {
  const card = await db.transaction().execute((trx) =>
    new LicenceService(db).issueFromCase(
      trx,
      {
        caseId: randomUUID(),
        itemCode: 'social-security-card',
        departmentCode: 'rsj',
        decision: 'approved',
        result: { kind: 'licence', licenceType: '社会保障卡' },
        results: { decision: 'approved' },
        subjectId: person.id,
        holder: { kind: 'person', name: person.name, identifier: person.identifier },
      },
      '371000',
      new Date(),
    ),
  );
  if (!card) throw new Error('no social security card was issued');
  return card;
}

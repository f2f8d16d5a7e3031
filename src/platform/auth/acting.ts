import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import { forbidden } from '../http/errors';
import { maskIdentifier } from '../ids';
import type { Actor } from './model';
import { representedEnterprises, representsEnterprise } from './representatives';
import {
  ACTING_CHANGED,
  profileOf,
  sessionTokenHash,
  type Profile,
  type RequestMeta,
} from './service';
import { findSubject, setSessionActingSubject } from './store';

/** One subject the signed-in user may act as (办事主体), as the switcher lists it. */
export interface ActableSubject {
  subjectId: string;
  kind: 'person' | 'enterprise';
  name: string;
  /** Masked for persons (resident ID); a credit code is published anyway. */
  identifier: string;
  /** Whether the session acts as this subject now. */
  current: boolean;
}

/** The person behind a caller who may act for enterprises: a citizen, acting or not. */
function personOf(actor: Actor): string | null {
  if (actor.actingFor) return actor.actingFor.personSubjectId;
  return actor.role === 'citizen' ? actor.subjectId : null;
}

/** The user's own subject: the person behind an acting citizen, else the account's subject. */
function ownSubjectOf(actor: Actor): string | null {
  return actor.actingFor ? actor.actingFor.personSubjectId : actor.subjectId;
}

/** The subjects the caller may act as: themselves first, then the enterprises they represent. */
export async function actableSubjects(db: Kdb, actor: Actor): Promise<ActableSubject[]> {
  const ownId = ownSubjectOf(actor);
  const own = ownId === null ? undefined : await findSubject(db, ownId);
  if (!own) return [];
  const person = personOf(actor);
  const enterprises = person === null ? [] : await representedEnterprises(db, person);
  return [
    {
      subjectId: own.id,
      kind: own.kind,
      name: own.name,
      identifier: maskIdentifier(own.kind === 'person' ? 'ric' : 'uscc', own.identifier),
      current: own.id === actor.subjectId,
    },
    ...enterprises.map((enterprise) => ({
      subjectId: enterprise.subjectId,
      kind: 'enterprise' as const,
      name: enterprise.name,
      identifier: maskIdentifier('uscc', enterprise.identifier),
      current: enterprise.subjectId === actor.subjectId,
    })),
  ];
}

function notRepresentative() {
  return forbidden({
    zh: '您不是该企业的法定代表人，不能以该企业身份办事',
    en: 'you are not the legal representative of this enterprise and cannot act for it',
  });
}

/**
 * Switches the subject a session acts for (切换办事主体): null or the caller's own subject acts as
 * themselves; otherwise only a citizen may act, and only for an enterprise they represent.
 * Answers the profile as it is afterwards. The session keeps its token: switching widens nothing
 * the token could not already do (its holder may switch at will), unlike signing in or a new
 * password, which rotate it.
 */
export async function switchActingSubject(
  db: Kdb,
  actor: Actor,
  token: string,
  subjectId: string | null,
  meta: RequestMeta,
): Promise<Profile> {
  const person = personOf(actor);
  const target = subjectId === null || subjectId === ownSubjectOf(actor) ? null : subjectId;
  if (target !== null && person === null) {
    throw forbidden({
      zh: '只有自然人用户可以切换为所代表的企业办事',
      en: 'only citizens can act for an enterprise they represent',
    });
  }
  const from = actor.actingFor ? actor.subjectId : null;
  return db.transaction().execute(async (trx) => {
    if (target !== null && !(await representsEnterprise(trx, person!, target))) {
      throw notRepresentative();
    }
    if (target !== from) {
      await setSessionActingSubject(trx, sessionTokenHash(token), target);
      await appendAudit(trx, {
        actorId: actor.userId,
        // The account's own role: an acting citizen is still a citizen.
        actorRole: actor.actingFor ? 'citizen' : actor.role,
        action: ACTING_CHANGED,
        objectType: 'subject',
        objectId: target ?? person ?? actor.subjectId,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { from, to: target },
      });
    }
    return profileOf(trx, actor.userId, target);
  });
}

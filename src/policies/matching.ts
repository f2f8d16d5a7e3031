// Matching against the database: dossiers assembled from the subjects, their tags and the facts
// other departments send; every published policy in force matched over all dossiers (full match)
// or over one dossier when it changes (incremental); matches and near misses stored with their
// explanation, and a grant created for each new match of a policy granted without applying.
import { toLocalDate, type WorkCalendar } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import { tagsOfSubjects } from '../licences';
import { DossierColumns } from './columns';
import type { GrantService } from './grants';
import {
  compilePolicies,
  explain,
  hasBit,
  matchAll,
  type CompiledPolicies,
  type CompiledPolicy,
  type MatchContext,
} from './matcher';
import { assembleDossier } from './dossier';
import { inForce } from './model';
import type { Dossier } from './rule';
import * as store from './store';
import type { PolicyRow } from './store';

/** The dossiers in memory as columns, with the subject and region of each row. */
export interface DossierSnapshot {
  stamp: string;
  columns: DossierColumns;
  subjectIds: string[];
  regionCodes: string[];
  rowOf: Map<string, number>;
}

/** What a match run did, with its timings. */
export interface MatchRun {
  subjects: number;
  policies: number;
  matched: number;
  nearMisses: number;
  grantsCreated: number;
  loadMs: number;
  matchMs: number;
  writeMs: number;
}

type Outcome = { status: 'matched' | 'near_miss'; summary: { zh: string; en: string } };

export class Matching {
  #snapshot: DossierSnapshot | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly grants: GrantService,
  ) {}

  /** The context rules compile against: the region tree, and today for ages. */
  async context(db: Kdb | Tx, now: Date): Promise<MatchContext> {
    return { regions: await store.regionTree(db), asOf: toLocalDate(now) };
  }

  /** Published policies in force on the day of `now`. */
  async policiesInForce(db: Kdb | Tx, now: Date): Promise<PolicyRow[]> {
    const today = toLocalDate(now);
    return (await store.listPolicies(db, ['published'])).filter((p) => inForce(p, today));
  }

  /** Compiles policies' rules (422 when one is not valid). */
  compile(policies: readonly { id: string; rule: PolicyRow['rule'] }[], context: MatchContext) {
    return compilePolicies(
      policies.map((p) => ({ id: p.id, rule: p.rule })),
      context,
    );
  }

  /** Assembles and stores the dossiers of these subjects (all when null); returns them by id. */
  async rebuildDossiers(trx: Tx, subjectIds: readonly string[] | null, now: Date) {
    const ids = subjectIds ?? (await store.allSubjectIds(trx));
    const built = new Map<string, { dossier: Dossier; regionCode: string }>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const [subjects, tags, facts] = await Promise.all([
        store.subjectsByIds(trx, chunk),
        tagsOfSubjects(trx, chunk),
        store.factsByIds(trx, chunk),
      ]);
      const rows = subjects.map((s) => ({
        subjectId: s.id,
        regionCode: s.regionCode,
        kind: s.kind,
        dossier: assembleDossier(s, tags.get(s.id) ?? [], facts.get(s.id) ?? null),
      }));
      await store.upsertDossiers(trx, rows, now);
      for (const r of rows)
        built.set(r.subjectId, { dossier: r.dossier, regionCode: r.regionCode });
    }
    return built;
  }

  /** Drops the dossiers held in memory (the next snapshot reloads them). */
  forget() {
    this.#snapshot = null;
  }

  /** Every dossier as columns; reloaded only when a dossier changed since the last load. */
  async snapshot(): Promise<DossierSnapshot> {
    const stamp = await store.dossierStamp(this.db);
    if (this.#snapshot?.stamp === stamp) return this.#snapshot;
    const rows = await store.allDossiers(this.db);
    const columns = new DossierColumns(rows.length);
    for (const row of rows) columns.append(row.dossier);
    this.#snapshot = {
      stamp,
      columns,
      subjectIds: rows.map((r) => r.subjectId),
      regionCodes: rows.map((r) => r.regionCode),
      rowOf: new Map(rows.map((r, i) => [r.subjectId, i])),
    };
    return this.#snapshot;
  }

  /**
   * Re-matches every dossier against the given published policies (all in force when omitted),
   * stores matches and near misses, and creates the grants of new matches.
   */
  async matchAll(now: Date, policies?: readonly PolicyRow[]): Promise<MatchRun> {
    const started = performance.now();
    const snapshot = await this.snapshot();
    const targets = policies ?? (await this.policiesInForce(this.db, now));
    const compiled = this.compile(targets, await this.context(this.db, now));
    const loaded = performance.now();
    const results = matchAll(snapshot.columns, compiled, { nearMisses: true });
    const outcomes = results.map((result, i) => {
      const policy = compiled.policies[i]!;
      const byRow = new Map<string, Outcome>();
      const { columns } = snapshot;
      for (let row = 0; row < columns.length; row++) {
        const matched = hasBit(result.bits, row);
        if (!matched && !(result.nearMiss && hasBit(result.nearMiss, row))) continue;
        byRow.set(snapshot.subjectIds[row]!, {
          status: matched ? 'matched' : 'near_miss',
          summary: explain(columns, row, policy).summary,
        });
      }
      return byRow;
    });
    const matchedAt = performance.now();
    let grantsCreated = 0;
    for (const [i, policy] of targets.entries()) {
      grantsCreated += await this.db.transaction().execute(async (trx) =>
        this.#store(
          trx,
          policy,
          outcomes[i]!,
          'all',
          (id) => snapshot.regionCodes[snapshot.rowOf.get(id)!]!,
          (id) => snapshot.columns.dossier(snapshot.rowOf.get(id)!),
          now,
        ),
      );
    }
    return {
      subjects: snapshot.columns.length,
      policies: targets.length,
      matched: results.reduce((n, r) => n + r.count, 0),
      nearMisses: results.reduce((n, r) => n + (r.nearMissCount ?? 0), 0),
      grantsCreated,
      loadMs: loaded - started,
      matchMs: matchedAt - loaded,
      writeMs: performance.now() - matchedAt,
    };
  }

  /**
   * Rebuilds one subject's dossier and re-matches it against every published policy in force, in
   * the caller's transaction (the incremental re-match when the dossier changes).
   */
  async matchSubject(trx: Tx, subjectId: string, now: Date): Promise<number> {
    const built = (await this.rebuildDossiers(trx, [subjectId], now)).get(subjectId);
    if (!built) return 0;
    const policies = await this.policiesInForce(trx, now);
    if (policies.length === 0) return 0;
    const compiled = this.compile(policies, await this.context(trx, now));
    const columns = DossierColumns.from([built.dossier]);
    let grantsCreated = 0;
    for (const [i, policy] of policies.entries()) {
      const outcome = outcomeOf(columns, compiled.policies[i]!);
      const outcomes = new Map(outcome ? [[subjectId, outcome]] : []);
      grantsCreated += await this.#store(
        trx,
        policy,
        outcomes,
        subjectId,
        () => built.regionCode,
        () => built.dossier,
        now,
      );
    }
    return grantsCreated;
  }

  /** Whether one dossier meets one policy now (for 静默认证 re-checks). */
  eligible(compiled: CompiledPolicies, index: number, dossier: Dossier): boolean {
    return (
      outcomeOf(DossierColumns.from([dossier]), compiled.policies[index]!)?.status === 'matched'
    );
  }

  /** The one-line explanation of one dossier against one compiled policy. */
  summary(compiled: CompiledPolicies, index: number, dossier: Dossier) {
    return explain(DossierColumns.from([dossier]), 0, compiled.policies[index]!).summary;
  }

  /** Stores a policy's outcomes over all subjects or one, and grants new matches. */
  async #store(
    trx: Tx,
    policy: PolicyRow,
    outcomes: Map<string, Outcome>,
    scope: 'all' | string,
    regionOf: (subjectId: string) => string,
    dossierOf: (subjectId: string) => Dossier,
    now: Date,
  ): Promise<number> {
    const before = await store.matchesOfPolicy(trx, policy.id, scope === 'all' ? undefined : scope);
    const wasMatched = new Set(
      before.filter((m) => m.status === 'matched').map((m) => m.subjectId),
    );
    await store.deleteMatches(
      trx,
      policy.id,
      before.filter((m) => !outcomes.has(m.subjectId)).map((m) => m.subjectId),
    );
    await store.upsertMatches(
      trx,
      policy.id,
      [...outcomes].map(([subjectId, o]) => ({ subjectId, regionCode: regionOf(subjectId), ...o })),
      now,
    );
    if (policy.mode === 'apply') return 0;
    const calendars = new Map<string, WorkCalendar>();
    let created = 0;
    for (const [subjectId, o] of outcomes) {
      if (o.status !== 'matched' || wasMatched.has(subjectId)) continue;
      if (
        await this.grants.create(
          trx,
          policy,
          subjectId,
          regionOf(subjectId),
          dossierOf(subjectId),
          now,
          calendars,
        )
      )
        created++;
    }
    return created;
  }
}

/** A dossier's outcome for one policy: matched, a near miss, or nothing. */
function outcomeOf(columns: DossierColumns, policy: CompiledPolicy): Outcome | null {
  const explanation = explain(columns, 0, policy);
  if (explanation.matched) return { status: 'matched', summary: explanation.summary };
  if (explanation.nearMiss) return { status: 'near_miss', summary: explanation.summary };
  return null;
}

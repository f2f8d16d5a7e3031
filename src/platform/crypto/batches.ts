import { sql, type RawBuilder } from 'kysely';
import type { Kdb, Tx } from '../db/database';
import { currentKeyId, currentSealPattern, earlierKeysKnown, reseal, resealJson } from './index';
import { SealedValueError } from './sealed';

// Sealing stored values in place, at start-up: values written before sealing was introduced and
// values sealed under an earlier data key (after a rotation) are opened and sealed under the key in
// use, a batch at a time, each batch in its own transaction. The selection names only rows that
// need work, so running it again (on every start, from several servers at once) does nothing more.
// A step that went through with nothing refused, while no earlier key is configured, is recorded
// under the key (`sealing_steps`): every server seals under that key alone, so every value written
// since is sealed under it, and later starts skip the step's full scan until the key changes.
// While a rotation is under way (ONETHING_DATA_KEY_PREVIOUS set) servers on the old key may still
// write, so every start scans.

/** One sealing step over a table: which rows need work, and how one row is written. */
export interface SealBatches<Row> {
  /**
   * Up to `limit` rows that need work, after `after` (the last row of the previous batch, null at
   * first) in a stable order, locked `for update skip locked` so that servers share the work.
   */
  select(trx: Tx, after: NoInfer<Row> | null, limit: number): Promise<Row[]>;
  /** Writes one row sealed under the key in use; false when it left the row as it is. */
  write(trx: Tx, row: Row): Promise<boolean>;
}

/** What a sealing step did. */
export interface SealOutcome {
  /** Rows written sealed under the key in use. */
  sealed: number;
  /** Rows holding a value sealed under a key this server does not know (left as they are). */
  refused: number;
}

/**
 * Runs a sealing step to the end. A row whose value cannot be opened (sealed under a key missing
 * from ONETHING_DATA_KEY_PREVIOUS, or changed) is counted and left alone rather than stopping the
 * start-up; reading it fails just the same until the key is given back.
 */
export async function sealInBatches<Row>(
  db: Kdb,
  name: string,
  step: SealBatches<Row>,
  batch = 500,
): Promise<SealOutcome> {
  const outcome: SealOutcome = { sealed: 0, refused: 0 };
  const keyId = currentKeyId();
  const recorded = !earlierKeysKnown();
  if (recorded) {
    const done = await db
      .selectFrom('sealingSteps')
      .select('step')
      .where('step', '=', name)
      .where('keyId', '=', keyId)
      .executeTakeFirst();
    if (done) return outcome;
  }
  let after: Row | null = null;
  for (;;) {
    const from: Row | null = after;
    const batchDone = await db.transaction().execute(async (trx) => {
      const rows = await step.select(trx, from, batch);
      let sealed = 0;
      let refused = 0;
      for (const row of rows) {
        try {
          if (await step.write(trx, row)) sealed += 1;
        } catch (error) {
          if (!(error instanceof SealedValueError)) throw error;
          refused += 1;
        }
      }
      return { rows, sealed, refused };
    });
    outcome.sealed += batchDone.sealed;
    outcome.refused += batchDone.refused;
    if (batchDone.rows.length < batch) break;
    after = batchDone.rows.at(-1)!;
  }
  if (recorded && outcome.refused === 0) {
    await db
      .insertInto('sealingSteps')
      .values({ step: name, keyId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return outcome;
}

/**
 * SQL: a text column holds a value that is not sealed under the key in use (plain, or sealed under
 * an earlier key); null holds nothing to seal. `pattern` is `currentSealPattern()`.
 */
export function textNeedsSealing(
  column: string | RawBuilder<unknown>,
  pattern: string,
): RawBuilder<boolean> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<boolean>`(${ref} is not null and ${ref} not like ${pattern})`;
}

/**
 * SQL: a `jsonb` column sealed whole (a JSON string `"sm4:1:…"`) holds a document stored plain or
 * one sealed under an earlier key. `pattern` is `currentSealPattern()`.
 */
export function jsonNeedsSealing(column: string, pattern: string): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} is not null and (jsonb_typeof(${ref}) <> 'string' or ${ref} #>> '{}' not like ${pattern}))`;
}

/** A table whose sealed columns are sealed anew as they are, found by one key column. */
export interface SealedColumns {
  /** Table, key and columns as SQL names (snake_case). */
  table: string;
  key: string;
  /** Text columns holding a value sealed with a random IV (`seal`). */
  text?: readonly string[];
  /** `jsonb` columns holding a document sealed whole (`sealJson`). */
  json?: readonly string[];
}

/**
 * The common sealing step: every row of a table with a sealed column that is plain or under an
 * earlier key, each such value opened and sealed under the key in use; SQL nulls stay null.
 */
export function sealColumnsInBatches(
  db: Kdb,
  name: string,
  { table, key, text = [], json = [] }: SealedColumns,
  batch = 500,
): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  const columns = [...text, ...json];
  // Aliased c0, c1, …: no plugin renames or opens them on the way back.
  const alias = (i: number) => `c${i}`;
  const needs = [
    ...text.map((column) => textNeedsSealing(column, pattern)),
    ...json.map((column) => jsonNeedsSealing(column, pattern)),
  ];
  type Row = { k: string } & Record<string, unknown>;
  return sealInBatches<Row>(
    db,
    name,
    {
      select: async (trx, after, limit) =>
        (
          await sql<Row>`select ${sql.ref(key)} as k,
            ${sql.join(columns.map((column, i) => sql`${sql.ref(column)} as ${sql.ref(alias(i))}`))}
          from ${sql.table(table)}
          where (${sql.join(needs, sql` or `)})
            ${after ? sql`and ${sql.ref(key)} > ${after.k}` : sql``}
          order by ${sql.ref(key)} limit ${limit} for update skip locked`.execute(trx)
        ).rows,
      write: async (trx, row) => {
        const values = columns.map((column, i) => {
          const value = row[alias(i)];
          if (value === null || value === undefined) return sql`${sql.ref(column)} = null`;
          return i < text.length
            ? sql`${sql.ref(column)} = ${reseal(value as string)}`
            : sql`${sql.ref(column)} = ${resealJson(value)}::jsonb`;
        });
        await sql`update ${sql.table(table)} set ${sql.join(values)}
          where ${sql.ref(key)} = ${row.k}`.execute(trx);
        return true;
      },
    },
    batch,
  );
}

/** Where start-up sealing reports (a pino/Fastify logger fits). */
export interface SealLog {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

/** Reports what start-up sealing steps did, by step name; says nothing when there was nothing. */
export function logSealing(log: SealLog, outcomes: Record<string, SealOutcome>): void {
  const sealed = Object.fromEntries(
    Object.entries(outcomes).flatMap(([step, o]) => (o.sealed > 0 ? [[step, o.sealed]] : [])),
  );
  const refused = Object.fromEntries(
    Object.entries(outcomes).flatMap(([step, o]) => (o.refused > 0 ? [[step, o.refused]] : [])),
  );
  if (Object.keys(sealed).length > 0) {
    log.info({ sealed }, 'sealed personal data stored plain or under an earlier data key');
  }
  if (Object.keys(refused).length > 0) {
    log.warn(
      { refused },
      'personal data sealed under a data key not configured was left as it is: add that key to ONETHING_DATA_KEY_PREVIOUS',
    );
  }
}

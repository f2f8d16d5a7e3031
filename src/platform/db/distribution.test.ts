import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db';
import type { Db } from './database';
import {
  DISTRIBUTION_PLAN,
  PLANNED_EXCEPTIONS,
  SEQUENCES,
  compareViolations,
  distributionViolations,
  planCoverage,
  readSchemaCatalog,
  type SchemaCatalog,
  type TablePlacement,
} from './distribution';

// The migrations, run on a fresh database (PGlite, or PostgreSQL with DATABASE_URL), held to the
// rules a distributed engine (Citus-like) imposes under the plan in distribution.ts.

describe('the data distribution plan against the migrated catalog', () => {
  let db: Db;
  let catalog: SchemaCatalog;

  beforeAll(async () => {
    db = await createTestDb();
    catalog = await readSchemaCatalog(db.kysely);
  });
  afterAll(() => db.close());

  it('places every table of the migrations, and no table that does not exist', () => {
    expect(Object.keys(catalog.tables).length).toBeGreaterThan(50);
    expect(planCoverage(catalog, DISTRIBUTION_PLAN)).toEqual({ unplanned: [], missing: [] });
  });

  it('finds each distributed table’s distribution column, not null', () => {
    const missing = distributionViolations(catalog, DISTRIBUTION_PLAN).filter(
      (v) => v.rule === 'missing-distribution-column',
    );
    expect(missing).toEqual([]);
  });

  it('breaks the rules exactly where the plan lists an exception, and nowhere else', () => {
    const found = distributionViolations(catalog, DISTRIBUTION_PLAN);
    const planned = PLANNED_EXCEPTIONS.map(({ rule, table, name }) => ({ rule, table, name })).sort(
      compareViolations,
    );
    expect(found).toEqual(planned);
  });

  it('keeps reference and local tables from pointing at distributed ones', () => {
    const rules = distributionViolations(catalog, DISTRIBUTION_PLAN).map((v) => v.rule);
    expect(rules).not.toContain('foreign-key-to-distributed');
    expect(rules).not.toContain('foreign-key-to-local');
  });

  it('proposes for every exception a key that keeps its columns and obeys the rule', () => {
    for (const e of PLANNED_EXCEPTIONS) {
      const placement = DISTRIBUTION_PLAN[e.table]!;
      if (placement.kind !== 'distributed') throw new Error(`${e.table} is not distributed`);
      if (!e.proposed) {
        expect(e.change, e.name).toMatch(/^drop the foreign key: /);
        continue;
      }
      expect(e.proposed.columns, e.name).toContain(placement.column);
      if (e.rule === 'unique-without-distribution-column') {
        const key = catalog.uniqueKeys.find((k) => k.table === e.table && k.name === e.name)!;
        expect(e.proposed.columns, e.name).toEqual(expect.arrayContaining(key.columns));
        continue;
      }
      const fk = catalog.foreignKeys.find((k) => k.table === e.table && k.name === e.name)!;
      const changed = { ...fk, ...e.proposed, referencedColumns: e.proposed.referencedColumns! };
      expect(changed.columns, e.name).toEqual(expect.arrayContaining(fk.columns));
      expect(changed.referencedColumns, e.name).toEqual(
        expect.arrayContaining(fk.referencedColumns),
      );
      const after = { ...catalog, uniqueKeys: [], foreignKeys: [changed] };
      expect(distributionViolations(after, DISTRIBUTION_PLAN), e.name).toEqual([]);
    }
  });

  it('is the plan docs/scale-out.md shows, table by table, with its exception counts', () => {
    const doc = readFileSync(new URL('../../../docs/scale-out.md', import.meta.url), 'utf8');
    for (const [table, placement] of Object.entries(DISTRIBUTION_PLAN)) {
      const kind =
        placement.kind === 'distributed'
          ? `distributed by \`${placement.column}\` (${placement.group})`
          : placement.kind;
      const count = PLANNED_EXCEPTIONS.filter((e) => e.table === table).length || '';
      expect(doc).toContain(`| \`${table}\` | ${kind} | ${placement.why} | ${count} |`);
    }
    expect(doc).toContain(`in **${PLANNED_EXCEPTIONS.length}** named places`);
  });

  it('says what every sequence needs', () => {
    expect(catalog.sequences).toEqual(Object.keys(SEQUENCES).sort());
  });
});

describe('the distribution rules', () => {
  const table = (...columns: string[]) =>
    Object.fromEntries(columns.map((c) => [c, { notNull: true }]));
  const catalog: SchemaCatalog = {
    tables: {
      regions: table('code'),
      tickets: table('id', 'region_code', 'number'),
      replies: table('id', 'region_code', 'ticket_id'),
      notes: table('id', 'ticket_id'),
      queue: table('id'),
    },
    uniqueKeys: [
      { table: 'tickets', name: 'tickets_pkey', columns: ['region_code', 'id'] },
      { table: 'tickets', name: 'tickets_number_key', columns: ['number'] },
      { table: 'replies', name: 'replies_pkey', columns: ['region_code', 'id'] },
    ],
    foreignKeys: [
      {
        table: 'replies',
        name: 'replies_ticket_fkey',
        columns: ['region_code', 'ticket_id'],
        references: 'tickets',
        referencedColumns: ['region_code', 'id'],
      },
      {
        table: 'replies',
        name: 'replies_ticket_only_fkey',
        columns: ['ticket_id'],
        references: 'tickets',
        referencedColumns: ['id'],
      },
      {
        table: 'regions',
        name: 'regions_ticket_fkey',
        columns: ['code'],
        references: 'tickets',
        referencedColumns: ['id'],
      },
      {
        table: 'tickets',
        name: 'tickets_queue_fkey',
        columns: ['id'],
        references: 'queue',
        referencedColumns: ['id'],
      },
      {
        table: 'tickets',
        name: 'tickets_region_fkey',
        columns: ['region_code'],
        references: 'regions',
        referencedColumns: ['code'],
      },
    ],
    sequences: [],
  };
  const byRegion: TablePlacement = {
    kind: 'distributed',
    column: 'region_code',
    group: 'region',
    why: '',
  };
  const plan: Record<string, TablePlacement> = {
    regions: { kind: 'reference', why: '' },
    tickets: byRegion,
    replies: byRegion,
    notes: { kind: 'distributed', column: 'region_code', group: 'region', why: '' },
    queue: { kind: 'local', why: '' },
  };

  it('report each kind of break, and accept co-located keys and keys to reference tables', () => {
    expect(distributionViolations(catalog, plan)).toEqual([
      { rule: 'missing-distribution-column', table: 'notes', name: 'region_code' },
      { rule: 'foreign-key-to-distributed', table: 'regions', name: 'regions_ticket_fkey' },
      { rule: 'foreign-key-not-colocated', table: 'replies', name: 'replies_ticket_only_fkey' },
      { rule: 'foreign-key-to-local', table: 'tickets', name: 'tickets_queue_fkey' },
      { rule: 'unique-without-distribution-column', table: 'tickets', name: 'tickets_number_key' },
    ]);
  });

  it('call a key between tables of different colocation groups not co-located', () => {
    const apart = { ...plan, replies: { ...byRegion, group: 'user' as const } };
    expect(
      distributionViolations(catalog, apart).filter((v) => v.name === 'replies_ticket_fkey'),
    ).toEqual([
      { rule: 'foreign-key-not-colocated', table: 'replies', name: 'replies_ticket_fkey' },
    ]);
  });

  it('list tables the plan misses and tables it names that do not exist', () => {
    const partial = Object.fromEntries(Object.entries(plan).filter(([t]) => t !== 'queue'));
    expect(planCoverage(catalog, { ...partial, ghosts: { kind: 'reference', why: '' } })).toEqual({
      unplanned: ['queue'],
      missing: ['ghosts'],
    });
  });
});

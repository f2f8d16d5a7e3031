// The reform-task ledger from the seed documents: data/insight/measures.json (the parsed measures,
// `npx tsx src/insight/measures-cli.ts`) and data/insight/units.yaml (document regions, unit names
// → departments). Upserts by document key and measure id; never touches progress or tick-off.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { canonicalJson } from '../platform/audit';
import type { Kdb, Tx } from '../platform/db/database';
import { dueOnOf } from './ledger';
import type { Measure, SeedDocument } from './measures';

const DATA = new URL('../../data/insight/', import.meta.url);
const CITY = '371000';
const CHUNK = 200;

/** data/insight/units.yaml. */
export interface LedgerUnitsFile {
  documents: Record<string, string>;
  units: Record<string, string[]>;
}

/** The parsed seed documents and the unit mapping as committed. */
export function readLedgerSeed(): { documents: SeedDocument[]; units: LedgerUnitsFile } {
  const read = (name: string) => readFileSync(fileURLToPath(new URL(name, DATA)), 'utf8');
  const { documents } = JSON.parse(read('measures.json')) as { documents: SeedDocument[] };
  return { documents, units: parse(read('units.yaml')) as LedgerUnitsFile };
}

/** The content of a task as the seed gives it (everything but state and progress). */
function taskContent(measure: Measure, document: SeedDocument, regionCode: string, seq: number) {
  return {
    documentKey: document.key,
    regionCode,
    seq,
    path: measure.path,
    headings: measure.headings,
    title: measure.title,
    text: measure.text,
    leadUnits: measure.leadUnits,
    responsibleUnits: measure.responsibleUnits,
    deadlines: measure.deadlines,
    dueOn: dueOnOf(measure, document),
    targets: measure.targets,
  };
}
type TaskContent = ReturnType<typeof taskContent>;

const JSON_COLUMNS = [
  'path',
  'headings',
  'leadUnits',
  'responsibleUnits',
  'deadlines',
  'targets',
] as const;
function toRow(content: TaskContent) {
  const row: Record<string, unknown> = { ...content };
  for (const column of JSON_COLUMNS) row[column] = JSON.stringify(content[column]);
  return row as Omit<TaskContent, (typeof JSON_COLUMNS)[number]> &
    Record<(typeof JSON_COLUMNS)[number], string>;
}

async function upsertUnits(trx: Tx, file: LedgerUnitsFile) {
  const departments = new Map(
    (await trx.selectFrom('departments').select(['code', 'regionCode']).execute()).map((d) => [
      d.code,
      d.regionCode,
    ]),
  );
  const rows = Object.entries(file.units).flatMap(([code, names]) =>
    departments.has(code)
      ? names.map((name) => ({ name, departmentCode: code, regionCode: departments.get(code)! }))
      : [],
  );
  if (rows.length === 0) return;
  await trx
    .insertInto('ledgerUnits')
    .values(rows)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        departmentCode: eb.ref('excluded.departmentCode'),
        regionCode: eb.ref('excluded.regionCode'),
      })),
    )
    .execute();
}

async function upsertDocument(trx: Tx, document: SeedDocument, regionCode: string, now: Date) {
  const row = {
    letter: document.letter,
    title: document.title,
    number: document.documentNumber,
    issuedOn: document.date,
    regionCode,
    goals: JSON.stringify(document.goals),
  };
  const existing = await trx
    .selectFrom('ledgerDocuments')
    .select(['key'])
    .where('key', '=', document.key)
    .executeTakeFirst();
  if (existing)
    await trx.updateTable('ledgerDocuments').set(row).where('key', '=', document.key).execute();
  else
    await trx
      .insertInto('ledgerDocuments')
      .values({ ...row, key: document.key, createdAt: now, updatedAt: now })
      .execute();
  return !existing;
}

async function replaceTaskUnits(trx: Tx, tasks: { id: string; content: TaskContent }[]) {
  if (tasks.length === 0) return;
  await trx
    .deleteFrom('ledgerTaskUnits')
    .where(
      'taskId',
      'in',
      tasks.map((t) => t.id),
    )
    .execute();
  const rows = tasks.flatMap(({ id, content }) => {
    const lead = new Set(content.leadUnits);
    const names = [...new Set([...content.leadUnits, ...content.responsibleUnits])];
    return names.map((unitName) => ({
      taskId: id,
      unitName,
      role: lead.has(unitName) ? ('lead' as const) : ('responsible' as const),
      regionCode: content.regionCode,
    }));
  });
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto('ledgerTaskUnits')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

/**
 * Seeds the ledger: the unit mapping, the documents, and a task per measure — inserted when new,
 * its content updated (version + 1) when the seed changed. Returns how many tasks it added or
 * changed; 0 on a second run.
 */
export async function seedLedger(db: Kdb): Promise<number> {
  const { documents, units } = readLedgerSeed();
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    await upsertUnits(trx, units);
    const existing = new Map(
      (
        await trx
          .selectFrom('ledgerTasks')
          .select([
            'id',
            'documentKey',
            'regionCode',
            'seq',
            'path',
            'headings',
            'title',
            'text',
            'leadUnits',
            'responsibleUnits',
            'deadlines',
            (eb) => eb.cast<string | null>('dueOn', 'text').as('dueOn'),
            'targets',
          ])
          .execute()
      ).map(({ id, ...content }) => [id, canonicalJson(content)]),
    );
    const inserts: { id: string; content: TaskContent }[] = [];
    const updates: { id: string; content: TaskContent }[] = [];
    for (const document of documents) {
      const regionCode = units.documents[document.key] ?? CITY;
      await upsertDocument(trx, document, regionCode, now);
      document.measures.forEach((measure, seq) => {
        const content = taskContent(measure, document, regionCode, seq);
        const before = existing.get(measure.id);
        if (before === undefined) inserts.push({ id: measure.id, content });
        else if (before !== canonicalJson(content)) updates.push({ id: measure.id, content });
      });
    }
    for (let i = 0; i < inserts.length; i += CHUNK) {
      const rows = inserts.slice(i, i + CHUNK).map(({ id, content }) => ({
        ...toRow(content),
        id,
        state: 'open' as const,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }));
      await trx.insertInto('ledgerTasks').values(rows).execute();
    }
    for (const { id, content } of updates)
      await trx
        .updateTable('ledgerTasks')
        .set((eb) => ({ ...toRow(content), version: eb('version', '+', 1), updatedAt: now }))
        .where('id', '=', id)
        .execute();
    await replaceTaskUnits(trx, [...inserts, ...updates]);
    return inserts.length + updates.length;
  });
}

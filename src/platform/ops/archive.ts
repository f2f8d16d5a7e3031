import { createHash, type Hash } from 'node:crypto';
import type { Text } from '../i18n';

/** The name written into every OneThing backup archive. */
export const BACKUP_FORMAT = 'onething-backup';
/** The version of the archive layout; a reader refuses versions it does not know. */
export const BACKUP_VERSION = 1;

/** One applied migration, as the archive records it. */
export interface ArchivedMigration {
  version: number;
  name: string;
  checksum: string;
}

/** One table of the archive: its columns, row count and content digest at backup time. */
export interface TableManifest {
  name: string;
  columns: string[];
  rows: number;
  /** Order-independent digest of the rows (sum of 60-bit prefixes of each row's MD5), as text. */
  digest: string;
}

/** One sequence and the value it had at backup time. */
export interface SequenceManifest {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/**
 * The first line of an archive: what it holds, in restore order (parents before children), with
 * every table's row count, so a restore can be checked against it.
 */
export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  engine: 'pglite' | 'postgres';
  migrations: ArchivedMigration[];
  tables: TableManifest[];
  sequences: SequenceManifest[];
  /** The audit chain's head at backup time (null when the log is empty). */
  audit: { entries: number; headHash: string } | null;
}

/** A backup or restore refused for a stated reason, in Chinese and English. */
export class BackupError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
    this.name = 'BackupError';
  }
}

/** The reason a restore was refused, prefixed as an operator reads it. */
export function refused(zh: string, en: string): BackupError {
  return new BackupError({ zh: `拒绝恢复：${zh}`, en: `restore refused: ${en}` });
}

/**
 * Archive lines, one JSON value each:
 *   {"header": BackupHeader}
 *   {"table": name}            then that table's rows as {"row": {column: value}}
 *   {"sha256": hex}            the SHA-256 of every line before it, newline included — always last
 */
export const encode = {
  header: (header: BackupHeader) => `{"header":${JSON.stringify(header)}}\n`,
  table: (name: string) => `{"table":${JSON.stringify(name)}}\n`,
  /** `json` is the row as the database rendered it (to_jsonb), written through unchanged. */
  row: (json: string) => `{"row":${json}}\n`,
  checksum: (hex: string) => `{"sha256":"${hex}"}\n`,
};

/** What one archive line is. */
export type ArchiveLine =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; name: string }
  | { kind: 'row'; row: Record<string, unknown> }
  | { kind: 'checksum'; hex: string };

/** Parses one line of an archive; throws a BackupError naming the line when it is not one. */
export function parseLine(line: string, lineNo: number): ArchiveLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw refused(`第 ${lineNo} 行不是有效的 JSON`, `line ${lineNo} is not valid JSON`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v.row && typeof v.row === 'object' && !Array.isArray(v.row)) {
      return { kind: 'row', row: v.row as Record<string, unknown> };
    }
    if (typeof v.table === 'string') return { kind: 'table', name: v.table };
    if (typeof v.sha256 === 'string') return { kind: 'checksum', hex: v.sha256 };
    if (v.header && typeof v.header === 'object') {
      return { kind: 'header', header: v.header as BackupHeader };
    }
  }
  throw refused(`第 ${lineNo} 行无法识别`, `line ${lineNo} is not an archive line`);
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Checks the header's shape and version; returns it typed or throws the reason. */
export function checkHeader(header: BackupHeader): BackupHeader {
  if (header.format !== BACKUP_FORMAT) {
    throw refused('文件不是 OneThing 备份', 'the file is not a OneThing backup');
  }
  if (header.version !== BACKUP_VERSION) {
    throw refused(
      `备份格式版本 ${String(header.version)} 不受支持（本版本读取 ${BACKUP_VERSION}）`,
      `backup format version ${String(header.version)} is not supported (this release reads ${BACKUP_VERSION})`,
    );
  }
  const names = new Set<string>();
  for (const table of header.tables ?? []) {
    const ok =
      NAME.test(table.name) &&
      !names.has(table.name) &&
      Array.isArray(table.columns) &&
      table.columns.every((c) => NAME.test(c)) &&
      Number.isInteger(table.rows) &&
      /^\d+$/.test(table.digest);
    if (!ok) {
      throw refused(
        `备份清单中的表 ${String(table.name)} 不完整`,
        `the manifest entry of table ${String(table.name)} is malformed`,
      );
    }
    names.add(table.name);
  }
  if (!Array.isArray(header.migrations) || !Array.isArray(header.sequences)) {
    throw refused('备份清单不完整', 'the manifest is incomplete');
  }
  if (header.sequences.some((s) => !NAME.test(s.name) || !/^-?\d+$/.test(s.lastValue))) {
    throw refused('备份清单中的序列不完整', 'a sequence of the manifest is malformed');
  }
  return header;
}

/**
 * Follows an archive line by line and checks its structure: the header first, tables in the
 * manifest's order with exactly the manifest's row counts, and a checksum last that matches every
 * byte before it. Used for the full check before a restore touches the database.
 */
export class ArchiveChecker {
  #hash: Hash = createHash('sha256');
  #lineNo = 0;
  #header: BackupHeader | null = null;
  #tableIndex = -1;
  #rowsInTable = 0;
  #checksum: string | null = null;

  /** The header, once read. */
  get header(): BackupHeader | null {
    return this.#header;
  }

  /** Feeds one line (without its newline); returns it parsed. */
  push(line: string): ArchiveLine {
    this.#lineNo += 1;
    if (this.#checksum !== null) {
      throw refused('校验和之后还有内容', 'there is content after the checksum');
    }
    const parsed = parseLine(line, this.#lineNo);
    if (parsed.kind === 'checksum') {
      this.#endTable();
      this.#checksum = parsed.hex;
      const actual = this.#hash.digest('hex');
      if (actual !== parsed.hex) {
        throw refused(
          '校验和不符：备份文件已损坏或被改动',
          'checksum mismatch: the backup file is damaged or was altered',
        );
      }
      return parsed;
    }
    this.#hash.update(line + '\n');
    if (parsed.kind === 'header') {
      if (this.#lineNo !== 1) throw refused('备份头不在首行', 'the header is not the first line');
      this.#header = checkHeader(parsed.header);
      return parsed;
    }
    if (!this.#header) throw refused('缺少备份头', 'the header is missing');
    if (parsed.kind === 'table') {
      this.#endTable();
      this.#tableIndex += 1;
      const expected = this.#header.tables[this.#tableIndex];
      if (!expected || expected.name !== parsed.name) {
        throw refused(
          `表 ${parsed.name} 不在清单的这个位置`,
          `table ${parsed.name} is not where the manifest puts it`,
        );
      }
      this.#rowsInTable = 0;
      return parsed;
    }
    if (this.#tableIndex < 0) throw refused('数据行不属于任何表', 'a row belongs to no table');
    this.#rowsInTable += 1;
    return parsed;
  }

  /** Ends the archive: throws when the checksum or a table is missing. */
  finish(): BackupHeader {
    if (!this.#header) throw refused('文件为空或不是备份', 'the file is empty or not a backup');
    if (this.#checksum === null) {
      throw refused('备份文件被截断（缺少校验和）', 'the backup file is truncated (no checksum)');
    }
    if (this.#tableIndex !== this.#header.tables.length - 1) {
      throw refused('备份文件缺少表', 'tables of the manifest are missing from the file');
    }
    return this.#header;
  }

  #endTable() {
    if (!this.#header || this.#tableIndex < 0) return;
    const table = this.#header.tables[this.#tableIndex]!;
    if (this.#rowsInTable !== table.rows) {
      throw refused(
        `表 ${table.name} 有 ${this.#rowsInTable} 行，清单记录 ${table.rows} 行`,
        `table ${table.name} holds ${this.#rowsInTable} rows, the manifest says ${table.rows}`,
      );
    }
  }
}

/**
 * Orders tables so that every table comes after the tables its foreign keys point to; references
 * of a table to itself are left to deferred checking. Tables in a cycle keep alphabetical order.
 */
export function dependencyOrder(
  tables: readonly string[],
  references: readonly { child: string; parent: string }[],
): string[] {
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) {
    if (child !== parent && parents.has(child) && parents.has(parent)) {
      parents.get(child)!.add(parent);
    }
  }
  const done = new Set<string>();
  const order: string[] = [];
  const remaining = [...tables].sort();
  while (remaining.length > 0) {
    const ready = remaining.filter((t) => [...parents.get(t)!].every((p) => done.has(p)));
    // A cycle: take the first remaining table; the deferred constraints check it at the end.
    const next = ready.length > 0 ? ready : [remaining[0]!];
    for (const t of next) {
      done.add(t);
      order.push(t);
      remaining.splice(remaining.indexOf(t), 1);
    }
  }
  return order;
}

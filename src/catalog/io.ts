/**
 * Import and export of the whole catalog (导入导出), as YAML or as an Excel workbook. Pure
 * functions: they read and write text and bytes, never the database; the caller writes nothing
 * when an import reports any problem.
 *
 * Both formats carry exactly the item contents of `ItemContentSchema`: exporting, importing and
 * exporting again gives the same items, and YAML → workbook → YAML gives the same text. Keys come
 * out in the schema's order, items sorted by code, absent optional properties stay absent.
 *
 * YAML — one document `items: [ItemContent, …]`. Problems name `items[3] (code …), line 42`.
 *
 * Workbook (.xlsx) — one sheet per table, one row per entry, rows in list order:
 *
 *   事项 Items          code, basicCode, name.zh, name.en, type, audience, … , fee.charged,
 *                       fee.basis, fee.amountYuan, result.kind, … , place.hours
 *   材料 Materials      itemCode, key, name.zh, name.en, requirement, forms, copies, pages,
 *                       sources, deficiencyAllowed, pledgeAllowed, note
 *   情形 Situations     itemCode, key, question.zh, question.en, multiple
 *   选项 Answers        itemCode, situationKey, key, label.zh, label.en, addMaterials,
 *                       removeMaterials, addFields, committedLimit.value, committedLimit.unit
 *   表单 Fields         itemCode, key, label.zh, label.en, type, required, conditional,
 *                       identifierKind, options, min, max, maxLength, help.zh, help.en
 *   表格列 Columns      itemCode, fieldKey, key, then the same columns as Fields
 *   说明 Guide          how to fill the sheets and what every code means; import ignores it
 *
 * The columns are generated from the schema (nested objects flattened to dotted keys), so a new
 * property shows up in both formats without code here. Each header cell holds three lines: the
 * column key, the Chinese title, the English title. Import reads only the first line, so titles
 * may be reworded and columns reordered, but a key must stay as it is. Cell encodings:
 *
 * - blank cell: the property is absent; both `statutoryLimit` cells blank: no statutory limit
 *   (null). An empty-text cell (not a cleared one) is an empty string.
 * - lists (audience, themes, keywords, legalBasis, process, forms, addMaterials …): one entry per
 *   line; a line break inside an entry is written `\n` and a backslash before `n`, `\` or the end
 *   is doubled. Lists of codes and keys may also be separated by `；` `;` `,` `，` `、` or spaces.
 * - sources: one per line, `licence:营业执照`, `shared-data:公安人口库`, `item-result:<item code>`.
 * - options: one per line, `value=中文|English` (a `|` inside a text is written `\|`).
 * - yes/no: TRUE/FALSE or 是/否 (also true/false, yes/no, 1/0).
 * - codes (type, level, unit, requirement, …): the code, or its Chinese or English label.
 *
 * Problems name the sheet, row and column as Excel shows them, e.g. `材料 Materials!D7 (forms)`,
 * or the whole row (`选项 Answers!5:5`) when no single cell is to blame.
 */
import type { Text } from '../platform/i18n';
import type { ItemContent } from './schema';

/** One reason an import cannot be written, with where it is in the file. */
export interface ImportProblem {
  /** Where in the file: `items[3] (code …), line 42` or `材料 Materials!D7 (forms)`. */
  location: string;
  /** Dotted path inside the item (`materials.2.copies`), or the column key when there is no item. */
  path: string;
  /** The rule that failed: a JSON-Schema keyword, a catalog rule, or `syntax`, `exists`, `unique`. */
  rule: string;
  message: Text;
}

/** What an import read: the items (also when there are problems) and every problem found. */
export interface ImportResult {
  items: ItemContent[];
  problems: ImportProblem[];
}

export { canonicalItem } from './io-canonical';
export { exportCatalogYaml, importCatalogYaml } from './io-yaml';
export { exportCatalogWorkbook, importCatalogWorkbook, SHEET_NAMES } from './io-workbook';

import ExcelJS from 'exceljs';
import type { Buffer as ExcelBuffer, Workbook, Worksheet } from 'exceljs';
import type { Text } from '../platform/i18n';
import type { ImportProblem, ImportResult } from './io';
import {
  ITEM_SCHEMA,
  canonicalItem,
  isNullable,
  isRecord,
  objectSchemaOf,
  sortByCode,
  type JsonSchema,
} from './io-canonical';
import {
  decodeCell,
  encodeCell,
  isBlank,
  leavesOf,
  scalarOf,
  scalarText,
  type Leaf,
  type Scalar,
} from './io-cells';
import { checkItem } from './model';
import { ITEM_TYPES, LEVELS, ONLINE_DEPTHS, type ItemContent } from './schema';

// The workbook layout is described at the top of io.ts.

const t = (zh: string, en: string): Text => ({ zh, en });

function listOf(schema: JsonSchema, name: string): JsonSchema {
  const items = schema.properties?.[name]?.items;
  if (!items) throw new Error(`catalog io: ${name} is not a list in the item schema`);
  return items;
}

const MATERIAL = listOf(ITEM_SCHEMA, 'materials');
const SITUATION = listOf(ITEM_SCHEMA, 'situations');
const ANSWER = listOf(SITUATION, 'answers');
const FIELD = listOf(ITEM_SCHEMA, 'form');
const COLUMN = listOf(FIELD, 'columns');

const UNITS = { workdays: t('工作日', 'Working days'), hours: t('工作小时', 'Working hours') };
const AUDIENCES = { person: t('自然人', 'Natural person'), enterprise: t('法人', 'Legal person') };
const RESULT_KINDS = {
  licence: t('证照', 'Licence'),
  approval: t('批准文书', 'Approval'),
  filing: t('备案', 'Filing'),
  payment: t('缴费', 'Payment'),
  certificate: t('证明', 'Certificate'),
  other: t('其他', 'Other'),
};
const REQUIREMENTS = { required: t('必需', 'Required'), conditional: t('视情形', 'Conditional') };
const MATERIAL_FORMS = {
  original: t('原件', 'Original'),
  copy: t('复印件', 'Copy'),
  electronic: t('电子版', 'Electronic'),
};
const SOURCE_KINDS = {
  licence: t('电子证照', 'E-licence'),
  'shared-data': t('共享数据', 'Shared data'),
  'item-result': t('其他事项的结果', 'Result of another item'),
};
const FIELD_TYPES = {
  text: t('文字', 'Text'),
  number: t('数字', 'Number'),
  date: t('日期', 'Date'),
  region: t('行政区划', 'Region'),
  identifier: t('证件号码', 'Identifier'),
  choice: t('选择', 'Choice'),
  table: t('表格', 'Table'),
};
const IDENTIFIER_KINDS = {
  uscc: t('统一社会信用代码', 'Unified social credit code'),
  ric: t('公民身份号码', 'Resident ID number'),
  region: t('行政区划代码', 'Region code'),
  mobile: t('手机号码', 'Mobile number'),
};

const PARENT_TITLES: Record<string, Text> = {
  itemCode: t('所属事项实施编码', 'Item code'),
  situationKey: t('所属情形键', 'Situation key'),
  fieldKey: t('所属表格字段键', 'Table field key'),
};

const FIELD_TITLES: Record<string, Text> = {
  key: t('字段键', 'Field key'),
  'label.zh': t('标签（中文）', 'Label (Chinese)'),
  'label.en': t('标签（英文）', 'Label (English)'),
  type: t('字段类型', 'Field type'),
  required: t('必填', 'Required'),
  conditional: t('仅在情形加入时显示', 'Only when an answer adds it'),
  identifierKind: t('证件号码类型', 'Identifier kind'),
  options: t('选项（值=中文|English）', 'Options (value=中文|English)'),
  min: t('最小值', 'Minimum'),
  max: t('最大值', 'Maximum'),
  maxLength: t('最大长度', 'Maximum length'),
  'help.zh': t('填写说明（中文）', 'Help (Chinese)'),
  'help.en': t('填写说明（英文）', 'Help (English)'),
};
const FIELD_CODES = { type: FIELD_TYPES, identifierKind: IDENTIFIER_KINDS };

interface SheetSpec {
  name: string;
  /** The English word of the name, to find a sheet a person renamed or translated. */
  word: string;
  schema: JsonSchema;
  /** Child tables, written on their own sheets. */
  exclude: readonly string[];
  /** The columns that point a row at its owner, before the entity's own columns. */
  parents: readonly string[];
  titles: Record<string, Text>;
  /** Labels of codes, by column key: accepted in place of the code, and listed in the guide. */
  codes: Record<string, Record<string, Text>>;
}

const ITEMS: SheetSpec = {
  name: '事项 Items',
  word: 'items',
  schema: ITEM_SCHEMA,
  exclude: ['materials', 'situations', 'form'],
  parents: [],
  titles: {
    code: t('实施编码', 'Implementation code'),
    basicCode: t('基本编码', 'Basic code'),
    'name.zh': t('事项名称（中文）', 'Name (Chinese)'),
    'name.en': t('事项名称（英文）', 'Name (English)'),
    type: t('事项类型', 'Item type'),
    audience: t('服务对象', 'Audience'),
    themes: t('主题', 'Themes'),
    keywords: t('关键词', 'Keywords'),
    department: t('实施部门', 'Department'),
    level: t('实施层级', 'Level'),
    regionCode: t('区划代码', 'Region code'),
    legalBasis: t('设定依据', 'Legal basis'),
    conditions: t('受理条件', 'Conditions'),
    'statutoryLimit.value': t('法定办结时限', 'Statutory limit'),
    'statutoryLimit.unit': t('法定时限单位', 'Statutory limit unit'),
    'committedLimit.value': t('承诺办结时限', 'Committed limit'),
    'committedLimit.unit': t('承诺时限单位', 'Committed limit unit'),
    visits: t('跑动次数', 'Visits in person'),
    visitsReason: t('到现场的理由', 'Reason for visits'),
    onlineDepth: t('网办深度', 'Online depth'),
    'fee.charged': t('是否收费', 'Charged'),
    'decision.automatic': t('智能审批（秒批）', 'Decided automatically'),
    'decision.checks': t('智能审批校验规则', 'Decision checks'),
    'decision.issues': t('自动赋码', 'Issued automatically'),
    'decision.deemedApprovedOnTimeout': t('超时默认', 'Deemed approved on timeout'),
    'decision.basis': t('自动决定依据', 'Basis of automatic decisions'),
    'fee.basis': t('收费依据', 'Fee basis'),
    'fee.amountYuan': t('收费金额（元）', 'Fee (yuan)'),
    'result.kind': t('办理结果类型', 'Result kind'),
    'result.name': t('办理结果名称', 'Result name'),
    'result.licenceType': t('证照类型', 'Licence type'),
    quantityLimit: t('数量限制', 'Quantity limit'),
    process: t('办理流程', 'Process steps'),
    'contacts.consultation': t('咨询方式', 'Consultation'),
    'contacts.complaint': t('投诉方式', 'Complaints'),
    'place.address': t('办理地点', 'Address'),
    'place.hours': t('办理时间', 'Opening hours'),
  },
  codes: {
    type: ITEM_TYPES,
    audience: AUDIENCES,
    level: LEVELS,
    'statutoryLimit.unit': UNITS,
    'committedLimit.unit': UNITS,
    'result.kind': RESULT_KINDS,
  },
};

const MATERIALS: SheetSpec = {
  name: '材料 Materials',
  word: 'materials',
  schema: MATERIAL,
  exclude: [],
  parents: ['itemCode'],
  titles: {
    key: t('材料键', 'Material key'),
    'name.zh': t('材料名称（中文）', 'Name (Chinese)'),
    'name.en': t('材料名称（英文）', 'Name (English)'),
    requirement: t('必要性', 'Requirement'),
    forms: t('材料形式', 'Forms'),
    copies: t('份数', 'Copies'),
    pages: t('页数', 'Pages'),
    sources: t('免提交来源（类型:内容）', 'Sources (kind:value)'),
    deficiencyAllowed: t('可容缺', 'May come later (容缺)'),
    pledgeAllowed: t('可告知承诺', 'Pledge may replace it'),
    note: t('备注', 'Note'),
  },
  codes: { requirement: REQUIREMENTS, forms: MATERIAL_FORMS, sources: SOURCE_KINDS },
};

const SITUATIONS: SheetSpec = {
  name: '情形 Situations',
  word: 'situations',
  schema: SITUATION,
  exclude: ['answers'],
  parents: ['itemCode'],
  titles: {
    key: t('情形键', 'Situation key'),
    'question.zh': t('问题（中文）', 'Question (Chinese)'),
    'question.en': t('问题（英文）', 'Question (English)'),
    multiple: t('可多选', 'Several answers'),
  },
  codes: {},
};

const ANSWERS: SheetSpec = {
  name: '选项 Answers',
  word: 'answers',
  schema: ANSWER,
  exclude: [],
  parents: ['itemCode', 'situationKey'],
  titles: {
    key: t('选项键', 'Answer key'),
    'label.zh': t('选项（中文）', 'Answer (Chinese)'),
    'label.en': t('选项（英文）', 'Answer (English)'),
    addMaterials: t('增加材料', 'Adds materials'),
    removeMaterials: t('免除材料', 'Removes materials'),
    addFields: t('增加表单字段', 'Adds fields'),
    'committedLimit.value': t('此情形的承诺时限', 'Committed limit here'),
    'committedLimit.unit': t('承诺时限单位', 'Committed limit unit'),
  },
  codes: { 'committedLimit.unit': UNITS },
};

const FIELDS: SheetSpec = {
  name: '表单 Fields',
  word: 'fields',
  schema: FIELD,
  exclude: ['columns'],
  parents: ['itemCode'],
  titles: FIELD_TITLES,
  codes: FIELD_CODES,
};

const COLUMNS: SheetSpec = {
  name: '表格列 Columns',
  word: 'columns',
  schema: COLUMN,
  exclude: [],
  parents: ['itemCode', 'fieldKey'],
  titles: { ...FIELD_TITLES, key: t('列键', 'Column key') },
  codes: FIELD_CODES,
};

const SHEETS = [ITEMS, MATERIALS, SITUATIONS, ANSWERS, FIELDS, COLUMNS] as const;
const GUIDE = '说明 Guide';

/** The workbook's sheets in order: the six tables, then the guide (which import ignores). */
export const SHEET_NAMES: readonly string[] = [...SHEETS.map((spec) => spec.name), GUIDE];

interface Column {
  key: string;
  title: Text;
  /** Absent for the columns that point at the owner (itemCode, situationKey, fieldKey). */
  leaf?: Leaf;
  width: number;
  /** Formatted as text, so that Excel keeps 01 or 371000 as typed. */
  text: boolean;
}

function widthOf(leaf: Leaf): number {
  if (leaf.key === 'key' || leaf.key === 'code' || leaf.key === 'basicCode') return 22;
  switch (leaf.encoding) {
    case 'text':
      if ((leaf.maxLength ?? 0) >= 1000) return 50;
      if ((leaf.maxLength ?? 0) >= 500 || leaf.key.endsWith('.zh') || leaf.key.endsWith('.en')) {
        return 32;
      }
      return 20;
    case 'list':
      return leaf.lenient ? 20 : 40;
    case 'sources':
    case 'options':
    case 'json-lines':
      return 36;
    default:
      return 14;
  }
}

const COLUMNS_OF = new Map<SheetSpec, Column[]>(
  SHEETS.map((spec) => [
    spec,
    [
      ...spec.parents.map((key) => ({ key, title: PARENT_TITLES[key]!, width: 22, text: true })),
      ...leavesOf(spec.schema, spec.exclude).map((leaf) => ({
        key: leaf.key,
        title: spec.titles[leaf.key] ?? t(leaf.key, leaf.key),
        leaf,
        width: widthOf(leaf),
        text: leaf.encoding !== 'number' && leaf.encoding !== 'boolean',
      })),
    ],
  ]),
);

function columnsOf(spec: SheetSpec): Column[] {
  return COLUMNS_OF.get(spec)!;
}

// ---------------------------------------------------------------------------------------------
// Export

/**
 * The whole catalog as an Excel workbook a person can read and edit: one sheet per table, header
 * row frozen with the column key and bilingual titles, text wrapped, and a guide to the codes.
 */
export async function exportCatalogWorkbook(items: readonly ItemContent[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'OneThing';
  const sheets = new Map(SHEETS.map((spec) => [spec, startSheet(workbook, spec)]));
  const write = (spec: SheetSpec, entity: object, parents: Record<string, string>) => {
    const flat = new Map<string, unknown>();
    flatten(spec.schema, entity as Record<string, unknown>, '', spec.exclude, flat);
    sheets
      .get(spec)!
      .addRow(
        columnsOf(spec).map((column) =>
          column.leaf
            ? encodeCell(column.leaf, flat.get(column.key))
            : (parents[column.key] ?? null),
        ),
      );
  };
  for (const item of sortByCode(items).map((entry) => canonicalItem(entry))) {
    const itemCode = item.code;
    write(ITEMS, item, {});
    for (const material of item.materials) write(MATERIALS, material, { itemCode });
    for (const situation of item.situations) {
      write(SITUATIONS, situation, { itemCode });
      for (const answer of situation.answers) {
        write(ANSWERS, answer, { itemCode, situationKey: situation.key });
      }
    }
    for (const field of item.form) {
      write(FIELDS, field, { itemCode });
      for (const column of field.columns ?? []) {
        write(COLUMNS, column, { itemCode, fieldKey: field.key });
      }
    }
  }
  addGuide(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function flatten(
  schema: JsonSchema,
  value: Record<string, unknown>,
  prefix: string,
  exclude: readonly string[],
  out: Map<string, unknown>,
) {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = prefix + name;
    const entry = value[name];
    if (exclude.includes(key) || entry === undefined || entry === null) continue;
    const object = objectSchemaOf(property);
    if (object && isRecord(entry)) flatten(object, entry, `${key}.`, exclude, out);
    else out.set(key, entry);
  }
}

const HEADER_FILL = 'FFDDEBF7';
const KEY_FILL = 'FFFCE4D6';

function startSheet(workbook: Workbook, spec: SheetSpec): Worksheet {
  const columns = columnsOf(spec);
  const identity = spec.parents.length + 1;
  const sheet = workbook.addWorksheet(spec.name, {
    views: [{ state: 'frozen', xSplit: identity, ySplit: 1 }],
  });
  sheet.columns = columns.map((column) => ({
    key: column.key,
    width: column.width,
    style: {
      alignment: { wrapText: true, vertical: 'top' },
      ...(column.text ? { numFmt: '@' } : {}),
    },
  }));
  const header = sheet.getRow(1);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = `${column.key}\n${column.title.zh}\n${column.title.en}`;
    cell.font = { bold: true };
    cell.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: index < identity ? KEY_FILL : HEADER_FILL },
    };
    cell.alignment = { wrapText: true, vertical: 'top' };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.height = 48;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

const GUIDE_RULES: [string, Text][] = [
  [
    '表头 Header',
    t(
      '表头第一行是 OneThing 读取的列键，请勿修改；第二、三行是中英文列名。列可以调换顺序。',
      'The first line of each header is the column key OneThing reads: keep it. The second and third lines are titles. Columns may be reordered.',
    ),
  ],
  [
    '行 Rows',
    t(
      '事项每项一行；材料、情形、选项、表单字段、表格列每项一行，用 itemCode（及 situationKey、fieldKey）指明所属。同一事项内，行的先后即列表的顺序。',
      'One row per item; one row per material, situation, answer, field and table column, pointing at its owner by itemCode (and situationKey, fieldKey). Within an item, row order is list order.',
    ),
  ],
  [
    '空白 Blank',
    t(
      '空白单元格表示未填写（可选项即省略）；法定时限两格都空表示法律未规定时限。',
      'A blank cell means not given (an optional property is left out); both statutory-limit cells blank mean the law sets no limit.',
    ),
  ],
  [
    '列表 Lists',
    t(
      '每行一项（Alt+Enter 换行）。项内的换行写作 \\n，\\n 前或末尾的反斜杠写作 \\\\。代码和键的列表也可用 ； , 、 或空格分隔。',
      'One entry per line (Alt+Enter). A line break inside an entry is written \\n; a backslash before n, another backslash or the end is doubled. Lists of codes and keys may also be separated by ; , 、 or spaces.',
    ),
  ],
  ['是/否 Yes/no', t('填 TRUE/FALSE 或 是/否。', 'TRUE/FALSE or 是/否.')],
  [
    'sources',
    t(
      '每行一个：licence:证照类型、shared-data:数据来源、item-result:事项实施编码。',
      'One per line: licence:<licence type>, shared-data:<data source>, item-result:<item code>.',
    ),
  ],
  [
    'options',
    t(
      '每行一个：值=中文|English，文字中的 | 写作 \\|。',
      'One per line: value=中文|English; a | inside a text is written \\|.',
    ),
  ],
  [
    'json-lines',
    t(
      '每行一个 JSON 对象，如智能审批校验规则 {"id":"name-ok","label":{"zh":"…","en":"…"},"path":"data.x","rule":{"op":"present"}}。',
      'One JSON object per line, e.g. a decision check {"id":"name-ok","label":{"zh":"…","en":"…"},"path":"data.x","rule":{"op":"present"}}.',
    ),
  ],
  [
    '代码 Codes',
    t(
      '代码列填下表中的代码，也可填其中文或英文名称。',
      'Code columns take a code from the tables below, or its Chinese or English name.',
    ),
  ],
];

function addGuide(workbook: Workbook) {
  const sheet = workbook.addWorksheet(GUIDE, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = [28, 60, 60].map((width) => ({
    width,
    style: { alignment: { wrapText: true, vertical: 'top' } },
  }));
  sheet.addRow(['', '中文', 'English']).font = { bold: true };
  for (const [topic, text] of GUIDE_RULES) sheet.addRow([topic, text.zh, text.en]);
  // One table per list of codes, titled with every column that uses it (units serve three).
  const tables = new Map<Record<string, Text>, string[]>();
  for (const spec of SHEETS) {
    for (const [key, labels] of Object.entries(spec.codes)) {
      tables.set(labels, [...(tables.get(labels) ?? []), `${spec.name} · ${key}`]);
    }
  }
  tables.set(ONLINE_DEPTHS, [`${ITEMS.name} · onlineDepth`]);
  for (const [labels, columns] of tables) {
    sheet.addRow([]);
    sheet.addRow([columns.join('\n')]).font = { bold: true };
    for (const code of Object.keys(labels).sort()) {
      sheet.addRow([code, labels[code]!.zh, labels[code]!.en]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Import

interface Located {
  order: number;
  row: number;
  column: number;
  problem: ImportProblem;
}

interface SheetRead {
  spec: SheetSpec;
  order: number;
  /** Column number of each key found in the header. */
  columns: Map<string, number>;
  missing: Set<string>;
  rows: RowRead[];
}

interface RowRead {
  sheet: SheetRead;
  row: number;
  parents: Record<string, string | undefined>;
  values: Map<string, unknown>;
  blank: Set<string>;
  problems: { key: string; rule: string; message: Text }[];
  /** Where the row's entity ended up in its item, e.g. `situations.1.answers.0`; '' for items. */
  path?: string;
}

function letter(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  }
  return out;
}

/**
 * Reads a workbook written by `exportCatalogWorkbook` (and edited by a person): every cell that
 * cannot be read, rows whose owner does not exist, codes used twice, then every item's problems
 * by `checkItem`, each with the sheet, row and column as Excel shows them.
 */
export async function importCatalogWorkbook(data: Buffer | Uint8Array): Promise<ImportResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    const bytes = Buffer.isBuffer(data)
      ? data
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await workbook.xlsx.load(bytes as unknown as ExcelBuffer);
  } catch (error) {
    return {
      items: [],
      problems: [
        {
          location: 'workbook',
          path: '',
          rule: 'format',
          message: {
            zh: `无法读取 Excel 文件（.xlsx）：${(error as Error).message}`,
            en: `not a readable Excel workbook (.xlsx): ${(error as Error).message}`,
          },
        },
      ],
    };
  }

  const located: Located[] = [];
  const report = (order: number, row: number, column: number, problem: ImportProblem) =>
    located.push({ order, row, column, problem });
  const reads = new Map<SheetSpec, SheetRead>();
  SHEETS.forEach((spec, order) => {
    const sheet =
      workbook.worksheets.find((ws) => ws.name === spec.name) ??
      workbook.worksheets.find((ws) => ws.name.toLowerCase().split(/\s+/).includes(spec.word));
    if (!sheet) {
      report(order, 0, 0, {
        location: spec.name,
        path: '',
        rule: 'sheet',
        message: { zh: `缺少工作表「${spec.name}」`, en: `the sheet ${spec.name} is missing` },
      });
      return;
    }
    reads.set(spec, readSheet(sheet, spec, order, report));
  });

  const cellAt = (read: RowRead, key: string) => {
    const column = read.sheet.columns.get(key);
    const name = read.sheet.spec.name;
    return {
      column: column ?? 0,
      location:
        column === undefined
          ? `${name}!${read.row}:${read.row}`
          : `${name}!${letter(column)}${read.row} (${key})`,
    };
  };
  const reportRow = (read: RowRead, key: string, path: string, rule: string, message: Text) => {
    const { column, location } = cellAt(read, key);
    report(read.sheet.order, read.row, column, { location, path, rule, message });
  };

  const items = reads.get(ITEMS);
  // Without the items every other row would be an orphan: the missing sheet says it all.
  if (!items) return { items: [], problems: located.map((entry) => entry.problem) };
  const built: Built[] = [];
  const byCode = new Map<string, Built>();
  for (const read of items.rows) {
    const item = assemble(ITEMS.schema, read.values, ITEMS.exclude);
    Object.assign(item, { materials: [], situations: [], form: [] });
    read.path = '';
    const code = typeof item.code === 'string' ? item.code.trim() : undefined;
    const first = code === undefined ? undefined : byCode.get(code);
    if (first) {
      reportRow(read, 'code', 'code', 'unique', {
        zh: `实施编码 ${code} 已在第 ${first.origins.get('')!.row} 行使用`,
        en: `code ${code} is already used in row ${first.origins.get('')!.row}`,
      });
      continue;
    }
    const entry: Built = {
      item: item as unknown as ItemContent,
      origins: new Map([['', read]]),
      situations: new Map(),
      fields: new Map(),
    };
    built.push(entry);
    if (code !== undefined) byCode.set(code, entry);
  }

  // Each sub-row joins its owner; a row whose owner cannot be found is reported and left out.
  const owner = (read: RowRead, parents: readonly string[]) => {
    for (const key of parents) {
      if (read.parents[key] === undefined) {
        reportRow(read, key, key, 'required', {
          zh: `须填写 ${key}，指明此行所属`,
          en: `${key} is required: it names what this row belongs to`,
        });
        return undefined;
      }
    }
    const code = read.parents.itemCode!;
    const entry = byCode.get(code);
    if (!entry) {
      reportRow(read, 'itemCode', 'itemCode', 'exists', {
        zh: `事项 ${code} 不在「${ITEMS.name}」表中`,
        en: `item ${code} is not in the sheet ${ITEMS.name}`,
      });
    }
    return entry;
  };
  const attach = (
    entry: Built,
    read: RowRead,
    path: string,
    schema: JsonSchema,
    spec: SheetSpec,
  ) => {
    read.path = path;
    entry.origins.set(path, read);
    return assemble(schema, read.values, spec.exclude);
  };

  for (const read of reads.get(MATERIALS)?.rows ?? []) {
    const entry = owner(read, MATERIALS.parents);
    if (!entry) continue;
    const list = entry.item.materials as unknown[];
    list.push(attach(entry, read, `materials.${list.length}`, MATERIAL, MATERIALS));
  }
  for (const read of reads.get(SITUATIONS)?.rows ?? []) {
    const entry = owner(read, SITUATIONS.parents);
    if (!entry) continue;
    const list = entry.item.situations as unknown[];
    const situation = attach(entry, read, `situations.${list.length}`, SITUATION, SITUATIONS);
    situation.answers = [];
    const key = situation.key;
    if (typeof key === 'string' && !entry.situations.has(key.trim())) {
      entry.situations.set(key.trim(), list.length);
    }
    list.push(situation);
  }
  for (const read of reads.get(ANSWERS)?.rows ?? []) {
    const entry = owner(read, ANSWERS.parents);
    if (!entry) continue;
    const key = read.parents.situationKey!;
    const index = entry.situations.get(key);
    if (index === undefined) {
      reportRow(read, 'situationKey', 'situationKey', 'exists', {
        zh: `事项 ${entry.item.code} 在「${SITUATIONS.name}」表中没有情形 ${key}`,
        en: `item ${entry.item.code} has no situation ${key} in the sheet ${SITUATIONS.name}`,
      });
      continue;
    }
    const list = entry.item.situations[index]!.answers as unknown[];
    list.push(attach(entry, read, `situations.${index}.answers.${list.length}`, ANSWER, ANSWERS));
  }
  for (const read of reads.get(FIELDS)?.rows ?? []) {
    const entry = owner(read, FIELDS.parents);
    if (!entry) continue;
    const list = entry.item.form as unknown[];
    const field = attach(entry, read, `form.${list.length}`, FIELD, FIELDS);
    const key = field.key;
    if (typeof key === 'string' && !entry.fields.has(key.trim())) {
      entry.fields.set(key.trim(), list.length);
    }
    list.push(field);
  }
  for (const read of reads.get(COLUMNS)?.rows ?? []) {
    const entry = owner(read, COLUMNS.parents);
    if (!entry) continue;
    const key = read.parents.fieldKey!;
    const index = entry.fields.get(key);
    if (index === undefined) {
      reportRow(read, 'fieldKey', 'fieldKey', 'exists', {
        zh: `事项 ${entry.item.code} 在「${FIELDS.name}」表中没有字段 ${key}`,
        en: `item ${entry.item.code} has no field ${key} in the sheet ${FIELDS.name}`,
      });
      continue;
    }
    const field = entry.item.form[index]!;
    const list = (field.columns ??= []) as unknown[];
    list.push(attach(entry, read, `form.${index}.columns.${list.length}`, COLUMN, COLUMNS));
  }

  // Cells that could not be read, with the path their entity ended up at.
  const unreadable = new Set<string>();
  for (const read of reads.values()) {
    for (const row of read.rows) {
      for (const problem of row.problems) {
        unreadable.add(`${read.order}:${row.row}:${problem.key}`);
        const path = row.path ? `${row.path}.${problem.key}` : problem.key;
        reportRow(row, problem.key, path, problem.rule, problem.message);
      }
    }
  }

  const result: ItemContent[] = [];
  for (const entry of built) {
    const item = canonicalItem(entry.item);
    result.push(item);
    for (const problem of checkItem(item)) {
      const { read, key } = locate(entry, problem.path);
      // A missing column is reported once, and an unreadable cell in words of its own: the schema's
      // view of the same cell would only repeat it.
      if (key !== undefined && read.sheet.missing.has(key)) continue;
      if (key !== undefined && unreadable.has(`${read.sheet.order}:${read.row}:${key}`)) continue;
      reportRow(read, key ?? '', problem.path, problem.rule, problem.message);
    }
  }

  located.sort((a, b) => a.order - b.order || a.row - b.row || a.column - b.column);
  return { items: result, problems: located.map((entry) => entry.problem) };
}

interface Built {
  item: ItemContent;
  /** The row each entity came from, by its path in the item ('' for the item's own row). */
  origins: Map<string, RowRead>;
  situations: Map<string, number>;
  fields: Map<string, number>;
}

// The row and column a problem's path points at: the deepest entity on the path that has a row,
// then the column named by the rest of the path (or the column holding it, or the first column of
// the object it names, preferring a blank one since that is usually what is missing).
function locate(entry: Built, path: string): { read: RowRead; key?: string } {
  const segments = path.split('.').filter(Boolean);
  for (const depth of [4, 2, 0]) {
    if (depth > segments.length) continue;
    const read = entry.origins.get(segments.slice(0, depth).join('.'));
    if (!read) continue;
    const rest = segments.slice(depth).join('.');
    const keys = columnsOf(read.sheet.spec)
      .filter((column) => column.leaf)
      .map((column) => column.key);
    if (keys.includes(rest)) return { read, key: rest };
    const holding = keys.filter((key) => rest.startsWith(`${key}.`));
    if (holding.length > 0) {
      return { read, key: holding.sort((a, b) => b.length - a.length)[0] };
    }
    const inside = keys.filter((key) => rest !== '' && key.startsWith(`${rest}.`));
    if (inside.length > 0)
      return { read, key: inside.find((key) => read.blank.has(key)) ?? inside[0] };
    return { read };
  }
  return { read: entry.origins.get('')! };
}

// An entity from the cells of its row, objects nested as the schema says: a required object is
// always there (so the schema names its missing properties), an optional one only when one of its
// cells is filled, a nullable one (the statutory limit) is null when all its cells are blank.
function assemble(
  schema: JsonSchema,
  values: Map<string, unknown>,
  exclude: readonly string[],
  prefix = '',
): Record<string, unknown> {
  return assembleObject(schema, values, exclude, prefix).value;
}

function assembleObject(
  schema: JsonSchema,
  values: Map<string, unknown>,
  exclude: readonly string[],
  prefix: string,
): { value: Record<string, unknown>; touched: boolean } {
  const value: Record<string, unknown> = {};
  let touched = false;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = prefix + name;
    if (exclude.includes(key)) continue;
    const object = objectSchemaOf(property);
    if (object) {
      const child = assembleObject(object, values, exclude, `${key}.`);
      if (child.touched) {
        value[name] = child.value;
        touched = true;
      } else if (isNullable(property)) value[name] = null;
      else if ((schema.required ?? []).includes(name)) value[name] = child.value;
    } else if (values.has(key)) {
      value[name] = values.get(key);
      touched = true;
    }
  }
  return { value, touched };
}

function readSheet(
  sheet: Worksheet,
  spec: SheetSpec,
  order: number,
  report: (order: number, row: number, column: number, problem: ImportProblem) => void,
): SheetRead {
  const known = columnsOf(spec);
  const read: SheetRead = { spec, order, columns: new Map(), missing: new Set(), rows: [] };
  const header = sheet.getRow(1);
  for (let column = 1; column <= sheet.columnCount; column++) {
    const key = scalarText(scalarOf(header.getCell(column).value))
      .split('\n')[0]!
      .trim();
    if (key === '') continue;
    const location = `${spec.name}!${letter(column)}1 (${key})`;
    if (!known.some((c) => c.key === key)) {
      report(order, 1, column, {
        location,
        path: key,
        rule: 'column',
        message: {
          zh: `未知的列 ${key}：表头第一行须是列键（见「${GUIDE}」）`,
          en: `unknown column ${key}: the first line of a header must be a column key (see ${GUIDE})`,
        },
      });
    } else if (read.columns.has(key)) {
      report(order, 1, column, {
        location,
        path: key,
        rule: 'unique',
        message: {
          zh: `列 ${key} 出现了两次`,
          en: `the column ${key} appears twice`,
        },
      });
    } else read.columns.set(key, column);
  }
  for (const column of known) {
    if (read.columns.has(column.key)) continue;
    read.missing.add(column.key);
    report(order, 1, 0, {
      location: `${spec.name}!1:1`,
      path: column.key,
      rule: 'column',
      message: { zh: `缺少列 ${column.key}`, en: `the column ${column.key} is missing` },
    });
  }
  // Without the column that names their owner, rows cannot be placed: the missing column says it.
  if (spec.parents.some((key) => read.missing.has(key))) return read;

  // Only rows that hold something: a column formatted down to row 1,048,576 is not a million rows.
  sheet.eachRow({ includeEmpty: false }, (cells, row) => {
    if (row === 1) return;
    const scalars = new Map<string, Scalar>();
    for (const [key, column] of read.columns)
      scalars.set(key, scalarOf(cells.getCell(column).value));
    if ([...scalars.values()].every(isBlank)) return;
    const entry: RowRead = {
      sheet: read,
      row,
      parents: {},
      values: new Map(),
      blank: new Set(),
      problems: [],
    };
    for (const column of known) {
      const scalar = scalars.get(column.key) ?? null;
      if (!column.leaf) {
        const text = scalarText(scalar).trim();
        entry.parents[column.key] = text === '' ? undefined : text;
        continue;
      }
      if (isBlank(scalar)) entry.blank.add(column.key);
      const decoded = decodeCell(column.leaf, scalar, spec.codes[column.key]);
      if (!decoded) continue;
      entry.values.set(column.key, decoded.value);
      if (decoded.problem) entry.problems.push({ key: column.key, ...decoded.problem });
    }
    read.rows.push(entry);
  });
  return read;
}

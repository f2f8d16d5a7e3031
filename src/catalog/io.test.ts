import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Buffer as ExcelBuffer, Worksheet } from 'exceljs';
import fc from 'fast-check';
import { isSeq, parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  SHEET_NAMES,
  exportCatalogWorkbook,
  exportCatalogYaml,
  importCatalogWorkbook,
  importCatalogYaml,
} from './io';
import { escapeEntry, splitEscaped } from './io-cells';
import { checkItem } from './model';
import type { FormField, ItemContent, Material, Situation, TimeLimit } from './schema';

// Three hand-written items that between them use every kind of property: a table field with
// columns, choice options, every material source, optional properties present and absent, texts
// with line breaks, backslashes and separators, numbers that are not integers, an empty note.

const ENTERPRISE: ItemContent = {
  code: '371000-SCJG-01-0001',
  basicCode: '010105001000',
  name: { zh: '企业设立登记', en: 'Registration of a new enterprise' },
  type: '01',
  audience: ['person', 'enterprise'],
  themes: ['企业开办'],
  keywords: ['开公司', '营业执照', 'C:\\登记'],
  department: 'scjg',
  level: 'city',
  regionCode: '371000',
  legalBasis: [
    '《中华人民共和国市场主体登记管理条例》第三条',
    '《中华人民共和国公司法》第二十九条\n（第二款）',
  ],
  conditions: '申请人符合《公司法》规定的设立条件；\n名称已自主申报。',
  statutoryLimit: { value: 3, unit: 'workdays' },
  committedLimit: { value: 0.5, unit: 'hours' },
  visits: 0,
  onlineDepth: 8,
  fee: { charged: false },
  result: { kind: 'licence', name: '营业执照', licenceType: '营业执照' },
  process: ['网上申报', '审核', '发照'],
  contacts: { consultation: '12345', complaint: '12345；好差评' },
  place: { address: '威海市政务服务中心', hours: '工作日 9:00—17:00' },
  materials: [
    {
      key: 'applicant-id',
      name: { zh: '申请人身份证明', en: "Applicant's identity document" },
      requirement: 'required',
      forms: ['electronic'],
      copies: 0,
      sources: [
        { kind: 'licence', licenceType: '居民身份证' },
        { kind: 'shared-data', source: '公安人口库: 实名核验' },
      ],
      deficiencyAllowed: false,
      pledgeAllowed: false,
      note: '',
    },
    {
      key: 'articles',
      name: { zh: '公司章程', en: 'Articles of association' },
      requirement: 'required',
      forms: ['original', 'electronic'],
      copies: 1,
      pages: 12,
      sources: [],
      deficiencyAllowed: true,
      pledgeAllowed: false,
      note: '全体股东签字',
    },
    {
      key: 'name-notice',
      name: { zh: '名称自主申报告知书', en: 'Notice of the declared name' },
      requirement: 'conditional',
      forms: ['copy'],
      copies: 1,
      sources: [{ kind: 'item-result', itemCode: '371000-XZSP-07-0001' }],
      deficiencyAllowed: false,
      pledgeAllowed: true,
    },
  ],
  situations: [
    {
      key: 'name-declared',
      question: { zh: '名称是否已自主申报？', en: 'Has the name been declared?' },
      multiple: false,
      answers: [
        {
          key: 'yes',
          label: { zh: '是', en: 'Yes' },
          addMaterials: ['name-notice'],
          removeMaterials: [],
          addFields: [],
        },
        {
          key: 'no',
          label: { zh: '否', en: 'No' },
          addMaterials: [],
          removeMaterials: [],
          addFields: ['shareholders'],
          committedLimit: { value: 1, unit: 'workdays' },
        },
      ],
    },
  ],
  form: [
    {
      key: 'company-name',
      label: { zh: '企业名称', en: 'Company name' },
      type: 'text',
      required: true,
      maxLength: 100,
      help: { zh: '与告知书一致', en: 'As on the notice' },
    },
    {
      key: 'company-form',
      label: { zh: '组织形式', en: 'Legal form' },
      type: 'choice',
      required: true,
      options: [
        { value: 'llc', label: { zh: '有限责任公司', en: 'Limited liability company' } },
        { value: 'sole', label: { zh: '个人独资|合伙', en: 'Sole | partnership' } },
      ],
    },
    {
      key: 'shareholders',
      label: { zh: '股东', en: 'Shareholders' },
      type: 'table',
      required: false,
      conditional: true,
      columns: [
        {
          key: 'holder-id',
          label: { zh: '证件号码', en: 'ID number' },
          type: 'identifier',
          required: true,
          identifierKind: 'ric',
        },
        {
          key: 'holder-share',
          label: { zh: '出资比例', en: 'Share' },
          type: 'number',
          required: true,
          min: 0,
          max: 100,
        },
        {
          key: 'holder-kind',
          label: { zh: '股东类型', en: 'Kind' },
          type: 'choice',
          required: false,
          options: [{ value: 'person', label: { zh: '自然人', en: 'Person' } }],
        },
      ],
    },
  ],
};

const PERMIT: ItemContent = {
  code: '371000-ZJJ-01-0002',
  basicCode: '010203004000',
  name: { zh: '建筑工程施工许可', en: 'Construction permit' },
  type: '01',
  audience: ['enterprise'],
  themes: [],
  keywords: [],
  department: 'zjj',
  level: 'county',
  regionCode: '371002',
  legalBasis: ['《建筑法》第七条'],
  conditions: '已取得建设工程规划许可证',
  statutoryLimit: { value: 7, unit: 'workdays' },
  committedLimit: { value: 3, unit: 'workdays' },
  visits: 1,
  visitsReason: '现场核验图纸原件',
  onlineDepth: 4,
  fee: { charged: true, basis: '《工程建设收费标准》', amountYuan: 12.5 },
  result: { kind: 'approval', name: '施工许可证' },
  quantityLimit: '无数量限制',
  process: [],
  contacts: { consultation: '0631-5200000', complaint: '12345' },
  place: { address: '环翠区政务服务中心', hours: '工作日' },
  materials: [],
  situations: [],
  form: [
    {
      key: 'start-date',
      label: { zh: '开工日期', en: 'Start date' },
      type: 'date',
      required: true,
    },
    {
      key: 'site',
      label: { zh: '工程地点', en: 'Site' },
      type: 'region',
      required: true,
    },
    {
      key: 'area',
      label: { zh: '建筑面积', en: 'Floor area' },
      type: 'number',
      required: false,
      min: -0.5,
      max: 1e6,
    },
  ],
};

const BIRTH: ItemContent = {
  code: '371000-WJW-20-0003',
  basicCode: '200101001000',
  name: { zh: '出生医学证明首次签发', en: 'First issue of a birth certificate' },
  type: '20',
  audience: ['person'],
  themes: ['出生', '生育'],
  keywords: ['出生证'],
  department: 'wjw',
  level: 'city',
  regionCode: '371000',
  legalBasis: ['《母婴保健法》第二十三条'],
  conditions: '在本市助产机构出生',
  statutoryLimit: null,
  committedLimit: { value: 10, unit: 'workdays' },
  visits: 0,
  onlineDepth: 6,
  fee: { charged: false, basis: '不收费' },
  result: { kind: 'certificate', name: '出生医学证明' },
  process: ['申请', '签发'],
  contacts: { consultation: '12345', complaint: '12345' },
  place: { address: '助产机构', hours: '全天' },
  materials: [
    {
      key: 'parent-id',
      name: { zh: '父母身份证', en: "Parents' ID cards" },
      requirement: 'required',
      forms: ['original'],
      copies: 1,
      sources: [],
      deficiencyAllowed: false,
      pledgeAllowed: false,
    },
  ],
  situations: [
    {
      key: 'parents',
      question: { zh: '父母情况', en: 'Parents' },
      multiple: true,
      answers: [
        {
          key: 'both',
          label: { zh: '父母双方', en: 'Both parents' },
          addMaterials: [],
          removeMaterials: [],
          addFields: [],
        },
        {
          key: 'mother-only',
          label: { zh: '仅母亲', en: 'Mother only' },
          addMaterials: [],
          removeMaterials: ['parent-id'],
          addFields: [],
        },
      ],
    },
  ],
  form: [],
};

/** The fixture, sorted by code as every export sorts it. */
const FIXTURE = [ENTERPRISE, BIRTH, PERMIT];

async function openWorkbook(data: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ExcelBuffer);
  return workbook;
}

async function saveWorkbook(workbook: ExcelJS.Workbook) {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The column number of a key, read from the header as import reads it. */
function columnOf(sheet: Worksheet, key: string): number {
  for (let column = 1; column <= sheet.columnCount; column++) {
    if (String(sheet.getRow(1).getCell(column).value).split('\n')[0] === key) return column;
  }
  throw new Error(`no column ${key} in ${sheet.name}`);
}

/** The row number of the first row whose cells hold these values. */
function rowOf(sheet: Worksheet, match: Record<string, string>): number {
  for (let row = 2; row <= sheet.rowCount; row++) {
    const cells = sheet.getRow(row);
    if (
      Object.entries(match).every(([key, v]) => cells.getCell(columnOf(sheet, key)).value === v)
    ) {
      return row;
    }
  }
  throw new Error(`no row ${JSON.stringify(match)} in ${sheet.name}`);
}

function address(sheet: Worksheet, key: string, row: number) {
  return `${sheet.name}!${sheet.getColumn(columnOf(sheet, key)).letter}${row} (${key})`;
}

async function workbookRoundTrip(items: ItemContent[]) {
  return importCatalogWorkbook(await exportCatalogWorkbook(items));
}

describe('the fixture', () => {
  it('is a valid catalog, so that round trips test data the platform accepts', () => {
    for (const item of FIXTURE) expect(checkItem(item)).toEqual([]);
  });
});

describe('YAML export and import', () => {
  it('reads back exactly what it wrote, without problems', () => {
    const result = importCatalogYaml(exportCatalogYaml(FIXTURE));
    expect(result.problems).toEqual([]);
    expect(result.items).toStrictEqual(FIXTURE);
  });

  it('writes items sorted by code with keys in the schema order, whatever order it is given', () => {
    const shuffled = [BIRTH, ENTERPRISE, PERMIT].map(
      (item) => Object.fromEntries(Object.entries(item).reverse()) as ItemContent,
    );
    const text = exportCatalogYaml(shuffled);
    expect(text).toBe(exportCatalogYaml(FIXTURE));
    expect(
      text.startsWith('items:\n  - code: 371000-SCJG-01-0001\n    basicCode: "010105001000"\n'),
    ).toBe(true);
    expect(Object.keys(parse(text).items[0])).toEqual(Object.keys(ENTERPRISE));
  });

  it('leaves absent optional properties absent, and never writes undefined', () => {
    const withUndefined = { ...PERMIT, quantityLimit: undefined } as unknown as ItemContent;
    const [item] = importCatalogYaml(exportCatalogYaml([withUndefined])).items;
    expect(item).not.toHaveProperty('quantityLimit');
    expect(item!.result).toStrictEqual({ kind: 'approval', name: '施工许可证' });
    expect(item!.statutoryLimit).toStrictEqual({ value: 7, unit: 'workdays' });
    expect(importCatalogYaml(exportCatalogYaml([BIRTH])).items[0]!.statutoryLimit).toBeNull();
  });

  it('reports a syntax error as a problem with its line, instead of throwing', () => {
    const text = 'items:\n  - code: A\n    name: { zh: 名称, en: Name\n  - code: B\n';
    const result = importCatalogYaml(text);
    expect(result.items).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems[0]).toMatchObject({
      rule: 'syntax',
      location: expect.stringMatching(/^line \d+, column \d+$/),
    });
    expect(result.problems[0]!.message.en).toMatch(/^YAML syntax error/);
  });

  it('reports a document without an items list', () => {
    expect(importCatalogYaml('- a\n- b\n').problems).toMatchObject([{ rule: 'type' }]);
    expect(importCatalogYaml('itemz: []\n').problems).toMatchObject([
      { path: 'itemz', rule: 'additionalProperties' },
      { path: 'items', rule: 'required' },
    ]);
  });

  it('names the item, its code and the line of every problem, and codes used twice', () => {
    const broken = { ...PERMIT, committedLimit: { value: 9, unit: 'workdays' } as TimeLimit };
    const text =
      exportCatalogYaml([ENTERPRISE, broken]) +
      exportCatalogYaml([PERMIT]).slice('items:\n'.length);
    const lines = text.split('\n');
    const committedLine =
      lines.findIndex(
        (l, i) =>
          i > lines.indexOf('  - code: 371000-ZJJ-01-0002') && l.startsWith('    committedLimit:'),
      ) + 1;
    const secondPermit = lines.lastIndexOf('  - code: 371000-ZJJ-01-0002') + 1;
    const result = importCatalogYaml(text);
    expect(result.items).toHaveLength(3);
    expect(result.problems).toEqual([
      {
        location: `items[1] (code 371000-ZJJ-01-0002), line ${committedLine}`,
        path: 'committedLimit',
        rule: 'within_statutory',
        message: expect.objectContaining({ en: expect.stringContaining('must not exceed') }),
      },
      {
        location: `items[2] (code 371000-ZJJ-01-0002), line ${secondPermit}`,
        path: 'code',
        rule: 'unique',
        message: expect.objectContaining({ en: expect.stringContaining('items[1]') }),
      },
    ]);
  });

  it('points a missing property at the line of the object that lacks it', () => {
    const text = exportCatalogYaml([PERMIT]).replace('    onlineDepth: 4\n', '');
    const { problems } = importCatalogYaml(text);
    expect(problems).toMatchObject([
      {
        path: 'onlineDepth',
        rule: 'required',
        location: 'items[0] (code 371000-ZJJ-01-0002), line 2',
      },
    ]);
  });
});

describe('workbook export and import', () => {
  it('reads back exactly what it wrote, without problems', async () => {
    const result = await workbookRoundTrip(FIXTURE);
    expect(result.problems).toEqual([]);
    expect(result.items).toStrictEqual(FIXTURE);
  });

  it('turns YAML into a workbook and back into the same YAML text', async () => {
    const yaml = exportCatalogYaml(FIXTURE);
    const items = importCatalogYaml(yaml).items;
    const again = await workbookRoundTrip(items);
    expect(exportCatalogYaml(again.items)).toBe(yaml);
  });

  it('lays out one sheet per table with a frozen, keyed and titled header row', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(SHEET_NAMES);
    expect(SHEET_NAMES).toEqual([
      '事项 Items',
      '材料 Materials',
      '情形 Situations',
      '选项 Answers',
      '表单 Fields',
      '表格列 Columns',
      '说明 Guide',
    ]);
    const items = workbook.getWorksheet('事项 Items')!;
    expect(items.getCell('A1').value).toBe('code\n实施编码\nImplementation code');
    expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 1 });
    expect(items.getColumn(columnOf(items, 'legalBasis')).width).toBeGreaterThan(30);
    expect(items.getCell(2, columnOf(items, 'statutoryLimit.value')).value).toBe(3);
    expect(items.getCell(2, columnOf(items, 'fee.charged')).value).toBe(false);
    expect(items.getCell(2, columnOf(items, 'type')).value).toBe('01');
    expect(items.getCell(2, columnOf(items, 'audience')).value).toBe('person\nenterprise');
    expect(items.getCell(2, columnOf(items, 'keywords')).alignment?.wrapText).toBe(true);
    // Both statutory cells of an item without a statutory limit are blank.
    const birth = rowOf(items, { code: BIRTH.code });
    expect(items.getCell(birth, columnOf(items, 'statutoryLimit.value')).value).toBeNull();

    const materials = workbook.getWorksheet('材料 Materials')!;
    expect(materials.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 2 });
    const idRow = rowOf(materials, { itemCode: ENTERPRISE.code, key: 'applicant-id' });
    expect(materials.getCell(idRow, columnOf(materials, 'sources')).value).toBe(
      'licence:居民身份证\nshared-data:公安人口库: 实名核验',
    );
    const fields = workbook.getWorksheet('表单 Fields')!;
    const formRow = rowOf(fields, { itemCode: ENTERPRISE.code, key: 'company-form' });
    expect(fields.getCell(formRow, columnOf(fields, 'options')).value).toBe(
      'llc=有限责任公司|Limited liability company\nsole=个人独资\\|合伙|Sole \\| partnership',
    );
    const columns = workbook.getWorksheet('表格列 Columns')!;
    expect(columns.getRow(1).values).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fieldKey\n/),
        expect.stringMatching(/^key\n/),
      ]),
    );
    const answers = workbook.getWorksheet('选项 Answers')!;
    expect(
      rowOf(answers, { itemCode: ENTERPRISE.code, situationKey: 'name-declared', key: 'no' }),
    ).toBe(3);
  });

  it('gives every column a bilingual title of its own', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook([]));
    for (const sheet of workbook.worksheets.slice(0, 6)) {
      for (let column = 1; column <= sheet.columnCount; column++) {
        const [key, zh, en] = String(sheet.getRow(1).getCell(column).value).split('\n');
        expect(zh, `${sheet.name} ${key}`).not.toBe(key);
        expect(en, `${sheet.name} ${key}`).not.toBe(key);
      }
    }
  });

  it('reads cells the way a person types them: 是/否, TRUE/FALSE, labels, numbers as text', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    const items = workbook.getWorksheet('事项 Items')!;
    const row = rowOf(items, { code: PERMIT.code });
    items.getCell(row, columnOf(items, 'fee.charged')).value = '是';
    items.getCell(row, columnOf(items, 'type')).value = 1; // 01 typed into a General cell
    items.getCell(row, columnOf(items, 'level')).value = '县级';
    items.getCell(row, columnOf(items, 'visits')).value = ' 1 ';
    items.getCell(row, columnOf(items, 'audience')).value = '法人';
    items.getCell(row, columnOf(items, 'regionCode')).value = 371002;
    const materials = workbook.getWorksheet('材料 Materials')!;
    const m = rowOf(materials, { key: 'articles' });
    materials.getCell(m, columnOf(materials, 'deficiencyAllowed')).value = 'TRUE';
    materials.getCell(m, columnOf(materials, 'pledgeAllowed')).value = '否';
    materials.getCell(m, columnOf(materials, 'forms')).value = '原件；electronic';
    materials.getCell(m, columnOf(materials, 'sources')).value = null;
    const result = await importCatalogWorkbook(await saveWorkbook(workbook));
    expect(result.problems).toEqual([]);
    expect(result.items).toStrictEqual(FIXTURE);
  });

  it('reports corrupt cells, orphan rows and broken rules with sheet, row and column, all in one pass', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    const items = workbook.getWorksheet('事项 Items')!;
    const materials = workbook.getWorksheet('材料 Materials')!;
    const answers = workbook.getWorksheet('选项 Answers')!;

    // A word where a number belongs, in the committed limit of an answer of the first item.
    const answer = rowOf(answers, { situationKey: 'name-declared', key: 'no' });
    answers.getCell(answer, columnOf(answers, 'committedLimit.value')).value = '一天';
    // An item type code that does not exist, in the second item.
    const permit = rowOf(items, { code: PERMIT.code });
    items.getCell(permit, columnOf(items, 'type')).value = '99';
    // A committed limit above the statutory one, in the third item (statutory: none → 2 days).
    const birth = rowOf(items, { code: BIRTH.code });
    items.getCell(birth, columnOf(items, 'statutoryLimit.value')).value = 2;
    items.getCell(birth, columnOf(items, 'statutoryLimit.unit')).value = 'workdays';
    // A material of an item that is not in the Items sheet.
    const orphan = materials.rowCount + 1;
    materials.getRow(orphan).values = ['371000-NONE-01-9999', 'stray', '无主材料', 'Stray'];

    const result = await importCatalogWorkbook(await saveWorkbook(workbook));
    expect(result.problems).toEqual([
      {
        location: address(items, 'committedLimit.value', birth),
        path: 'committedLimit',
        rule: 'within_statutory',
        message: expect.objectContaining({ zh: expect.stringContaining('不得长于法定时限') }),
      },
      {
        location: address(items, 'type', permit),
        path: 'type',
        rule: 'enum',
        message: expect.objectContaining({
          en: expect.stringMatching(/^"99" is not a known code; use one of: 01, 02/),
        }),
      },
      {
        location: address(materials, 'itemCode', orphan),
        path: 'itemCode',
        rule: 'exists',
        message: expect.objectContaining({
          en: 'item 371000-NONE-01-9999 is not in the sheet 事项 Items',
        }),
      },
      {
        location: address(answers, 'committedLimit.value', answer),
        path: 'situations.0.answers.1.committedLimit.value',
        rule: 'type',
        message: expect.objectContaining({ en: 'must be a number, the cell holds "一天"' }),
      },
    ]);
    // The addresses are those Excel shows.
    expect(result.problems.map((p) => p.location)).toEqual([
      '事项 Items!P3 (committedLimit.value)',
      '事项 Items!E4 (type)',
      '材料 Materials!A6 (itemCode)',
      '选项 Answers!I3 (committedLimit.value)',
    ]);
  });

  it('reports codes used twice, rows whose owner is missing, and a whole row when no cell is to blame', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    const items = workbook.getWorksheet('事项 Items')!;
    const answers = workbook.getWorksheet('选项 Answers')!;
    const columns = workbook.getWorksheet('表格列 Columns')!;
    const copy = items.rowCount + 1;
    items.getRow(copy).values = items.getRow(2).values;
    // The first item's answer 'yes' loses its situation, which is left with one answer.
    const yes = rowOf(answers, { itemCode: ENTERPRISE.code, key: 'yes' });
    answers.getCell(yes, columnOf(answers, 'situationKey')).value = 'no-such-situation';
    columns.getCell(2, columnOf(columns, 'fieldKey')).value = 'no-such-field';

    const { problems } = await importCatalogWorkbook(await saveWorkbook(workbook));
    expect(problems.map((p) => [p.location, p.path, p.rule])).toEqual([
      [address(items, 'code', copy), 'code', 'unique'],
      ['情形 Situations!2:2', 'situations.0.answers', 'minItems'],
      [address(answers, 'situationKey', yes), 'situationKey', 'exists'],
      [address(columns, 'fieldKey', 2), 'fieldKey', 'exists'],
    ]);
  });

  it('reports an unknown source kind, an option line without =, and a yes/no cell that is neither', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    const materials = workbook.getWorksheet('材料 Materials')!;
    const fields = workbook.getWorksheet('表单 Fields')!;
    const m = rowOf(materials, { key: 'applicant-id' });
    materials.getCell(m, columnOf(materials, 'sources')).value = 'licence:居民身份证\npaper:档案';
    materials.getCell(m, columnOf(materials, 'pledgeAllowed')).value = '也许';
    const f = rowOf(fields, { key: 'company-form' });
    fields.getCell(f, columnOf(fields, 'options')).value = 'llc=有限责任公司|LLC\n合伙企业';

    const { problems } = await importCatalogWorkbook(await saveWorkbook(workbook));
    expect(problems.map((p) => [p.location, p.path, p.rule, p.message.en])).toEqual([
      [
        address(materials, 'sources', m),
        'materials.0.sources',
        'enum',
        'line 2 "paper:档案" must read kind:value, the kind one of licence, shared-data, item-result',
      ],
      [
        address(materials, 'pledgeAllowed', m),
        'materials.0.pledgeAllowed',
        'type',
        'must be TRUE/FALSE (or 是/否), the cell holds "也许"',
      ],
      [
        address(fields, 'options', f),
        'form.1.options',
        'format',
        'line 2 "合伙企业" must read value=中文|English',
      ],
    ]);
  });

  it('reports a missing sheet, an unknown column and a file that is not a workbook', async () => {
    const workbook = await openWorkbook(await exportCatalogWorkbook(FIXTURE));
    workbook.removeWorksheet(workbook.getWorksheet('表格列 Columns')!.id);
    const items = workbook.getWorksheet('事项 Items')!;
    items.getCell(1, items.columnCount + 1).value = '备注';
    const { problems } = await importCatalogWorkbook(await saveWorkbook(workbook));
    expect(problems.map((p) => [p.location, p.rule])).toEqual(
      expect.arrayContaining([
        [`事项 Items!${items.getColumn(items.columnCount).letter}1 (备注)`, 'column'],
        ['表格列 Columns', 'sheet'],
      ]),
    );
    const notAWorkbook = await importCatalogWorkbook(Buffer.from('items: []'));
    expect(notAWorkbook.problems).toMatchObject([{ location: 'workbook', rule: 'format' }]);
  });
});

describe('the seed catalog in data/catalog', () => {
  const dir = fileURLToPath(new URL('../../data/catalog/', import.meta.url));
  // Other catalog data shares the folder (synonyms.yaml is a top-level list): only `items:` files.
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .filter((file) => !isSeq(parseDocument(readFileSync(dir + file, 'utf8')).contents))
    .sort();

  it('exists, so that the round trips below are not vacuous', () => {
    if (files.length === 0) {
      throw new Error(`no seed catalog: ${dir} holds no YAML file with an items list`);
    }
  });

  it.each(files)(
    '%s imports without problems and round-trips through YAML and the workbook',
    async (file) => {
      const text = readFileSync(dir + file, 'utf8');
      const seed = importCatalogYaml(text);
      expect(seed.problems).toEqual([]);
      expect(seed.items.length).toBeGreaterThan(0);
      const sorted = [...seed.items].sort((a, b) => (a.code < b.code ? -1 : 1));
      const yaml = exportCatalogYaml(seed.items);
      expect(importCatalogYaml(yaml)).toStrictEqual({ items: sorted, problems: [] });
      const viaWorkbook = await workbookRoundTrip(seed.items);
      expect(viaWorkbook).toStrictEqual({ items: sorted, problems: [] });
      expect(exportCatalogYaml(viaWorkbook.items)).toBe(yaml);
    },
  );
});

describe('multi-line cell escapes', () => {
  it('read back every text, and leave a backslash a person typed alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '中', '\\', 'n', '|', '\n', ' ') })),
        (parts) => {
          const line = parts.map((part) => escapeEntry(part, '|')).join('|');
          expect(line).not.toContain('\n');
          expect(splitEscaped(line, '|')).toEqual(parts.length === 0 ? [''] : parts);
        },
      ),
    );
    expect(escapeEntry('C:\\Users')).toBe('C:\\Users');
    expect(splitEscaped('C:\\Users')).toEqual(['C:\\Users']);
  });
});

// Generators of valid items, small enough to shrink well: every cross-field rule holds by
// construction, and texts use the characters that separators and escapes could confuse.

const TEXT_CHARS = [
  'a',
  'Z',
  '中',
  '文',
  ' ',
  '\\',
  'n',
  '|',
  ':',
  '=',
  '；',
  ',',
  '#',
  '"',
  "'",
  '-',
  '\n',
];
const text = (max = 12) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...TEXT_CHARS), minLength: 1, maxLength: max }),
    fc.constantFrom('01', 'true', 'null', '1e3', '~', '- x', ' lead', 'trail ', '是'),
  );
// A list entry: never only spaces (a line of spaces in a cell is read as an empty line).
const entry = text().filter((s) => s.trim() !== '');
const bilingual = fc.record({ zh: text(), en: text() });
const keyArb = fc.constantFrom('a', 'b', 'c-1', 'd2', 'e', 'f');
const keys = (max: number) => fc.uniqueArray(keyArb, { maxLength: max });
const limit = (max: number): fc.Arbitrary<TimeLimit> =>
  fc.record({
    value: fc.integer({ min: 1, max: max * 4 }).map((n) => n / 4),
    unit: fc.constantFrom('workdays' as const, 'hours' as const),
  });
const optionList = fc.array(fc.record({ value: keyArb, label: bilingual }), {
  minLength: 1,
  maxLength: 3,
});
const idKind = fc.constantFrom(
  'uscc' as const,
  'ric' as const,
  'region' as const,
  'mobile' as const,
);

function fieldArb(key: string, table: boolean): fc.Arbitrary<FormField> {
  const types = ['text', 'number', 'date', 'region', 'identifier', 'choice'] as const;
  return fc
    .record(
      {
        label: bilingual,
        type: fc.constantFrom(...types, ...(table ? (['table'] as const) : [])),
        required: fc.boolean(),
        conditional: fc.boolean(),
        min: fc.integer({ min: -100, max: 100 }).map((n) => n / 2),
        max: fc.integer({ min: 100, max: 1000 }),
        maxLength: fc.integer({ min: 1, max: 10_000 }),
        help: bilingual,
        identifierKind: idKind,
        options: optionList,
        columns: table
          ? keys(3).chain((columnKeys) =>
              fc.tuple(...columnKeys.map((k) => fieldArb(k, false))).map((c) => c as FormField[]),
            )
          : fc.constant([] as FormField[]),
      },
      { requiredKeys: ['label', 'type', 'required'] },
    )
    .map((raw) => {
      const field: FormField = { key, ...raw } as FormField;
      if (!table) delete field.columns;
      if (field.type === 'identifier') field.identifierKind ??= 'ric';
      if (field.type === 'choice' && !field.options) {
        field.options = [{ value: 'x', label: { zh: '是', en: 'Yes' } }];
      }
      if (field.type === 'table' && !field.columns?.length) {
        field.columns = [
          { key: 'x', label: { zh: '列', en: 'Column' }, type: 'text', required: true },
        ];
      } else if (field.columns?.length === 0) delete field.columns;
      return field;
    });
}

const itemArb = (code: string): fc.Arbitrary<ItemContent> =>
  fc
    .record({
      materialKeys: keys(3),
      fieldKeys: keys(3),
      situationKeys: keys(2),
      committed: limit(20),
      extra: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    })
    .chain(({ materialKeys, fieldKeys, situationKeys, committed, extra }) => {
      const material = (key: string): fc.Arbitrary<Material> =>
        fc
          .record(
            {
              name: bilingual,
              requirement: fc.constantFrom('required' as const, 'conditional' as const),
              forms: fc.uniqueArray(
                fc.constantFrom('original' as const, 'copy' as const, 'electronic' as const),
                {
                  minLength: 1,
                },
              ),
              copies: fc.integer({ min: 0, max: 100 }),
              pages: fc.integer({ min: 1, max: 10_000 }),
              sources: fc.array(
                fc.oneof(
                  fc.record({ kind: fc.constant('licence' as const), licenceType: entry }),
                  fc.record({ kind: fc.constant('shared-data' as const), source: entry }),
                  fc.record({ kind: fc.constant('item-result' as const), itemCode: entry }),
                ),
                { maxLength: 3 },
              ),
              deficiencyAllowed: fc.boolean(),
              pledgeAllowed: fc.boolean(),
              note: fc.oneof(text(), fc.constant('')),
            },
            {
              requiredKeys: [
                'name',
                'requirement',
                'forms',
                'copies',
                'sources',
                'deficiencyAllowed',
                'pledgeAllowed',
              ],
            },
          )
          .map((m) => ({ key, ...m }) as Material);
      const answer = (key: string) =>
        fc
          .record(
            {
              label: bilingual,
              addMaterials: fc.subarray(materialKeys),
              removeMaterials: fc.subarray(materialKeys),
              addFields: fc.subarray(fieldKeys),
              committedLimit: fc
                .integer({ min: 1, max: Math.max(1, committed.value * 4) })
                .map((n) => ({ value: Math.min(n / 4, committed.value), unit: committed.unit })),
            },
            { requiredKeys: ['label', 'addMaterials', 'removeMaterials', 'addFields'] },
          )
          .map((a) => ({ key, ...a }));
      const situation = (key: string): fc.Arbitrary<Situation> =>
        fc
          .record({
            question: bilingual,
            multiple: fc.boolean(),
            answers: fc
              .uniqueArray(keyArb, { minLength: 2, maxLength: 3 })
              .chain((answerKeys) => fc.tuple(...answerKeys.map(answer))),
          })
          .map((s) => ({ key, ...s }));
      return fc
        .record(
          {
            basicCode: fc.constantFrom('010105001000', 'ABC-123'),
            name: bilingual,
            type: fc.constantFrom('01' as const, '07' as const, '20' as const),
            audience: fc.uniqueArray(fc.constantFrom('person' as const, 'enterprise' as const), {
              minLength: 1,
            }),
            themes: fc.array(entry, { maxLength: 3 }),
            keywords: fc.array(entry, { maxLength: 3 }),
            department: fc.constantFrom('scjg', 'zjj', '01'),
            level: fc.constantFrom('city' as const, 'county' as const),
            regionCode: fc.constantFrom('371000', '371002'),
            legalBasis: fc.array(entry, { minLength: 1, maxLength: 3 }),
            conditions: text(40),
            visits: fc.integer({ min: 0, max: 2 }),
            visitsReason: text().map((s) => `${s}x`),
            onlineDepth: fc.integer({ min: 1, max: 8 }),
            fee: fc.oneof(
              fc.record({
                charged: fc.constant(true),
                basis: text().map((s) => `${s}x`),
                amountYuan: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
              }),
              fc.record(
                {
                  charged: fc.constant(false),
                  basis: text(),
                  amountYuan: fc.integer({ min: 0, max: 99 }),
                },
                { requiredKeys: ['charged'] },
              ),
            ),
            result: fc.oneof(
              fc.record({
                kind: fc.constant('licence' as const),
                name: text(),
                licenceType: text(),
              }),
              fc.record(
                {
                  kind: fc.constantFrom('approval' as const, 'other' as const),
                  name: text(),
                  licenceType: text(),
                },
                { requiredKeys: ['kind', 'name'] },
              ),
            ),
            quantityLimit: text(),
            process: fc.array(entry, { maxLength: 3 }),
            contacts: fc.record({ consultation: text(), complaint: text() }),
            place: fc.record({ address: text(), hours: text() }),
            materials: fc.tuple(...materialKeys.map(material)),
            situations: fc.tuple(...situationKeys.map(situation)),
            form: fc.tuple(...fieldKeys.map((key) => fieldArb(key, true))),
          },
          {
            requiredKeys: [
              'basicCode',
              'name',
              'type',
              'audience',
              'themes',
              'keywords',
              'department',
              'level',
              'regionCode',
              'legalBasis',
              'conditions',
              'visits',
              'onlineDepth',
              'fee',
              'result',
              'process',
              'contacts',
              'place',
              'materials',
              'situations',
              'form',
            ],
          },
        )
        .map((raw) => {
          const item = {
            code,
            ...raw,
            statutoryLimit:
              extra === null ? null : { value: committed.value + extra, unit: committed.unit },
            committedLimit: committed,
          } as ItemContent;
          if (item.visits > 0) item.visitsReason ??= '现场核验';
          const added = new Set(
            item.situations.flatMap((s) => s.answers.flatMap((a) => a.addMaterials)),
          );
          const addedFields = new Set(
            item.situations.flatMap((s) => s.answers.flatMap((a) => a.addFields)),
          );
          for (const m of item.materials) if (!added.has(m.key)) m.requirement = 'required';
          for (const f of item.form)
            if (f.conditional && !addedFields.has(f.key)) f.conditional = false;
          return item;
        });
    });

const catalogArb = fc
  .uniqueArray(fc.constantFrom('371000-A-01-0001', '371000-B-01-0002', '371002-C-20-0003'), {
    minLength: 1,
    maxLength: 2,
  })
  .chain((codes) => fc.tuple(...[...codes].sort().map(itemArb)));

describe('any valid catalog', () => {
  it('survives YAML and the workbook without loss, and YAML → workbook → YAML keeps the text', async () => {
    await fc.assert(
      fc.asyncProperty(catalogArb, async (items) => {
        for (const item of items) expect(checkItem(item)).toEqual([]);
        const yaml = exportCatalogYaml(items);
        const fromYaml = importCatalogYaml(yaml);
        expect(fromYaml.problems).toEqual([]);
        expect(fromYaml.items).toEqual(items);
        const fromWorkbook = await workbookRoundTrip(fromYaml.items);
        expect(fromWorkbook.problems).toEqual([]);
        expect(fromWorkbook.items).toEqual(items);
        expect(exportCatalogYaml(fromWorkbook.items)).toBe(yaml);
      }),
      { numRuns: 30 },
    );
  });
});

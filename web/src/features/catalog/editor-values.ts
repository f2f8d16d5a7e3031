import type { Text } from '../../shell/i18n';
import type {
  Answer,
  FormColumn,
  FormField,
  ItemContent,
  Material,
  MaterialSource,
  Situation,
  TimeLimit,
} from './content';

// The editor's form holds an item's content with the same paths as the schema (so the server's
// `body.materials.2.name.zh` lands on the right input), plus `statutoryNone` for "no statutory
// limit". Anything the user left empty may be missing or blank; `toContent` tidies it up and
// leaves the judging to the server.

type Loose<T> = T extends (infer U)[]
  ? Loose<U>[] | undefined
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> | null }
    : T | undefined | null;

/** What the editor's form holds. */
export type EditorValues = Loose<Omit<ItemContent, 'statutoryLimit'>> & {
  statutoryNone?: boolean;
  statutoryLimit?: Loose<TimeLimit> | null;
};

/** A new item's starting values, for the Weihai demo region. */
export function blankValues(): EditorValues {
  return {
    code: '',
    basicCode: '',
    name: { zh: '', en: '' },
    type: '01',
    audience: ['person'],
    themes: [],
    keywords: [],
    level: 'city',
    regionCode: '371000',
    legalBasis: [''],
    conditions: '',
    statutoryNone: false,
    statutoryLimit: { value: 20, unit: 'workdays' },
    committedLimit: { value: 5, unit: 'workdays' },
    visits: 0,
    onlineDepth: 4,
    fee: { charged: false },
    result: { kind: 'approval', name: '' },
    process: [],
    contacts: { consultation: '', complaint: '' },
    place: { address: '', hours: '' },
    materials: [],
    situations: [],
    form: [],
  };
}

/** A new material's starting values. */
export function blankMaterial(): Loose<Material> {
  return {
    key: '',
    name: { zh: '', en: '' },
    requirement: 'required',
    forms: ['original'],
    copies: 1,
    sources: [],
    deficiencyAllowed: false,
    pledgeAllowed: false,
  };
}

/** A new situation's starting values: a yes/no question. */
export function blankSituation(): Loose<Situation> {
  return {
    key: '',
    question: { zh: '', en: '' },
    multiple: false,
    answers: [blankAnswer('yes', '是', 'Yes'), blankAnswer('no', '否', 'No')],
  };
}

/** A new answer's starting values. */
export function blankAnswer(key = '', zh = '', en = ''): Loose<Answer> {
  return {
    key,
    label: { zh, en },
    addMaterials: [],
    removeMaterials: [],
    addFields: [],
  };
}

/** A new form field's starting values. */
export function blankField(): Loose<FormField> {
  return { key: '', label: { zh: '', en: '' }, type: 'text', required: true };
}

/** The form's values for some content. */
export function toValues(content: ItemContent): EditorValues {
  return {
    ...content,
    statutoryNone: content.statutoryLimit === null,
    statutoryLimit: content.statutoryLimit ?? { value: undefined, unit: 'workdays' },
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function optionalStr(value: unknown): string | undefined {
  const text = str(value);
  return text ? text : undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

function optionalNum(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: Loose<Text> | null | undefined): Text {
  return { zh: str(value?.zh), en: str(value?.en) };
}

function optionalText(value: Loose<Text> | null | undefined): Text | undefined {
  const result = text(value);
  return result.zh || result.en ? result : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str).filter(Boolean) : [];
}

function limit(value: Loose<TimeLimit> | null | undefined): TimeLimit {
  return { value: num(value?.value), unit: value?.unit === 'hours' ? 'hours' : 'workdays' };
}

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value.filter((entry) => entry !== undefined && entry !== null) : [];
}

/** Keeps only the keys that are set, so optional properties are absent rather than undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function source(value: Loose<MaterialSource>): MaterialSource {
  const loose = value as Record<string, unknown>;
  switch (loose.kind) {
    case 'shared-data':
      return { kind: 'shared-data', source: str(loose.source) };
    case 'item-result':
      return { kind: 'item-result', itemCode: str(loose.itemCode) };
    default:
      return { kind: 'licence', licenceType: str(loose.licenceType) };
  }
}

function column(value: Loose<FormColumn>): FormColumn {
  const type = value.type ?? 'text';
  return compact({
    key: str(value.key),
    label: text(value.label),
    type,
    required: !!value.required,
    conditional: value.conditional ? true : undefined,
    identifierKind: type === 'identifier' ? (value.identifierKind ?? undefined) : undefined,
    options:
      type === 'choice'
        ? list(value.options).map((option) => ({
            value: str(option.value),
            label: text(option.label),
          }))
        : undefined,
    min: type === 'number' ? optionalNum(value.min) : undefined,
    max: type === 'number' ? optionalNum(value.max) : undefined,
    maxLength: type === 'text' ? optionalNum(value.maxLength) : undefined,
    help: optionalText(value.help),
  });
}

function field(value: Loose<FormField>): FormField {
  return compact({
    ...column(value),
    columns: value.type === 'table' ? list(value.columns).map(column) : undefined,
  });
}

/** The content the form's values stand for, tidied (trimmed, blanks dropped) but not judged. */
export function toContent(values: EditorValues): ItemContent {
  const charged = !!values.fee?.charged;
  const resultKind = values.result?.kind ?? 'other';
  return compact({
    code: str(values.code),
    basicCode: str(values.basicCode),
    name: text(values.name),
    type: values.type ?? '01',
    audience: list(values.audience),
    themes: strings(values.themes),
    keywords: strings(values.keywords),
    department: str(values.department),
    level: values.level ?? 'city',
    regionCode: str(values.regionCode),
    legalBasis: strings(values.legalBasis),
    conditions: str(values.conditions),
    statutoryLimit: values.statutoryNone ? null : limit(values.statutoryLimit),
    committedLimit: limit(values.committedLimit),
    visits: num(values.visits),
    visitsReason: optionalStr(values.visitsReason),
    onlineDepth: num(values.onlineDepth),
    fee: compact({
      charged,
      basis: charged ? optionalStr(values.fee?.basis) : undefined,
      amountYuan: charged ? optionalNum(values.fee?.amountYuan) : undefined,
    }),
    result: compact({
      kind: resultKind,
      name: str(values.result?.name),
      licenceType: optionalStr(values.result?.licenceType),
    }),
    quantityLimit: optionalStr(values.quantityLimit),
    process: strings(values.process),
    contacts: {
      consultation: str(values.contacts?.consultation),
      complaint: str(values.contacts?.complaint),
    },
    place: { address: str(values.place?.address), hours: str(values.place?.hours) },
    materials: list(values.materials).map((material) =>
      compact({
        key: str(material.key),
        name: text(material.name),
        requirement: material.requirement === 'conditional' ? 'conditional' : 'required',
        forms: list(material.forms),
        copies: num(material.copies),
        pages: optionalNum(material.pages),
        sources: list(material.sources).map(source),
        deficiencyAllowed: !!material.deficiencyAllowed,
        pledgeAllowed: !!material.pledgeAllowed,
        note: optionalStr(material.note),
      }),
    ),
    situations: list(values.situations).map((situation) => ({
      key: str(situation.key),
      question: text(situation.question),
      multiple: !!situation.multiple,
      answers: list(situation.answers).map((answer) =>
        compact({
          key: str(answer.key),
          label: text(answer.label),
          addMaterials: strings(answer.addMaterials),
          removeMaterials: strings(answer.removeMaterials),
          addFields: strings(answer.addFields),
          committedLimit:
            optionalNum(answer.committedLimit?.value) !== undefined
              ? limit(answer.committedLimit)
              : undefined,
        }),
      ),
    })),
    form: list(values.form).map(field),
  }) as ItemContent;
}

/** A server path (`body.materials.2.name.zh`) as a form name path (`['materials', 2, 'name', 'zh']`). */
export function namePathOf(path: string): (string | number)[] {
  return path
    .split(/[./]/)
    .filter((part) => part.length > 0)
    .filter((part, index) => !(index === 0 && part === 'body'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

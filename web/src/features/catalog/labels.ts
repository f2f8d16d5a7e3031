import type { Text } from '../../shell/i18n';
import type {
  Audience,
  FieldType,
  IdKind,
  ItemTypeCode,
  Level,
  MaterialForm,
  MaterialSource,
  ResultKind,
  TimeLimit,
} from './content';
import type { VersionStatus } from './api';
import { ITEM_TYPES, LEVELS, ONLINE_DEPTHS } from '../../../../src/catalog/codes';

// Labels of the catalog's codes: the server's own lists (src/catalog/codes.ts) and the web's
// words for the rest.

/** 事项类型. */
export const itemTypeLabels: Record<ItemTypeCode, Text> = ITEM_TYPES;

/** 实施层级. */
export const levelLabels: Record<Level, Text> = LEVELS;

/** 网办深度, 1 to 8. */
export const onlineDepthLabels: Record<number, Text> = ONLINE_DEPTHS;

/** The label of an online depth, with its level number. */
export function onlineDepthLabel(depth: number): Text {
  const label = onlineDepthLabels[depth];
  return label
    ? { zh: `${label.zh}（${depth} 级）`, en: `${label.en} (level ${depth})` }
    : { zh: `${depth} 级`, en: `Level ${depth}` };
}

/** 服务对象. */
export const audienceLabels: Record<Audience, Text> = {
  person: { zh: '自然人', en: 'Individuals' },
  enterprise: { zh: '法人', en: 'Enterprises' },
};

/** 材料形式. */
export const materialFormLabels: Record<MaterialForm, Text> = {
  original: { zh: '原件', en: 'Original' },
  copy: { zh: '复印件', en: 'Copy' },
  electronic: { zh: '电子件', en: 'Electronic' },
};

/** 材料必要性. */
export const requirementLabels: Record<'required' | 'conditional', Text> = {
  required: { zh: '必要', en: 'Required' },
  conditional: { zh: '视情形', en: 'Depends on situation' },
};

/** 办理结果类型. */
export const resultKindLabels: Record<ResultKind, Text> = {
  licence: { zh: '证照', en: 'Licence' },
  approval: { zh: '批准文书', en: 'Approval' },
  filing: { zh: '备案', en: 'Filing' },
  payment: { zh: '给付', en: 'Payment' },
  certificate: { zh: '证明', en: 'Certificate' },
  other: { zh: '其他', en: 'Other' },
};

/** 表单字段类型. */
export const fieldTypeLabels: Record<FieldType, Text> = {
  text: { zh: '文本', en: 'Text' },
  number: { zh: '数字', en: 'Number' },
  date: { zh: '日期', en: 'Date' },
  region: { zh: '行政区划', en: 'Region' },
  identifier: { zh: '证件号码', en: 'Identifier' },
  choice: { zh: '选择', en: 'Choice' },
  table: { zh: '表格', en: 'Table' },
};

/** 证件号码类型. */
export const idKindLabels: Record<IdKind, Text> = {
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  ric: { zh: '居民身份证号码', en: 'Resident ID number' },
  region: { zh: '行政区划代码', en: 'Region code' },
  mobile: { zh: '手机号码', en: 'Mobile number' },
};

/** 免提交来源类型. */
export const sourceKindLabels: Record<MaterialSource['kind'], Text> = {
  licence: { zh: '电子证照', en: 'E-licence' },
  'shared-data': { zh: '共享数据', en: 'Shared data' },
  'item-result': { zh: '其他事项结果', en: 'Result of another item' },
};

/** A source as people read it: "电子证照：营业执照". */
export function describeSource(source: MaterialSource): Text {
  const value =
    source.kind === 'licence'
      ? source.licenceType
      : source.kind === 'shared-data'
        ? source.source
        : source.itemCode;
  const kind = sourceKindLabels[source.kind];
  return { zh: `${kind.zh}：${value}`, en: `${kind.en}: ${value}` };
}

/** 时限单位. */
export const unitLabels: Record<TimeLimit['unit'], Text> = {
  workdays: { zh: '个工作日', en: 'working days' },
  hours: { zh: '个工作小时', en: 'working hours' },
};

/**
 * A limit as people read it: "20 个工作日" / "20 working days", "1 小时" / "1 working hour",
 * and less than an hour in minutes: "30 分钟" / "30 minutes".
 */
export function describeLimit(limit: TimeLimit): Text {
  const one = limit.value === 1;
  if (limit.unit === 'workdays') {
    return { zh: `${limit.value} 个工作日`, en: `${limit.value} working day${one ? '' : 's'}` };
  }
  if (limit.value < 1) {
    const minutes = Math.round(limit.value * 60);
    return { zh: `${minutes} 分钟`, en: `${minutes} minute${minutes === 1 ? '' : 's'}` };
  }
  return { zh: `${limit.value} 小时`, en: `${limit.value} working hour${one ? '' : 's'}` };
}

/** 跑动次数 as people read it: "零跑动" / "最多跑 1 次". */
export function describeVisits(visits: number): Text {
  if (visits === 0) return { zh: '零跑动', en: 'No visit in person' };
  return {
    zh: `最多跑 ${visits} 次`,
    en: `At most ${visits} visit${visits === 1 ? '' : 's'} in person`,
  };
}

/** Version status tags. */
export const statusLabels: Record<VersionStatus, Text> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  superseded: { zh: '已替代', en: 'Superseded' },
};

/** Tag colours of version statuses. */
export const statusColors: Record<VersionStatus, string> = {
  draft: 'orange',
  published: 'green',
  superseded: 'default',
};

import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Checkbox, Input, InputNumber, Segmented, Select, Space, Tabs } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { useLoad } from '../cases/use-load';
import { fetchRegions } from '../hotline/api';
import type { Attr, Rule } from './api';
import type { Condition, Op } from './labels';
import { ATTRIBUTES, ATTRS, OP_LABELS, attrSpec, isCondition } from './labels';

// The eligibility rule as rows of conditions (attribute → operator → value) under 全部/任一 groups,
// nested, each row with a 非 toggle; and the same rule as JSON for whoever prefers to type it.

const text = {
  structured: { zh: '条件编辑', en: 'Conditions' },
  json: { zh: 'JSON', en: 'JSON' },
  all: { zh: '全部满足', en: 'All of' },
  any: { zh: '任一满足', en: 'Any of' },
  not: { zh: '非', en: 'Not' },
  notHint: { zh: '取反：不满足该条件', en: 'Negate: the condition must not hold' },
  addCondition: { zh: '添加条件', en: 'Add condition' },
  addGroup: { zh: '添加条件组', en: 'Add group' },
  remove: { zh: '删除', en: 'Remove' },
  attr: { zh: '属性', en: 'Attribute' },
  op: { zh: '运算', en: 'Operator' },
  value: { zh: '取值', en: 'Value' },
  from: { zh: '起', en: 'from' },
  to: { zh: '止', en: 'to' },
  codes: { zh: '输入代码后回车', en: 'Type a code, then Enter' },
  jsonBad: { zh: 'JSON 无法解析：{message}', en: 'Not valid JSON: {message}' },
  jsonHint: {
    zh: '规则语言：{"all":[…]} / {"any":[…]} / {"not":…} / {"attr","op","value"}',
    en: 'Rule language: {"all":[…]} / {"any":[…]} / {"not":…} / {"attr","op","value"}',
  },
} satisfies Record<string, Text>;

/** How deep the editor lets groups nest (the JSON tab allows what the language allows). */
const MAX_UI_DEPTH = 3;

/** A fresh value that fits an attribute and operator, so a new row starts valid where it can. */
export function defaultValue(attr: Attr, op: Op): unknown {
  const spec = attrSpec(attr);
  const first = spec.values?.[0] ?? '';
  if (op === 'between') return spec.type === 'date' ? ['2020-01-01', '2025-12-31'] : [0, 100];
  if (op === 'in') return spec.type === 'industry' ? ['C'] : [first];
  if (op === 'hasAny' || op === 'hasAll') return [];
  if (op === 'before' || op === 'after') return '2020-01-01';
  if (op === 'within') return '371000';
  if (op === 'prefix') return 'C';
  if (op === 'has') return '';
  if (op === 'eq' || op === 'atLeast') return attr === 'kind' ? 'enterprise' : first;
  return 0;
}

/** A new condition on an attribute, with its first operator. */
export function newCondition(attr: Attr = 'employees'): Condition {
  const ops = attrSpec(attr).ops;
  // "at least" reads most naturally for a new numeric condition
  const op = ops.includes('gte') ? 'gte' : ops[0]!;
  return { attr, op, value: defaultValue(attr, op) };
}

/** A rule whose root is a group, as the editor shows it. */
export function asGroup(rule: Rule): { all: Rule[] } | { any: Rule[] } {
  return 'all' in rule || 'any' in rule ? rule : { all: [rule] };
}

/** The editor: structured rows and a JSON tab over the same rule. */
export function RuleEditor({
  rule,
  onChange,
  badPaths,
}: {
  rule: Rule;
  onChange: (rule: Rule) => void;
  /** Paths (`rule.all.1.value`) the server or the check named; their rows are marked. */
  badPaths: string[];
}) {
  const { t } = useI18n();
  const [tab, setTab] = useState('structured');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      size="small"
      items={[
        {
          key: 'structured',
          label: t(text.structured),
          children: (
            <Group
              node={asGroup(rule)}
              path="rule"
              depth={1}
              badPaths={badPaths}
              onChange={onChange}
            />
          ),
        },
        {
          key: 'json',
          label: <span data-testid="rule-json-tab">{t(text.json)}</span>,
          children: <JsonRule rule={rule} onChange={onChange} />,
        },
      ]}
    />
  );
}

function Group({
  node,
  path,
  depth,
  badPaths,
  onChange,
  onRemove,
}: {
  node: { all: Rule[] } | { any: Rule[] };
  path: string;
  depth: number;
  badPaths: string[];
  onChange: (next: Rule) => void;
  onRemove?: () => void;
}) {
  const { t } = useI18n();
  const kind = 'all' in node ? 'all' : 'any';
  const children = 'all' in node ? node.all : node.any;
  const set = (list: Rule[]) => onChange(kind === 'all' ? { all: list } : { any: list });
  const replace = (i: number, child: Rule) => set(children.map((c, j) => (j === i ? child : c)));
  const remove = (i: number) => set(children.filter((_, j) => j !== i));
  return (
    <div className="ot-pol-group" data-depth={depth} data-path={path}>
      <div className="ot-pol-group-head">
        <Segmented
          size="small"
          value={kind}
          onChange={(value) => onChange(value === 'all' ? { all: children } : { any: children })}
          options={[
            { value: 'all', label: t(text.all) },
            { value: 'any', label: t(text.any) },
          ]}
          data-testid={`group-kind-${path}`}
        />
        <span className="ot-catalog-toolbar-spacer" />
        {onRemove && (
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t(text.remove)}
            onClick={onRemove}
          />
        )}
      </div>
      {children.map((child, i) => (
        <Child
          key={i}
          node={child}
          path={`${path}.${kind}.${i}`}
          depth={depth + 1}
          badPaths={badPaths}
          onChange={(next) => replace(i, next)}
          onRemove={children.length > 1 ? () => remove(i) : undefined}
        />
      ))}
      <Space size="small" className="ot-pol-group-add">
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => set([...children, newCondition()])}
          data-testid={`add-condition-${path}`}
        >
          {t(text.addCondition)}
        </Button>
        {depth < MAX_UI_DEPTH && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => set([...children, { any: [newCondition('creditGrade')] }])}
            data-testid={`add-group-${path}`}
          >
            {t(text.addGroup)}
          </Button>
        )}
      </Space>
    </div>
  );
}

/** One part of a group: a condition or a group, perhaps under 非. */
function Child({
  node,
  path,
  depth,
  badPaths,
  onChange,
  onRemove,
}: {
  node: Rule;
  path: string;
  depth: number;
  badPaths: string[];
  onChange: (next: Rule) => void;
  onRemove?: () => void;
}) {
  const { t } = useI18n();
  const negated = 'not' in node;
  const inner = 'not' in node ? node.not : node;
  const innerPath = negated ? `${path}.not` : path;
  const toggle = (
    <Checkbox
      checked={negated}
      onChange={(event) => onChange(event.target.checked ? { not: node } : inner)}
      title={t(text.notHint)}
      data-testid={`cond-not-${path}`}
    >
      {t(text.not)}
    </Checkbox>
  );
  const rewrap = (next: Rule) => onChange(negated ? { not: next } : next);
  if (isCondition(inner))
    return (
      <ConditionRow
        condition={inner}
        path={innerPath}
        bad={badPaths.some((p) => p === innerPath || p.startsWith(`${innerPath}.`))}
        toggle={toggle}
        onChange={rewrap}
        onRemove={onRemove}
      />
    );
  if (!('not' in inner) && !('all' in inner) && !('any' in inner))
    return (
      <div className="ot-pol-cond ot-pol-cond-bad" data-path={innerPath}>
        <code>{JSON.stringify(inner)}</code>
        {onRemove && (
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t(text.remove)}
            onClick={onRemove}
          />
        )}
      </div>
    );
  if ('not' in inner)
    return (
      <div className="ot-pol-not">
        {toggle}
        <Child
          node={inner}
          path={innerPath}
          depth={depth + 1}
          badPaths={badPaths}
          onChange={rewrap}
          onRemove={onRemove}
        />
      </div>
    );
  return (
    <div className={negated ? 'ot-pol-not' : undefined}>
      {negated && toggle}
      <Group
        node={inner}
        path={innerPath}
        depth={depth}
        badPaths={badPaths}
        onChange={rewrap}
        onRemove={onRemove}
      />
    </div>
  );
}

function ConditionRow({
  condition,
  path,
  bad,
  toggle,
  onChange,
  onRemove,
}: {
  condition: Condition;
  path: string;
  bad: boolean;
  toggle: ReactNode;
  onChange: (next: Condition) => void;
  onRemove?: () => void;
}) {
  const { t } = useI18n();
  const spec = ATTRIBUTES[condition.attr] ? attrSpec(condition.attr) : null;
  return (
    <div className={bad ? 'ot-pol-cond ot-pol-cond-bad' : 'ot-pol-cond'} data-path={path}>
      {toggle}
      <Select
        value={condition.attr}
        onChange={(attr: Attr) => onChange(newCondition(attr))}
        options={ATTRS.map((attr) => ({ value: attr, label: t(attrSpec(attr).label) }))}
        aria-label={t(text.attr)}
        className="ot-pol-cond-attr"
        popupMatchSelectWidth={false}
        data-testid={`cond-attr-${path}`}
      />
      <Select
        value={condition.op}
        onChange={(op: Op) =>
          onChange({ ...condition, op, value: defaultValue(condition.attr, op) })
        }
        options={(spec?.ops ?? []).map((op) => ({
          value: op,
          label: t(OP_LABELS[op] ?? { zh: op, en: op }),
        }))}
        aria-label={t(text.op)}
        className="ot-pol-cond-op"
        popupMatchSelectWidth={false}
        data-testid={`cond-op-${path}`}
      />
      <div className="ot-pol-cond-value" data-testid={`cond-value-${path}`}>
        {spec && (
          <ValueInput
            condition={condition}
            onChange={(value) => onChange({ ...condition, value })}
          />
        )}
      </div>
      {onRemove && (
        <Button
          size="small"
          type="text"
          icon={<DeleteOutlined />}
          aria-label={t(text.remove)}
          onClick={onRemove}
          data-testid={`cond-remove-${path}`}
        />
      )}
    </div>
  );
}

/** The value of a condition, in the input its attribute's type and operator call for. */
function ValueInput({
  condition,
  onChange,
}: {
  condition: Condition;
  onChange: (value: unknown) => void;
}) {
  const { t } = useI18n();
  const spec = attrSpec(condition.attr);
  const { op, value } = condition;
  const regions = useLoad(spec.type === 'region' ? 'regions' : null, (lang, signal) =>
    fetchRegions(lang, signal),
  ).state.value;
  const enumOptions = (spec.values ?? []).map((v) => ({
    value: v,
    label: spec.valueLabels?.[v] ? t(spec.valueLabels[v]) : v,
  }));
  const list = Array.isArray(value) ? (value as string[]) : [];

  if (spec.type === 'enum')
    return op === 'in' ? (
      <Select mode="multiple" value={list} onChange={onChange} options={enumOptions} />
    ) : (
      <Select value={value as string} onChange={onChange} options={enumOptions} />
    );
  if (spec.type === 'region')
    return (
      <Select
        mode="multiple"
        showSearch={{ optionFilterProp: 'label' }}
        value={Array.isArray(value) ? list : value ? [value as string] : []}
        onChange={(codes: string[]) => onChange(codes.length === 1 ? codes[0] : codes)}
        options={(regions ?? []).map((r) => ({
          value: r.code,
          label: `${t({ zh: r.nameZh, en: r.nameEn })} ${r.code}`,
        }))}
      />
    );
  if (op === 'between') {
    const pair = Array.isArray(value) ? value : [undefined, undefined];
    const set = (i: number, v: unknown) => onChange(pair.map((x, j) => (j === i ? v : x)));
    return spec.type === 'date' ? (
      <Space.Compact block>
        <Input
          type="date"
          value={String(pair[0] ?? '')}
          onChange={(e) => set(0, e.target.value)}
          aria-label={t(text.from)}
        />
        <Input
          type="date"
          value={String(pair[1] ?? '')}
          onChange={(e) => set(1, e.target.value)}
          aria-label={t(text.to)}
        />
      </Space.Compact>
    ) : (
      <Space.Compact block>
        <InputNumber
          value={pair[0] as number}
          onChange={(v) => set(0, v)}
          aria-label={t(text.from)}
        />
        <InputNumber
          value={pair[1] as number}
          onChange={(v) => set(1, v)}
          aria-label={t(text.to)}
        />
      </Space.Compact>
    );
  }
  if (spec.type === 'date')
    return (
      <Input type="date" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
    );
  if (spec.type === 'number' || spec.type === 'integer' || spec.type === 'years')
    return (
      <InputNumber
        value={typeof value === 'number' ? value : null}
        onChange={(v) => onChange(v ?? undefined)}
        precision={spec.type === 'number' ? undefined : 0}
        addonAfter={spec.unit?.zh ? t(spec.unit).trim() || undefined : undefined}
        aria-label={t(text.value)}
        className="ot-pol-number"
      />
    );
  if (op === 'in' || op === 'hasAny' || op === 'hasAll')
    return (
      <Select
        mode="tags"
        value={list}
        onChange={onChange}
        placeholder={t(text.codes)}
        open={false}
        suffixIcon={null}
      />
    );
  if (Array.isArray(value))
    return <Select mode="tags" value={list} onChange={onChange} open={false} suffixIcon={null} />;
  return (
    <Input
      value={String(value ?? '')}
      onChange={(e) => onChange(e.target.value)}
      aria-label={t(text.value)}
    />
  );
}

/** The rule as JSON: edits that parse replace the rule; the others say why they do not. */
function JsonRule({ rule, onChange }: { rule: Rule; onChange: (rule: Rule) => void }) {
  const { t } = useI18n();
  const shown = JSON.stringify(rule, null, 2);
  const [source, setSource] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // follow changes made in the other tab, not the echo of our own
    setSource((current) => {
      try {
        return JSON.stringify(JSON.parse(current)) === JSON.stringify(rule) ? current : shown;
      } catch {
        return current;
      }
    });
  }, [shown]);
  return (
    <div className="ot-pol-json">
      <Input.TextArea
        value={source}
        onChange={(event) => {
          setSource(event.target.value);
          try {
            const parsed: unknown = JSON.parse(event.target.value);
            setError(null);
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
              onChange(parsed as Rule);
          } catch (failure) {
            setError(failure instanceof Error ? failure.message : String(failure));
          }
        }}
        autoSize={{ minRows: 10, maxRows: 30 }}
        spellCheck={false}
        status={error ? 'error' : undefined}
        data-testid="rule-json"
      />
      <div className={error ? 'ot-pol-json-error' : 'ot-muted'}>
        {error ? t(text.jsonBad, { message: error }) : t(text.jsonHint)}
      </div>
    </div>
  );
}

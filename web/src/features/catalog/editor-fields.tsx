import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { FormListFieldData } from 'antd';
import {
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tooltip,
} from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CaretRightOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { FieldType, IdKind, MaterialForm, MaterialSource } from './content';
import { blankAnswer, blankField, blankMaterial, blankSituation } from './editor-values';
import {
  fieldTypeLabels,
  idKindLabels,
  materialFormLabels,
  requirementLabels,
  sourceKindLabels,
  unitLabels,
} from './labels';

type Name = (string | number)[];

export const fieldText = {
  zh: { zh: '中文', en: 'Chinese' },
  en: { zh: '英文', en: 'English' },
  required: { zh: '请填写', en: 'Required' },
  key: { zh: '键', en: 'Key' },
  keyHelp: {
    zh: '小写字母、数字和连字符，如 id-card',
    en: 'lower-case letters, digits and hyphens, e.g. id-card',
  },
  value: { zh: '数值', en: 'Value' },
  unit: { zh: '单位', en: 'Unit' },
  remove: { zh: '删除', en: 'Remove' },
  up: { zh: '上移', en: 'Move up' },
  down: { zh: '下移', en: 'Move down' },
  // Materials
  material: { zh: '材料 {n}', en: 'Material {n}' },
  addMaterial: { zh: '添加材料', en: 'Add a material' },
  materialName: { zh: '材料名称', en: 'Name' },
  requirement: { zh: '必要性', en: 'Requirement' },
  forms: { zh: '材料形式', en: 'Forms' },
  copies: { zh: '份数', en: 'Copies' },
  pages: { zh: '页数', en: 'Pages' },
  deficiency: { zh: '容缺（可后补）', en: 'Deficiency allowed (may follow later)' },
  pledge: { zh: '告知承诺（可承诺代替）', en: 'Pledge allowed (a pledge may replace it)' },
  note: { zh: '说明', en: 'Note' },
  sources: { zh: '免提交来源', en: 'Sources that waive it' },
  sourcesHelp: {
    zh: '能从电子证照、共享数据或其他事项结果取得时，申请人可免提交此材料。',
    en: 'When it can be taken from an e-licence, shared data or another item’s result, the applicant need not hand it in.',
  },
  addSource: { zh: '添加来源', en: 'Add a source' },
  sourceKind: { zh: '来源类型', en: 'Kind' },
  licenceType: { zh: '证照类型', en: 'Licence type' },
  dataSource: { zh: '共享数据源', en: 'Data source' },
  itemCode: { zh: '事项编码', en: 'Item code' },
  // Situations
  situation: { zh: '情形 {n}', en: 'Situation {n}' },
  addSituation: { zh: '添加情形', en: 'Add a situation' },
  question: { zh: '问题', en: 'Question' },
  multiple: { zh: '可多选', en: 'Several answers' },
  answers: { zh: '选项', en: 'Answers' },
  answer: { zh: '选项 {n}', en: 'Answer {n}' },
  addAnswer: { zh: '添加选项', en: 'Add an answer' },
  answerLabel: { zh: '选项文字', en: 'Label' },
  addMaterials: { zh: '增加材料', en: 'Adds materials' },
  removeMaterials: { zh: '免交材料', en: 'Drops materials' },
  addFields: { zh: '增加表单字段', en: 'Adds form fields' },
  answerLimit: { zh: '此选项的承诺时限（可空）', en: 'Committed limit for this answer (optional)' },
  // Form fields
  field: { zh: '字段 {n}', en: 'Field {n}' },
  column: { zh: '列 {n}', en: 'Column {n}' },
  addField: { zh: '添加字段', en: 'Add a field' },
  addColumn: { zh: '添加列', en: 'Add a column' },
  columns: { zh: '表格列', en: 'Table columns' },
  fieldLabel: { zh: '字段名称', en: 'Label' },
  fieldType: { zh: '类型', en: 'Type' },
  fieldRequired: { zh: '必填', en: 'Required' },
  conditional: { zh: '视情形出现', en: 'Only when a situation adds it' },
  identifierKind: { zh: '号码类型', en: 'Identifier kind' },
  options: { zh: '选项', en: 'Options' },
  addOption: { zh: '添加选项', en: 'Add an option' },
  optionValue: { zh: '取值', en: 'Value' },
  min: { zh: '最小值', en: 'Minimum' },
  max: { zh: '最大值', en: 'Maximum' },
  maxLength: { zh: '最大长度', en: 'Maximum length' },
  help: { zh: '填写说明', en: 'Help text' },
} satisfies Record<string, Text>;

/** A zh/en pair of inputs for one Text at `name`. */
export function BilingualInput({
  name,
  label,
  required = false,
  textarea = false,
  testId,
}: {
  name: Name;
  label: ReactNode;
  required?: boolean;
  textarea?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const rules = required
    ? [{ required: true, whitespace: true, message: t(fieldText.required) }]
    : [];
  const Control = textarea ? Input.TextArea : Input;
  return (
    <div className="ot-editor-row">
      <Form.Item
        name={[...name, 'zh']}
        label={
          <>
            {label}（{t(fieldText.zh)}）
          </>
        }
        rules={rules}
      >
        <Control data-testid={testId ? `${testId}-zh` : undefined} />
      </Form.Item>
      <Form.Item
        name={[...name, 'en']}
        label={
          <>
            {label}（{t(fieldText.en)}）
          </>
        }
        rules={rules}
      >
        <Control lang="en" data-testid={testId ? `${testId}-en` : undefined} />
      </Form.Item>
    </div>
  );
}

/** A time limit: value and unit at `name`. */
export function LimitInput({
  name,
  label,
  required = false,
  disabled = false,
  testId,
}: {
  name: Name;
  label: ReactNode;
  required?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Form.Item label={label} required={required}>
      <Space.Compact>
        <Form.Item
          name={[...name, 'value']}
          rules={required ? [{ required: true, message: t(fieldText.required) }] : []}
          noStyle
        >
          <InputNumber
            min={0}
            max={3650}
            disabled={disabled}
            aria-label={`${typeof label === 'string' ? label : ''} ${t(fieldText.value)}`}
            data-testid={testId ? `${testId}-value` : undefined}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name={[...name, 'unit']} noStyle>
          <Select
            disabled={disabled}
            style={{ width: 130 }}
            aria-label={t(fieldText.unit)}
            options={(['workdays', 'hours'] as const).map((unit) => ({
              value: unit,
              label: t(unitLabels[unit]),
            }))}
          />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
}

/** Up, down and remove buttons of one entry of a Form.List. */
function ListButtons({
  index,
  count,
  move,
  remove,
}: {
  index: number;
  count: number;
  move: (from: number, to: number) => void;
  remove: () => void;
}) {
  const { t } = useI18n();
  return (
    <Space size={2}>
      <Tooltip title={t(fieldText.up)}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          aria-label={t(fieldText.up)}
          disabled={index === 0}
          onClick={() => move(index, index - 1)}
        />
      </Tooltip>
      <Tooltip title={t(fieldText.down)}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          aria-label={t(fieldText.down)}
          disabled={index === count - 1}
          onClick={() => move(index, index + 1)}
        />
      </Tooltip>
      <Tooltip title={t(fieldText.remove)}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t(fieldText.remove)}
          onClick={remove}
        />
      </Tooltip>
    </Space>
  );
}

function KeyInput({ name }: { name: Name }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name={name}
      label={t(fieldText.key)}
      tooltip={t(fieldText.keyHelp)}
      rules={[{ required: true, whitespace: true, message: t(fieldText.required) }]}
    >
      <Input placeholder="id-card" spellCheck={false} />
    </Form.Item>
  );
}

/** A list of plain strings (legal basis, process steps). */
export function StringList({
  name,
  label,
  addLabel,
  textarea = false,
}: {
  name: string;
  label: (n: number) => string;
  addLabel: string;
  textarea?: boolean;
}) {
  const Control = textarea ? Input.TextArea : Input;
  return (
    <Form.List name={name}>
      {(fields, { add, remove, move }) => (
        <>
          {fields.map((field, index) => (
            <div key={field.key} className="ot-editor-row">
              <Form.Item name={field.name} label={label(index + 1)}>
                <Control autoSize={textarea ? { minRows: 1, maxRows: 4 } : undefined} />
              </Form.Item>
              <div style={{ paddingTop: 30 }}>
                <ListButtons
                  index={index}
                  count={fields.length}
                  move={move}
                  remove={() => remove(field.name)}
                />
              </div>
            </div>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** Which entries of the materials, situations and form fields are open in the editor. */
export interface Expansion {
  isOpen(key: string): boolean;
  toggle(key: string): void;
  open(keys: string[]): void;
  /** Forgets the state of a list's entries (after a move or removal shifts their indexes). */
  forget(list: string): void;
}

export const ExpansionContext = createContext<Expansion | null>(null);

/**
 * One entry of a list (a material, a situation, a field) as a card that folds; folded entries
 * stay mounted, so their inputs keep taking part in the form and can show the server's problems.
 */
function EntryCard({
  path,
  title,
  textField,
  extra,
  children,
  testId,
}: {
  path: Name;
  title: string;
  textField: 'name' | 'question' | 'label';
  extra: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const expansion = useContext(ExpansionContext);
  const form = Form.useFormInstance();
  const key = path.join('.');
  const open = expansion ? expansion.isOpen(key) : true;
  // The inputs mount the first time the entry opens (a long item opens fast), then stay.
  const [mounted, setMounted] = useState(open);
  if (open && !mounted) setMounted(true);
  const label = Form.useWatch([...path, textField], form) as Partial<Text> | undefined;
  const entryKey = Form.useWatch([...path, 'key'], form) as string | undefined;
  const summary = label ? t({ zh: label.zh ?? '', en: label.en || label.zh || '' }) : '';
  return (
    <Card
      size="small"
      className="ot-editor-sub"
      title={
        <button
          type="button"
          className="ot-entry-toggle"
          aria-expanded={open}
          onClick={() => expansion?.toggle(key)}
        >
          <CaretRightOutlined rotate={open ? 90 : 0} aria-hidden="true" />
          <span className="ot-entry-title">{title}</span>
          {summary && <span className="ot-entry-summary">{summary}</span>}
          {entryKey && <code className="ot-entry-key">{entryKey}</code>}
        </button>
      }
      extra={extra}
      styles={open ? undefined : { body: { display: 'none' } }}
      data-testid={testId}
    >
      {mounted && children}
    </Card>
  );
}

/**
 * A top-level list of the item (materials, situations, form fields): one folding card per entry
 * with move and remove buttons, and an add button that opens the new entry.
 */
function EntryList({
  list,
  textField,
  title,
  addLabel,
  blank,
  testId,
  children,
}: {
  list: 'materials' | 'situations' | 'form';
  textField: 'name' | 'question' | 'label';
  title: (n: number) => string;
  addLabel: string;
  blank: () => unknown;
  testId?: (index: number) => string;
  children: (field: FormListFieldData) => ReactNode;
}) {
  const expansion = useContext(ExpansionContext);
  return (
    <Form.List name={list}>
      {(fields, { add, remove, move }) => (
        <>
          {fields.map((field, index) => (
            <EntryCard
              key={field.key}
              path={[list, field.name]}
              textField={textField}
              title={title(index + 1)}
              extra={
                <ListButtons
                  index={index}
                  count={fields.length}
                  move={(from, to) => {
                    move(from, to);
                    expansion?.forget(list);
                  }}
                  remove={() => {
                    remove(field.name);
                    expansion?.forget(list);
                  }}
                />
              }
              testId={testId?.(index)}
            >
              {children(field)}
            </EntryCard>
          ))}
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            onClick={() => {
              add(blank());
              expansion?.open([`${list}.${fields.length}`]);
            }}
          >
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** The materials of the item (申请材料), each with its waiver sources. */
export function MaterialsEditor() {
  const { t } = useI18n();
  return (
    <EntryList
      list="materials"
      textField="name"
      title={(n) => t(fieldText.material, { n })}
      addLabel={t(fieldText.addMaterial)}
      blank={blankMaterial}
      testId={(index) => `material-${index}`}
    >
      {(field) => (
        <>
          <div className="ot-editor-row">
            <KeyInput name={[field.name, 'key']} />
            <Form.Item name={[field.name, 'requirement']} label={t(fieldText.requirement)}>
              <Radio.Group
                options={(['required', 'conditional'] as const).map((value) => ({
                  value,
                  label: t(requirementLabels[value]),
                }))}
              />
            </Form.Item>
          </div>
          <BilingualInput name={[field.name, 'name']} label={t(fieldText.materialName)} required />
          <div className="ot-editor-row">
            <Form.Item name={[field.name, 'forms']} label={t(fieldText.forms)}>
              <Checkbox.Group
                options={(['original', 'copy', 'electronic'] as MaterialForm[]).map((value) => ({
                  value,
                  label: t(materialFormLabels[value]),
                }))}
              />
            </Form.Item>
            <Form.Item name={[field.name, 'copies']} label={t(fieldText.copies)}>
              <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name={[field.name, 'pages']} label={t(fieldText.pages)}>
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </div>
          <div className="ot-editor-row">
            <Form.Item name={[field.name, 'deficiencyAllowed']} valuePropName="checked">
              <Checkbox>{t(fieldText.deficiency)}</Checkbox>
            </Form.Item>
            <Form.Item name={[field.name, 'pledgeAllowed']} valuePropName="checked">
              <Checkbox>{t(fieldText.pledge)}</Checkbox>
            </Form.Item>
          </div>
          <Form.Item name={[field.name, 'note']} label={t(fieldText.note)}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
          <SourcesEditor
            name={[field.name, 'sources']}
            path={['materials', field.name, 'sources']}
          />
        </>
      )}
    </EntryList>
  );
}

const sourceValueField: Record<MaterialSource['kind'], { key: string; label: Text }> = {
  licence: { key: 'licenceType', label: fieldText.licenceType },
  'shared-data': { key: 'source', label: fieldText.dataSource },
  'item-result': { key: 'itemCode', label: fieldText.itemCode },
};

function SourceRow({ name, path, onRemove }: { name: number; path: Name; onRemove(): void }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const kind = (Form.useWatch([...path, name, 'kind'], form) ??
    'licence') as MaterialSource['kind'];
  const target = sourceValueField[kind] ?? sourceValueField.licence;
  return (
    <div className="ot-editor-row">
      <Form.Item name={[name, 'kind']} label={t(fieldText.sourceKind)}>
        <Select
          options={(Object.keys(sourceKindLabels) as MaterialSource['kind'][]).map((value) => ({
            value,
            label: t(sourceKindLabels[value]),
          }))}
        />
      </Form.Item>
      <Form.Item
        key={target.key}
        name={[name, target.key]}
        label={t(target.label)}
        rules={[{ required: true, whitespace: true, message: t(fieldText.required) }]}
      >
        <Input />
      </Form.Item>
      <div style={{ paddingTop: 30 }}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t(fieldText.remove)}
          onClick={onRemove}
        />
      </div>
    </div>
  );
}

function SourcesEditor({ name, path }: { name: Name; path: Name }) {
  const { t } = useI18n();
  return (
    <div className="ot-editor-nested">
      <div className="ot-editor-nested-title">
        {t(fieldText.sources)}{' '}
        <Tooltip title={t(fieldText.sourcesHelp)}>
          <span className="ot-muted">(?)</span>
        </Tooltip>
      </div>
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <SourceRow
                key={field.key}
                name={field.name}
                path={path}
                onRemove={() => remove(field.name)}
              />
            ))}
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ kind: 'licence', licenceType: '' })}
            >
              {t(fieldText.addSource)}
            </Button>
          </>
        )}
      </Form.List>
    </div>
  );
}

/** Options of the keys of the item's materials or form fields, as the form holds them now. */
function useKeyOptions(list: 'materials' | 'form'): { value: string; label: string }[] {
  const { lang } = useI18n();
  const form = Form.useFormInstance();
  // A string, so typing elsewhere in the list does not re-render every situation.
  const flat = Form.useWatch((values: Record<string, unknown>) => {
    const entries = (values[list] ?? []) as ({
      key?: string;
      name?: Partial<Text>;
      label?: Partial<Text>;
    } | null)[];
    return JSON.stringify(
      entries
        .filter((entry) => !!entry?.key)
        .map((entry) => {
          const text = entry!.name ?? entry!.label;
          return [entry!.key, (lang === 'en' ? text?.en || text?.zh : text?.zh) ?? ''];
        }),
    );
  }, form);
  return useMemo(
    () =>
      (JSON.parse(flat ?? '[]') as [string, string][]).map(([value, name]) => ({
        value,
        label: name ? `${name}（${value}）` : value,
      })),
    [flat],
  );
}

/** The situation questions (情形) with their answers and what each answer changes. */
export function SituationsEditor() {
  const { t } = useI18n();
  const materialOptions = useKeyOptions('materials');
  const fieldOptions = useKeyOptions('form');
  return (
    <EntryList
      list="situations"
      textField="question"
      title={(n) => t(fieldText.situation, { n })}
      addLabel={t(fieldText.addSituation)}
      blank={blankSituation}
    >
      {(field) => (
        <>
          <div className="ot-editor-row">
            <KeyInput name={[field.name, 'key']} />
            <Form.Item
              name={[field.name, 'multiple']}
              label={t(fieldText.multiple)}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
          </div>
          <BilingualInput name={[field.name, 'question']} label={t(fieldText.question)} required />
          <div className="ot-editor-nested">
            <div className="ot-editor-nested-title">{t(fieldText.answers)}</div>
            <Form.List name={[field.name, 'answers']}>
              {(answers, answerOps) => (
                <>
                  {answers.map((answer, answerIndex) => (
                    <Card
                      key={answer.key}
                      size="small"
                      type="inner"
                      className="ot-editor-sub"
                      title={t(fieldText.answer, { n: answerIndex + 1 })}
                      extra={
                        <ListButtons
                          index={answerIndex}
                          count={answers.length}
                          move={answerOps.move}
                          remove={() => answerOps.remove(answer.name)}
                        />
                      }
                    >
                      <KeyInput name={[answer.name, 'key']} />
                      <BilingualInput
                        name={[answer.name, 'label']}
                        label={t(fieldText.answerLabel)}
                        required
                      />
                      <div className="ot-editor-row">
                        <Form.Item
                          name={[answer.name, 'addMaterials']}
                          label={t(fieldText.addMaterials)}
                        >
                          <Select mode="multiple" options={materialOptions} allowClear />
                        </Form.Item>
                        <Form.Item
                          name={[answer.name, 'removeMaterials']}
                          label={t(fieldText.removeMaterials)}
                        >
                          <Select mode="multiple" options={materialOptions} allowClear />
                        </Form.Item>
                      </div>
                      <div className="ot-editor-row">
                        <Form.Item name={[answer.name, 'addFields']} label={t(fieldText.addFields)}>
                          <Select mode="multiple" options={fieldOptions} allowClear />
                        </Form.Item>
                        <LimitInput
                          name={[answer.name, 'committedLimit']}
                          label={t(fieldText.answerLimit)}
                        />
                      </div>
                    </Card>
                  ))}
                  <Button
                    size="small"
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => answerOps.add(blankAnswer())}
                  >
                    {t(fieldText.addAnswer)}
                  </Button>
                </>
              )}
            </Form.List>
          </div>
        </>
      )}
    </EntryList>
  );
}

/** One form field or table column at `name` (relative to its list), `path` being its full path. */
function FieldEditor({ name, path, column }: { name: Name; path: Name; column: boolean }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const type = (Form.useWatch([...path, 'type'], form) ?? 'text') as FieldType;
  const types = (Object.keys(fieldTypeLabels) as FieldType[]).filter(
    (value) => !column || value !== 'table',
  );
  return (
    <>
      <div className="ot-editor-row">
        <KeyInput name={[...name, 'key']} />
        <Form.Item name={[...name, 'type']} label={t(fieldText.fieldType)}>
          <Select options={types.map((value) => ({ value, label: t(fieldTypeLabels[value]) }))} />
        </Form.Item>
        <Form.Item
          name={[...name, 'required']}
          label={t(fieldText.fieldRequired)}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        {!column && (
          <Form.Item
            name={[...name, 'conditional']}
            label={t(fieldText.conditional)}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        )}
      </div>
      <BilingualInput name={[...name, 'label']} label={t(fieldText.fieldLabel)} required />
      {type === 'identifier' && (
        <Form.Item name={[...name, 'identifierKind']} label={t(fieldText.identifierKind)}>
          <Select
            options={(Object.keys(idKindLabels) as IdKind[]).map((value) => ({
              value,
              label: t(idKindLabels[value]),
            }))}
          />
        </Form.Item>
      )}
      {type === 'number' && (
        <div className="ot-editor-row">
          <Form.Item name={[...name, 'min']} label={t(fieldText.min)}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name={[...name, 'max']} label={t(fieldText.max)}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </div>
      )}
      {type === 'text' && (
        <Form.Item name={[...name, 'maxLength']} label={t(fieldText.maxLength)}>
          <InputNumber min={1} max={10000} precision={0} />
        </Form.Item>
      )}
      {type === 'choice' && (
        <div className="ot-editor-nested">
          <div className="ot-editor-nested-title">{t(fieldText.options)}</div>
          <Form.List name={[...name, 'options']}>
            {(options, { add, remove }) => (
              <>
                {options.map((option) => (
                  <div key={option.key} className="ot-editor-row">
                    <Form.Item
                      name={[option.name, 'value']}
                      label={t(fieldText.optionValue)}
                      rules={[{ required: true, whitespace: true, message: t(fieldText.required) }]}
                    >
                      <Input spellCheck={false} />
                    </Form.Item>
                    <Form.Item name={[option.name, 'label', 'zh']} label={t(fieldText.zh)}>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[option.name, 'label', 'en']} label={t(fieldText.en)}>
                      <Input lang="en" />
                    </Form.Item>
                    <div style={{ paddingTop: 30 }}>
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t(fieldText.remove)}
                        onClick={() => remove(option.name)}
                      />
                    </div>
                  </div>
                ))}
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ value: '', label: { zh: '', en: '' } })}
                >
                  {t(fieldText.addOption)}
                </Button>
              </>
            )}
          </Form.List>
        </div>
      )}
      {type === 'table' && !column && (
        <div className="ot-editor-nested">
          <div className="ot-editor-nested-title">{t(fieldText.columns)}</div>
          <Form.List name={[...name, 'columns']}>
            {(columns, { add, remove, move }) => (
              <>
                {columns.map((entry, index) => (
                  <Card
                    key={entry.key}
                    size="small"
                    type="inner"
                    className="ot-editor-sub"
                    title={t(fieldText.column, { n: index + 1 })}
                    extra={
                      <ListButtons
                        index={index}
                        count={columns.length}
                        move={move}
                        remove={() => remove(entry.name)}
                      />
                    }
                  >
                    <FieldEditor
                      name={[entry.name]}
                      path={[...path, 'columns', entry.name]}
                      column
                    />
                  </Card>
                ))}
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ ...blankField(), required: false })}
                >
                  {t(fieldText.addColumn)}
                </Button>
              </>
            )}
          </Form.List>
        </div>
      )}
      <BilingualInput name={[...name, 'help']} label={t(fieldText.help)} />
    </>
  );
}

/** The application form's fields (申请表). */
export function FormFieldsEditor() {
  const { t } = useI18n();
  return (
    <EntryList
      list="form"
      textField="label"
      title={(n) => t(fieldText.field, { n })}
      addLabel={t(fieldText.addField)}
      blank={blankField}
    >
      {(field) => (
        <>
          <FieldEditor name={[field.name]} path={['form', field.name]} column={false} />
        </>
      )}
    </EntryList>
  );
}

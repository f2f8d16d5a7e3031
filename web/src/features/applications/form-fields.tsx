import { useEffect, useMemo, useState } from 'react';
import { AutoComplete, Button, Form, Input, InputNumber, Radio, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { FormColumn, FormField } from '../catalog/content';
import { idKindLabels } from '../catalog/labels';
import { apiRequest } from '../platform/api';

const text = {
  regionPlaceholder: { zh: '输入区划名称或代码', en: 'Type a region name or code' },
  date: { zh: '年-月-日', en: 'YYYY-MM-DD' },
  addRow: { zh: '添加一行', en: 'Add a row' },
  removeRow: { zh: '删除此行', en: 'Remove this row' },
  row: { zh: '第 {n} 行', en: 'Row {n}' },
  filledBy: {
    zh: '由「{name}」的办理结果自动填入，无需填写',
    en: 'Filled in from the result of "{name}"; nothing to enter',
  },
  choose: { zh: '请选择', en: 'Choose' },
} satisfies Record<string, Text>;

interface Region {
  code: string;
  nameZh: string;
  nameEn: string;
}

let regionsCache: Promise<Region[]> | null = null;

/** The public region directory, loaded once per page load. */
function useRegions(): Region[] {
  const { lang } = useI18n();
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    regionsCache ??= apiRequest<{ regions: Region[] }>('/api/regions', { lang }).then(
      (reply) => reply.regions,
      () => {
        regionsCache = null;
        return [];
      },
    );
    let live = true;
    void regionsCache.then((list) => live && setRegions(list));
    return () => {
      live = false;
    };
  }, []);
  return regions;
}

/** A region code typed or picked by name. */
function RegionInput({
  value,
  onChange,
  id,
}: {
  value?: unknown;
  onChange?: unknown;
  id?: unknown;
}) {
  const { t, lang } = useI18n();
  const regions = useRegions();
  const options = useMemo(
    () =>
      regions.map((r) => ({
        value: r.code,
        label: `${r.code} ${lang === 'en' ? r.nameEn : r.nameZh}`,
      })),
    [regions, lang],
  );
  return (
    <AutoComplete
      id={typeof id === 'string' ? id : undefined}
      value={typeof value === 'string' ? value : undefined}
      onChange={(next: string) => (onChange as ((v: string) => void) | undefined)?.(next)}
      options={options}
      placeholder={t(text.regionPlaceholder)}
      showSearch={{
        filterOption: (input, option) =>
          String(option?.label ?? '')
            .toLowerCase()
            .includes(input.toLowerCase()),
      }}
    />
  );
}

/** What Form.Item hands its child: value, onChange, id and the like, passed on to the control. */
type Control = Record<string, unknown>;

/** The input for one field or table column (not a table). */
function FieldInput({
  field,
  disabled,
  ...control
}: { field: FormColumn; disabled?: boolean } & Control) {
  const { t } = useI18n();
  switch (field.type) {
    case 'number':
      return (
        <InputNumber
          {...control}
          min={field.min}
          max={field.max}
          disabled={disabled}
          style={{ width: '100%' }}
        />
      );
    case 'date':
      return <Input {...control} type="date" placeholder={t(text.date)} disabled={disabled} />;
    case 'region':
      return <RegionInput {...control} />;
    case 'identifier':
      return (
        <Input
          {...control}
          spellCheck={false}
          autoComplete="off"
          inputMode={field.identifierKind === 'mobile' ? 'tel' : undefined}
          maxLength={field.identifierKind === 'mobile' ? 11 : 18}
          placeholder={field.identifierKind ? t(idKindLabels[field.identifierKind]) : undefined}
          disabled={disabled}
        />
      );
    case 'choice': {
      const options = (field.options ?? []).map((o) => ({ value: o.value, label: t(o.label) }));
      return options.length <= 4 ? (
        <Radio.Group {...control} options={options} disabled={disabled} />
      ) : (
        <Select
          {...control}
          options={options}
          placeholder={t(text.choose)}
          disabled={disabled}
          allowClear
        />
      );
    }
    default:
      return field.maxLength && field.maxLength > 200 ? (
        <Input.TextArea
          {...control}
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={field.maxLength}
          showCount
          disabled={disabled}
        />
      ) : (
        <Input {...control} maxLength={field.maxLength} disabled={disabled} />
      );
  }
}

/** Upper-cases identifiers whose check letters are capitals (USCC, resident ID's X). */
function normalizer(field: FormColumn) {
  if (field.type === 'identifier' && field.identifierKind !== 'mobile') {
    return (value: unknown) => (typeof value === 'string' ? value.toUpperCase().trim() : value);
  }
  return undefined;
}

/**
 * One field of the merged form (一表申请) as an input: text, number, date, region, identifier,
 * choice, or a table of rows. The values are the ones the server validates (dates as YYYY-MM-DD,
 * regions and identifiers as strings, tables as lists of row objects).
 */
export function FormFieldItem({
  field,
  disabled,
  filledBy,
}: {
  field: FormField;
  disabled?: boolean;
  /** The name of the earlier item whose result fills this field (the platform fills it). */
  filledBy?: string;
}) {
  const { t } = useI18n();
  if (filledBy !== undefined) {
    return (
      <Form.Item label={t(field.label)} data-field={field.key} data-filled-by="true">
        <Input disabled placeholder={t(text.filledBy, { name: filledBy })} />
      </Form.Item>
    );
  }
  if (field.type === 'table') {
    const columns = field.columns ?? [];
    return (
      <Form.Item
        label={t(field.label)}
        required={field.required}
        extra={field.help ? t(field.help) : undefined}
        className="ot-app-table-field"
        data-field={field.key}
      >
        <Form.List name={field.key}>
          {(rows, { add, remove }) => (
            <div className="ot-app-table">
              {rows.map((row, index) => (
                <fieldset key={row.key} className="ot-app-table-row">
                  <legend>{t(text.row, { n: index + 1 })}</legend>
                  <div className="ot-app-table-cells">
                    {columns.map((column) => (
                      <Form.Item
                        key={column.key}
                        name={[row.name, column.key]}
                        label={t(column.label)}
                        required={column.required}
                        normalize={normalizer(column)}
                        data-field={`${field.key}.${index}.${column.key}`}
                      >
                        <FieldInput field={column} disabled={disabled} />
                      </Form.Item>
                    ))}
                  </div>
                  {!disabled && (
                    <Button
                      type="text"
                      danger
                      size="small"
                      icon={<DeleteOutlined />}
                      onClick={() => remove(row.name)}
                      aria-label={t(text.removeRow)}
                    >
                      {t(text.removeRow)}
                    </Button>
                  )}
                </fieldset>
              ))}
              {!disabled && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  {t(text.addRow)}
                </Button>
              )}
            </div>
          )}
        </Form.List>
      </Form.Item>
    );
  }
  return (
    <Form.Item
      name={field.key}
      label={t(field.label)}
      required={field.required}
      extra={field.help ? t(field.help) : undefined}
      normalize={normalizer(field)}
      data-field={field.key}
    >
      <FieldInput field={field} disabled={disabled} />
    </Form.Item>
  );
}

/** The form's values as the server takes them: empty inputs left out, empty table rows dropped. */
export function cleanData(values: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      data[key] = value
        .map((row) =>
          row && typeof row === 'object' ? cleanData(row as Record<string, unknown>) : row,
        )
        .filter((row) => row && typeof row === 'object' && Object.keys(row).length > 0);
      continue;
    }
    data[key] = value;
  }
  return data;
}

import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Descriptions, Drawer, Modal, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Text } from '../../../shell/i18n';
import { useI18n } from '../../../shell/i18n';
import { formatTime } from '../../../shell/time';
import { useLoad } from '../../cases/use-load';
import { fetchRecords, type IndicatorDefinition, type IndicatorRecord } from '../api';
import type { Period } from './model';
import { cockpitText as text } from './text';

const PAGE = 20;

/** The records behind one figure, a page at a time, each linking to where it is shown. */
export function DrillDrawer({
  indicator,
  name,
  definition,
  period,
  region,
  regionName,
  onClose,
}: {
  indicator: string | null;
  name: Text;
  definition: IndicatorDefinition | undefined;
  period: Period;
  region: string;
  regionName: (code: string) => string;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const key = indicator ? `${indicator}|${period.from}|${period.to}|${region}|${page}` : null;
  const { state } = useLoad(key, (lang, signal) =>
    fetchRecords(
      {
        indicator: indicator ?? '',
        from: period.from,
        to: period.to,
        region,
        limit: PAGE,
        offset: (page - 1) * PAGE,
      },
      lang,
      signal,
    ),
  );
  const columns: TableColumnsType<IndicatorRecord> = [
    {
      key: 'number',
      title: t(text.subject),
      render: (_, r) => (
        <div className="ot-ck-record">
          {r.link ? (
            <Link to={r.link} data-testid="record-link">
              {t(r.title)}
            </Link>
          ) : (
            <span>{t(r.title)}</span>
          )}
          <span className="ot-muted">
            {r.number} · {regionName(r.regionCode)}
          </span>
          {r.note && <span className="ot-muted">{t(r.note)}</span>}
        </div>
      ),
    },
    {
      key: 'at',
      title: t(text.at),
      width: 150,
      render: (_, r) => formatTime(r.at, locale),
    },
    {
      key: 'good',
      title: t(text.counts),
      width: 80,
      render: (_, r) =>
        r.good === null ? (
          <span className="ot-muted">—</span>
        ) : (
          <Tag color={r.good ? 'green' : 'red'}>{t(r.good ? text.good : text.bad)}</Tag>
        ),
    },
  ];
  return (
    <Drawer
      open={indicator !== null}
      onClose={() => {
        setPage(1);
        onClose();
      }}
      size={720}
      title={t(text.records, { name: t(definition?.name ?? name) })}
      destroyOnHidden
      rootClassName="ot-ck-drawer"
    >
      <div data-testid="drill-drawer" data-indicator={indicator ?? ''}>
        {definition && <DefinitionBlock definition={definition} />}
        {state.status === 'error' ? (
          <Alert
            type="warning"
            showIcon
            title={t(text.recordsUnavailable, { message: state.message })}
          />
        ) : (
          <>
            {state.value && (
              <div className="ot-muted ot-block" data-testid="drill-total">
                {t(text.recordsTotal, { total: state.value.total })}
              </div>
            )}
            <Table<IndicatorRecord>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={state.value?.items ?? []}
              loading={state.status === 'loading'}
              data-testid="drill-records"
              pagination={{
                current: page,
                pageSize: PAGE,
                total: state.value?.total ?? 0,
                showSizeChanger: false,
                hideOnSinglePage: true,
                onChange: setPage,
              }}
            />
          </>
        )}
      </div>
    </Drawer>
  );
}

/** A definition's formula, source and target. */
export function DefinitionBlock({ definition }: { definition: IndicatorDefinition }) {
  const { t } = useI18n();
  return (
    <Descriptions size="small" column={1} bordered className="ot-block" data-testid="definition">
      <Descriptions.Item label={t(text.formula)}>{t(definition.formula)}</Descriptions.Item>
      <Descriptions.Item label={t(text.source)}>{t(definition.source)}</Descriptions.Item>
      {definition.target && (
        <Descriptions.Item label={t(text.targetColumn)}>
          {t(definition.target.text)}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** Every indicator's definition, as a table. */
export function DefinitionsModal({
  open,
  definitions,
  onClose,
}: {
  open: boolean;
  definitions: IndicatorDefinition[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      width={960}
      title={t(text.definitions)}
      destroyOnHidden
    >
      <DefinitionsTable definitions={definitions} />
    </Modal>
  );
}

/** The definitions table (the cockpit's dialog and the report share it). */
export function DefinitionsTable({ definitions }: { definitions: IndicatorDefinition[] }) {
  const { t } = useI18n();
  return (
    <Table<IndicatorDefinition>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={definitions}
      data-testid="definitions"
      columns={[
        { key: 'name', title: t(text.name), width: 150, render: (_, d) => t(d.name) },
        { key: 'formula', title: t(text.formula), render: (_, d) => t(d.formula) },
        { key: 'source', title: t(text.source), width: 200, render: (_, d) => t(d.source) },
        {
          key: 'target',
          title: t(text.targetColumn),
          width: 120,
          render: (_, d) => (d.target ? t(d.target.text) : '—'),
        },
      ]}
    />
  );
}

import { Link } from 'react-router-dom';
import { Alert, Button, Card, Col, Progress, Row, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import { exportUrl, fetchBoard, type Board, type BoardCounts } from './api';
import { DUE_SOON_DAYS, LEDGER_ROLES, ledgerText } from './labels';
import './ledger.css';

type UnitRow = Board['units'][number];

/** A link to the task list with some filters. */
export function tasksLink(filters: Record<string, string>): string {
  return `/workbench/ledger/tasks?${new URLSearchParams(filters).toString()}`;
}

const COUNTS: { key: keyof BoardCounts; filter: Record<string, string>; tone: string }[] = [
  { key: 'total', filter: {}, tone: 'total' },
  { key: 'done', filter: { state: 'done' }, tone: 'done' },
  { key: 'overdue', filter: { warning: 'overdue' }, tone: 'overdue' },
  { key: 'dueSoon', filter: { warning: 'due_soon' }, tone: 'soon' },
  { key: 'unreported', filter: { warning: 'unreported' }, tone: 'unreported' },
];

/** `/workbench/ledger`: the board of the reform-task ledger, per document and per unit. */
export function LedgerBoardPage() {
  return (
    <RequireRole roles={LEDGER_ROLES}>
      <LedgerBoard />
    </RequireRole>
  );
}

function LedgerBoard() {
  const { t } = useI18n();
  useDocumentTitle(ledgerText.title);
  const { state } = useLoad('board', (lang, signal) => fetchBoard(lang, signal));
  const board = state.value;

  const count = (key: keyof BoardCounts, value: number, filters: Record<string, string>) => (
    <Link to={tasksLink(filters)} data-testid={`count-${key}`} data-count={value}>
      {value}
    </Link>
  );
  const unitColumns: TableColumnsType<UnitRow> = [
    {
      key: 'unit',
      title: t(ledgerText.unit),
      render: (_, u) => <Link to={tasksLink({ unit: u.unit })}>{u.unit}</Link>,
    },
    {
      key: 'department',
      title: t(ledgerText.department),
      responsive: ['md'],
      render: (_, u) =>
        u.departmentName ? (
          t(u.departmentName)
        ) : (
          <span className="ot-muted">{t(ledgerText.unmapped)}</span>
        ),
    },
    ...COUNTS.map(({ key, filter }) => ({
      key,
      title: t(ledgerText[key]),
      align: 'right' as const,
      render: (_: unknown, u: UnitRow) =>
        u[key] === 0 ? (
          <span className="ot-muted">0</span>
        ) : (
          count(key, u[key], { unit: u.unit, ...filter })
        ),
    })),
  ];

  return (
    <div data-testid="ledger-board">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(ledgerText.title)}</Typography.Title>
        <span className="ot-ledger-actions">
          <Link to="/workbench/ledger/tasks">
            <Button icon={<UnorderedListOutlined />}>{t(ledgerText.tasks)}</Button>
          </Link>
          <Button
            icon={<DownloadOutlined />}
            href={exportUrl()}
            download
            data-testid="ledger-export"
          >
            {t(ledgerText.export)}
          </Button>
        </span>
      </div>
      <Typography.Paragraph className="ot-lead">
        {t(ledgerText.intro, { soon: DUE_SOON_DAYS })}
        {board && <span className="ot-muted"> {t(ledgerText.asOf, { today: board.today })}</span>}
      </Typography.Paragraph>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(ledgerText.loadFailed, { message: state.message })}
        />
      )}
      <Typography.Title level={3}>{t(ledgerText.byDocument)}</Typography.Title>
      <Row gutter={[16, 16]} className="ot-block">
        {(board?.documents ?? []).map((d) => (
          <Col xs={24} md={12} xl={8} key={d.key}>
            <Card
              className="ot-ledger-doc"
              data-testid="ledger-document"
              data-key={d.key}
              title={
                <Link to={tasksLink({ document: d.key })} title={d.title}>
                  {d.letter ? `${d.letter} · ` : ''}
                  {d.title}
                </Link>
              }
            >
              {d.number && <div className="ot-muted">{d.number}</div>}
              <Progress
                percent={d.total ? Math.round((d.done / d.total) * 100) : 0}
                success={{ percent: d.total ? (d.done / d.total) * 100 : 0 }}
                format={() => `${d.done}/${d.total}`}
              />
              <dl className="ot-ledger-counts">
                {COUNTS.map(({ key, filter, tone }) => (
                  <div key={key} data-tone={tone}>
                    <dt>{t(ledgerText[key])}</dt>
                    <dd>{count(key, d[key], { document: d.key, ...filter })}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Title level={3}>{t(ledgerText.byUnit)}</Typography.Title>
      <Table<UnitRow>
        rowKey="unit"
        size="small"
        columns={unitColumns}
        dataSource={board?.units ?? []}
        loading={state.status === 'loading'}
        data-testid="ledger-units"
        pagination={{ pageSize: 15, showSizeChanger: false, hideOnSinglePage: true }}
      />
    </div>
  );
}

import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import type { Board, BoardDepartment, CaseView } from './api';
import { fetchBoard } from './api';
import { ActionDialog, doneText } from './case-actions';
import { CaseStateTag, DueCell } from './case-view';
import { caseStateLabels, OPEN_STATES } from './labels';
import { itemName } from './queue-page';
import { useLoad } from './use-load';
import './cases.css';

const text = {
  title: { zh: '时限督办', en: 'Deadline supervision' },
  intro: {
    zh: '本区域各部门在办子件的时限情况：即将到期（黄灯）和已超期（红灯）的子件可直接督办。',
    en: 'How the departments of your region stand against their time limits; cases due soon (yellow) and overdue (red) can be urged from here.',
  },
  at: { zh: '统计时间 {at}', en: 'As of {at}' },
  refresh: { zh: '刷新', en: 'Refresh' },
  queue: { zh: '全部子件', en: 'All cases' },
  department: { zh: '部门', en: 'Department' },
  open: { zh: '在办', en: 'Open' },
  dueSoon: { zh: '即将到期', en: 'Due soon' },
  overdue: { zh: '已超期', en: 'Overdue' },
  departments: { zh: '各部门在办情况', en: 'Open cases by department' },
  dueSoonList: { zh: '即将超期的子件', en: 'About to be overdue' },
  overdueList: { zh: '已超期的子件', en: 'Overdue' },
  none: { zh: '没有', en: 'None' },
  item: { zh: '事项', en: 'Item' },
  application: { zh: '申请编号', en: 'Application' },
  state: { zh: '状态', en: 'State' },
  due: { zh: '承诺办结', en: 'Due' },
  urge: { zh: '督办', en: 'Urge' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  empty: { zh: '本区域暂无在办子件', en: 'No open case in your region' },
} satisfies Record<string, Text>;

/** `/workbench/supervision`: the supervision board of department cases. */
export function SupervisionBoardPage() {
  return (
    <RequireRole roles={['supervisor', 'admin']}>
      <SupervisionBoard />
    </RequireRole>
  );
}

function SupervisionBoard() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  useDocumentTitle(text.title);
  const { state, reload } = useLoad<Board>('board', (lang, signal) => fetchBoard(lang, signal));
  const [urging, setUrging] = useState<string | null>(null);
  const board = state.value;
  // Only the states some department has, so the table stays narrow.
  const states = OPEN_STATES.filter((s) => board?.departments.some((d) => (d.byState[s] ?? 0) > 0));

  const count = (n: number, tone?: 'yellow' | 'red') =>
    n > 0 ? (
      <span className={tone ? `ot-case-count-${tone}` : undefined}>{n}</span>
    ) : (
      <span className="ot-muted">0</span>
    );

  const departmentColumns: TableColumnsType<BoardDepartment> = [
    {
      key: 'name',
      title: t(text.department),
      render: (_, d) => (
        <Link to={`/workbench/cases?department=${encodeURIComponent(d.code)}`}>{t(d.name)}</Link>
      ),
    },
    { key: 'open', title: t(text.open), align: 'right', render: (_, d) => count(d.open) },
    ...states.map((s) => ({
      key: s,
      title: t(caseStateLabels[s]),
      align: 'right' as const,
      responsive: ['lg' as const],
      render: (_: unknown, d: BoardDepartment) => count(d.byState[s] ?? 0),
    })),
    {
      key: 'dueSoon',
      title: t(text.dueSoon),
      align: 'right',
      render: (_, d) => count(d.dueSoon, 'yellow'),
    },
    {
      key: 'overdue',
      title: t(text.overdue),
      align: 'right',
      render: (_, d) => count(d.overdue, 'red'),
    },
  ];

  const caseColumns: TableColumnsType<CaseView> = [
    {
      key: 'item',
      title: t(text.item),
      render: (_, c) => (
        <div className="ot-catalog-name-cell">
          <Link to={`/workbench/cases/${c.id}`} data-testid="board-case-link">
            {t(itemName(c))}
          </Link>
          <span className="ot-muted">{t(c.department)}</span>
        </div>
      ),
    },
    {
      key: 'application',
      title: t(text.application),
      render: (_, c) => (
        <div className="ot-catalog-name-cell">
          <span>{c.applicationNumber ?? c.applicationId.slice(0, 8)}</span>
          {c.applicantName && <span className="ot-muted">{c.applicantName}</span>}
        </div>
      ),
      responsive: ['md'],
    },
    {
      key: 'state',
      title: t(text.state),
      render: (_, c) => <CaseStateTag state={c.state} name={c.stateName} />,
    },
    { key: 'due', title: t(text.due), render: (_, c) => <DueCell c={c} /> },
    {
      key: 'urge',
      title: '',
      render: (_, c) =>
        c.actions.includes('urge') ? (
          <Button size="small" onClick={() => setUrging(c.id)} data-testid="board-urge">
            {t(text.urge)}
          </Button>
        ) : null,
    },
  ];

  return (
    <div data-testid="supervision-board">
      <div className="ot-workbench-title ot-app-wb-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
        <span className="ot-case-board-tools">
          <Button icon={<UnorderedListOutlined />} onClick={() => navigate('/workbench/cases')}>
            {t(text.queue)}
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={reload}
            loading={state.status === 'loading'}
            data-testid="board-refresh"
          >
            {t(text.refresh)}
          </Button>
        </span>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {board && (
        <p className="ot-muted" data-testid="board-at">
          {t(text.at, { at: formatTime(board.at, locale) })}
        </p>
      )}
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          data-testid="board-error"
          title={t(text.failed, { message: state.message })}
        />
      )}
      <section className="ot-app-card" data-testid="board-departments">
        <h2 className="ot-app-card-title">{t(text.departments)}</h2>
        <Table<BoardDepartment>
          rowKey="code"
          size="small"
          columns={departmentColumns}
          dataSource={board?.departments ?? []}
          loading={state.status === 'loading' && !board}
          pagination={false}
          locale={{ emptyText: t(text.empty) }}
          scroll={{ x: 'max-content' }}
        />
      </section>
      <div className="ot-case-board-lists">
        <BoardCaseList
          title={text.dueSoonList}
          level="yellow"
          cases={board?.dueSoon ?? []}
          columns={caseColumns}
          testId="board-due-soon"
        />
        <BoardCaseList
          title={text.overdueList}
          level="red"
          cases={board?.overdue ?? []}
          columns={caseColumns}
          testId="board-overdue"
        />
      </div>
      {urging && (
        <ActionDialog
          caseId={urging}
          action="urge"
          onCancel={() => setUrging(null)}
          onDone={() => {
            setUrging(null);
            void message.success(t(doneText('urge')));
            reload();
          }}
        />
      )}
    </div>
  );
}

/** One of the board's lists of cases (due soon, overdue), with its count in the level's colour. */
function BoardCaseList({
  title,
  level,
  cases,
  columns,
  testId,
}: {
  title: Text;
  level: 'yellow' | 'red';
  cases: CaseView[];
  columns: TableColumnsType<CaseView>;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <section className="ot-app-card" data-testid={testId}>
      <h2 className="ot-app-card-title">
        {t(title)} <span className={`ot-case-count-${level}`}>{cases.length}</span>
      </h2>
      <Table<CaseView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={cases}
        pagination={false}
        locale={{ emptyText: t(text.none) }}
      />
    </section>
  );
}

import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Calendar,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import { ApiError } from './api';
import {
  fetchCalendarDays,
  fetchCalendarRegions,
  fetchDeadline,
  removeCalendarOverride,
  setCalendarOverride,
  type CalendarDay,
  type CalendarDeadline,
  type CalendarRegion,
  type DayKind,
  type OverrideKind,
} from './calendar-api';
import './calendar.css';

// The workbench's working-day calendar (工作日历): administrators see how each day of a region
// counts for time limits and set the region's own holidays and working days (地方调整).

const text = {
  title: { zh: '工作日历', en: 'Working-day calendar' },
  intro: {
    zh: '办件、工单和整改的时限都按所在区划的工作日历计算工作日。全国法定节假日和调休上班日来自国务院公布的放假安排；区划可自行调整（如地方假日、台风停工），下级区划继承上级的调整，本级调整优先。点击日期可设置或撤销本区划的调整。',
    en: 'Time limits of cases, tickets and rectifications count working days on the calendar of their region. National holidays and make-up working days follow the State Council schedule; a region may adjust days of its own (a local holiday, a typhoon day off), districts inherit their city’s adjustments and their own come first. Click a day to set or remove an adjustment of this region.',
  },
  region: { zh: '区划', en: 'Region' },
  today: { zh: '本月', en: 'This month' },
  previous: { zh: '上个月', en: 'Previous month' },
  next: { zh: '下个月', en: 'Next month' },
  monthTitle: { zh: '{year}年{month}月', en: '{monthName} {year}' },
  legend: { zh: '图例', en: 'Legend' },
  local: { zh: '地方调整', en: 'Local adjustment' },
  localShort: { zh: '本级', en: 'Local' },
  inheritedShort: { zh: '上级', en: 'Parent' },
  provisional: { zh: '暂定', en: 'Provisional' },
  provisionalNote: {
    zh: '{year} 年的放假安排尚未公布：本月的节假日按法律推算（暂定），公布前可能变动。',
    en: 'The holiday schedule of {year} is not yet published: this month’s holidays follow from the law (provisional) and may change until it is.',
  },
  dayTitle: { zh: '{date}（{weekday}）', en: '{weekday}, {date}' },
  counts: { zh: '当前', en: 'Counts as' },
  national: { zh: '全国日历', en: 'National calendar' },
  localRule: { zh: '本区划调整', en: 'Adjustment of this region' },
  none: { zh: '无', en: 'None' },
  inheritedFrom: {
    zh: '此日由上级区划“{region}”调整为“{name}”。在此设置的本区划调整优先于上级调整；撤销上级调整请切换到该区划。',
    en: 'Region “{region}” above this one adjusted this day (“{name}”). An adjustment set here comes first; to remove the other one, switch to that region.',
  },
  kind: { zh: '调整为', en: 'Make it' },
  kindHoliday: { zh: '放假（地方假日）', en: 'A day off (local holiday)' },
  kindWorkday: {
    zh: '上班（调休上班或取消放假）',
    en: 'A working day (make-up or holiday withdrawn)',
  },
  nameZh: { zh: '名称（中文）', en: 'Name (Chinese)' },
  nameEn: { zh: '名称（英文）', en: 'Name (English)' },
  namePlaceholderZh: { zh: '如：台风停工', en: 'e.g. 台风停工' },
  namePlaceholderEn: { zh: '如：Typhoon day off', en: 'e.g. Typhoon day off' },
  nameRequired: { zh: '请填写名称', en: 'Give a name' },
  save: { zh: '保存调整', en: 'Save adjustment' },
  remove: { zh: '撤销本区划调整', en: 'Remove this adjustment' },
  saved: { zh: '已保存 {date} 的调整', en: 'Adjustment of {date} saved' },
  removed: { zh: '已撤销 {date} 的调整', en: 'Adjustment of {date} removed' },
  deadlineTitle: { zh: '期限试算', en: 'Deadline check' },
  deadlineIntro: {
    zh: '按本区划日历计算：起算当日不计入，第 N 个工作日下班时截止。',
    en: 'On this region’s calendar: the start day is not counted; the period ends at close of business of the Nth working day.',
  },
  start: { zh: '起算日期', en: 'Start date' },
  workdays: { zh: '工作日数', en: 'Working days' },
  due: { zh: '截止时间', en: 'Due' },
  dueValue: { zh: '{date}（{weekday}）{time}', en: '{weekday}, {date} {time}' },
} satisfies Record<string, Text>;

const KIND_LABELS: Record<DayKind, Text> = {
  workday: { zh: '工作日', en: 'Working day' },
  weekend: { zh: '休息日', en: 'Weekend' },
  holiday: { zh: '节假日', en: 'Holiday' },
  makeup: { zh: '调休上班', en: 'Make-up working day' },
};

const KIND_COLORS: Record<DayKind, string> = {
  workday: 'default',
  weekend: 'default',
  holiday: 'red',
  makeup: 'orange',
};

const WEEKDAYS: Text[] = [
  { zh: '星期日', en: 'Sunday' },
  { zh: '星期一', en: 'Monday' },
  { zh: '星期二', en: 'Tuesday' },
  { zh: '星期三', en: 'Wednesday' },
  { zh: '星期四', en: 'Thursday' },
  { zh: '星期五', en: 'Friday' },
  { zh: '星期六', en: 'Saturday' },
];

const ISO = 'YYYY-MM-DD';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/calendar`: the working-day calendar of a region, with its local adjustments. */
export function CalendarAdminPage() {
  return (
    <RequireRole roles={['admin']}>
      <CalendarAdmin />
    </RequireRole>
  );
}

function CalendarAdmin() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.title);
  const [regions, setRegions] = useState<CalendarRegion[]>([]);
  const [region, setRegion] = useState(user?.regionCode ?? '371000');
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [days, setDays] = useState<Map<string, CalendarDay>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Bumped after every change, so the month and the deadline check are read again.
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState<CalendarDay | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchCalendarRegions(lang, controller.signal).then(setRegions, (e: unknown) => {
      if (!controller.signal.aborted) setError(errorText(e));
    });
    return () => controller.abort();
  }, [lang]);

  useEffect(() => {
    const controller = new AbortController();
    // The month view shows parts of the weeks before and after the month.
    const from = month.startOf('month').subtract(7, 'day').format(ISO);
    const to = month.endOf('month').add(14, 'day').format(ISO);
    setLoading(true);
    setError(null);
    fetchCalendarDays(region, from, to, lang, controller.signal)
      .then((list) => setDays(new Map(list.map((day) => [day.date, day]))))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [region, month, lang, generation]);

  const regionName = (code: string) => {
    const found = regions.find((r) => r.code === code);
    return found ? (lang === 'en' ? found.nameEn : found.nameZh) : code;
  };
  const regionOptions = useMemo(
    () =>
      [...regions]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((r) => ({
          value: r.code,
          label: `${lang === 'en' ? r.nameEn : r.nameZh} (${r.code})`,
        })),
    [regions, lang],
  );

  const monthProvisional = [...days.values()].some(
    (day) => day.provisional && day.date.startsWith(month.format('YYYY-MM')),
  );

  function renderDay(date: Dayjs) {
    const iso = date.format(ISO);
    const day = days.get(iso);
    const outside = !date.isSame(month, 'month');
    const classes = ['ot-cal-day'];
    if (day) classes.push(`ot-cal-${day.kind}`);
    if (day?.override) classes.push('ot-cal-local');
    if (outside) classes.push('ot-cal-outside');
    if (date.isSame(dayjs(), 'day')) classes.push('ot-cal-today');
    const label =
      day && (day.name ? t(day.name) : day.kind === 'workday' ? '' : t(KIND_LABELS[day.kind]));
    return (
      <div
        className={classes.join(' ')}
        data-testid={`calendar-day-${iso}`}
        data-kind={day?.kind}
        data-local={day?.override ? day.override.regionCode : undefined}
      >
        <div className="ot-cal-date">{date.date()}</div>
        {day && (
          <div className="ot-cal-label">
            {day.kind === 'makeup' && (
              <span className="ot-cal-badge">{lang === 'en' ? 'W' : '班'}</span>
            )}
            {day.kind === 'holiday' && (
              <span className="ot-cal-badge">{lang === 'en' ? 'H' : '休'}</span>
            )}
            <span>{label}</span>
          </div>
        )}
        {day?.override && (
          <Tag color="purple" className="ot-cal-local-tag">
            {t(day.override.regionCode === region ? text.localShort : text.inheritedShort)}
          </Tag>
        )}
      </div>
    );
  }

  return (
    <div className="ot-calendar-admin">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Space wrap className="ot-block" size="large">
        <Space>
          <label htmlFor="calendar-region">{t(text.region)}</label>
          <Select
            id="calendar-region"
            showSearch
            optionFilterProp="label"
            value={region}
            onChange={setRegion}
            options={regionOptions.length ? regionOptions : [{ value: region, label: region }]}
            style={{ width: 260 }}
            aria-label={t(text.region)}
            data-testid="calendar-region"
          />
        </Space>
        <Legend />
      </Space>
      {error && <Alert type="error" showIcon title={error} className="ot-block" />}
      <div className="ot-calendar-layout">
        <Card size="small" className="ot-calendar-month" loading={loading && days.size === 0}>
          <Calendar
            value={month}
            mode="month"
            fullCellRender={(date, info) =>
              info.type === 'date' ? renderDay(date) : info.originNode
            }
            onSelect={(date, { source }) => {
              if (source !== 'date') return;
              if (!date.isSame(month, 'month')) setMonth(date.startOf('month'));
              const day = days.get(date.format(ISO));
              if (day) setSelected(day);
            }}
            headerRender={() => (
              <div className="ot-cal-header">
                <Button
                  icon={<LeftOutlined />}
                  aria-label={t(text.previous)}
                  onClick={() => setMonth((m) => m.subtract(1, 'month'))}
                />
                <Typography.Title
                  level={4}
                  className="ot-cal-month-title"
                  data-testid="calendar-month"
                >
                  {t(text.monthTitle, {
                    year: month.year(),
                    month: month.month() + 1,
                    monthName: month.locale('en').format('MMMM'),
                  })}
                </Typography.Title>
                <Button
                  icon={<RightOutlined />}
                  aria-label={t(text.next)}
                  onClick={() => setMonth((m) => m.add(1, 'month'))}
                />
                <Button onClick={() => setMonth(dayjs().startOf('month'))}>{t(text.today)}</Button>
              </div>
            )}
          />
          {monthProvisional && (
            <Typography.Paragraph type="secondary" className="ot-cal-note">
              {t(text.provisionalNote, { year: month.year() })}
            </Typography.Paragraph>
          )}
        </Card>
        <DeadlineCheck region={region} generation={generation} />
      </div>
      {selected && (
        <OverrideDialog
          day={selected}
          region={region}
          regionName={regionName}
          onClose={() => setSelected(null)}
          onChanged={() => {
            setSelected(null);
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </div>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <Space wrap aria-label={t(text.legend)} data-testid="calendar-legend">
      <Typography.Text type="secondary">{t(text.legend)}</Typography.Text>
      {(['workday', 'weekend', 'holiday', 'makeup'] as const).map((kind) => (
        <span key={kind} className={`ot-cal-swatch ot-cal-${kind}`}>
          {t(KIND_LABELS[kind])}
        </span>
      ))}
      <span className="ot-cal-swatch ot-cal-local">{t(text.local)}</span>
    </Space>
  );
}

/** A day's kind and name in words, e.g. "节假日 · 国庆节". */
function describe(t: (text: Text) => string, kind: DayKind, name?: Text) {
  return (
    <Space size={4}>
      <Tag color={KIND_COLORS[kind]}>{t(KIND_LABELS[kind])}</Tag>
      {name && <span>{t(name)}</span>}
    </Space>
  );
}

interface OverrideForm {
  kind: OverrideKind;
  nameZh: string;
  nameEn: string;
}

function OverrideDialog({
  day,
  region,
  regionName,
  onClose,
  onChanged,
}: {
  day: CalendarDay;
  region: string;
  regionName: (code: string) => string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<OverrideForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const own = day.override?.regionCode === region ? day.override : undefined;
  const inherited = day.override && !own ? day.override : undefined;
  const national = day.national ?? (day.override ? undefined : day);
  const weekday = t(WEEKDAYS[dayjs(day.date).day()]!);

  async function save() {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await setCalendarOverride(region, day.date, values, lang);
      message.success(t(text.saved, { date: day.date }));
      onChanged();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await removeCalendarOverride(region, day.date, lang);
      message.success(t(text.removed, { date: day.date }));
      onChanged();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  // The server names the field it refuses; its message goes under that field, anything else on top.
  function showError(e: unknown) {
    if (e instanceof ApiError) {
      const fields = (['kind', 'nameZh', 'nameEn'] as const).filter((f) => e.fieldMessage(f));
      if (fields.length > 0) {
        form.setFields(fields.map((name) => ({ name, errors: [e.fieldMessage(name)!] })));
        return;
      }
    }
    setError(errorText(e));
  }

  return (
    <Modal
      open
      title={t(text.dayTitle, { date: day.date, weekday })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        own && (
          <Button key="remove" danger loading={busy} onClick={() => void remove()}>
            {t(text.remove)}
          </Button>
        ),
        <Button key="save" type="primary" loading={busy} onClick={() => void save()}>
          {t(text.save)}
        </Button>,
      ]}
    >
      <div data-testid="calendar-day-dialog">
        <Descriptions
          size="small"
          column={1}
          bordered
          className="ot-block"
          items={[
            { key: 'counts', label: t(text.counts), children: describe(t, day.kind, day.name) },
            {
              key: 'national',
              label: t(text.national),
              children: national ? describe(t, national.kind, national.name) : '—',
            },
            {
              key: 'local',
              label: t(text.localRule),
              children: own ? (
                <Space size={4}>
                  <Tag color="purple">
                    {t(own.kind === 'holiday' ? text.kindHoliday : text.kindWorkday)}
                  </Tag>
                  <span>{t(own.name)}</span>
                </Space>
              ) : (
                t(text.none)
              ),
            },
          ]}
        />
        {inherited && (
          <Alert
            type="info"
            showIcon
            className="ot-block"
            title={t(text.inheritedFrom, {
              region: regionName(inherited.regionCode),
              name: t(inherited.name),
            })}
          />
        )}
        {error && <Alert type="error" showIcon title={error} className="ot-block" />}
        <Form<OverrideForm>
          form={form}
          layout="vertical"
          initialValues={
            own
              ? { kind: own.kind, nameZh: own.name.zh, nameEn: own.name.en }
              : { kind: day.working ? 'holiday' : 'workday', nameZh: '', nameEn: '' }
          }
        >
          <Form.Item name="kind" label={t(text.kind)} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'holiday', label: t(text.kindHoliday) },
                { value: 'workday', label: t(text.kindWorkday) },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="nameZh"
            label={t(text.nameZh)}
            rules={[{ required: true, whitespace: true, message: t(text.nameRequired) }]}
          >
            <Input maxLength={100} placeholder={t(text.namePlaceholderZh)} />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t(text.nameEn)}
            rules={[{ required: true, whitespace: true, message: t(text.nameRequired) }]}
          >
            <Input maxLength={100} placeholder={t(text.namePlaceholderEn)} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

function DeadlineCheck({ region, generation }: { region: string; generation: number }) {
  const { t, lang } = useI18n();
  const [start, setStart] = useState<Dayjs | null>(() => dayjs());
  const [workdays, setWorkdays] = useState<number | null>(20);
  const [result, setResult] = useState<CalendarDeadline | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!start || workdays === null) {
      setResult(null);
      return;
    }
    const controller = new AbortController();
    setError(null);
    fetchDeadline(region, `${start.format(ISO)}T09:00:00+08:00`, workdays, lang, controller.signal)
      .then(setResult)
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setResult(null);
        setError(errorText(e));
      });
    return () => controller.abort();
  }, [region, start, workdays, lang, generation]);

  const dueDate = result?.due.slice(0, 10);
  return (
    <Card size="small" title={t(text.deadlineTitle)} className="ot-calendar-deadline">
      <Typography.Paragraph type="secondary">{t(text.deadlineIntro)}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t(text.start)} htmlFor="calendar-deadline-start">
          <DatePicker
            id="calendar-deadline-start"
            value={start}
            onChange={setStart}
            allowClear={false}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item label={t(text.workdays)} htmlFor="calendar-deadline-workdays">
          <InputNumber
            id="calendar-deadline-workdays"
            min={0}
            max={3650}
            precision={0}
            value={workdays}
            onChange={(value) => setWorkdays(value)}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
      {result && dueDate && (
        <div className="ot-cal-due">
          <Typography.Text type="secondary">{t(text.due)}</Typography.Text>
          <div className="ot-cal-due-value" data-testid="calendar-deadline-due" data-due={dueDate}>
            {t(text.dueValue, {
              date: dueDate,
              weekday: t(WEEKDAYS[dayjs(dueDate).day()]!),
              time: result.due.slice(11, 16),
            })}
          </div>
          {result.provisional && <Tag color="gold">{t(text.provisional)}</Tag>}
        </div>
      )}
    </Card>
  );
}

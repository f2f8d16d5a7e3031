import { Type } from 'typebox';
import { invalidField } from '../http/errors';
import { requestMeta, requireActor, type App, type AppContext } from '../http/app';
import { TextSchema, errorResponses } from '../http/schemas';
import { DEFAULT_CALENDAR_REGION, CalendarService, withCalendarErrors } from './service';
import { toLocalDate, toOffsetIso } from './time';

const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 instant with offset, e.g. 2026-09-30T10:00:00+08:00',
});
const LocalDay = Type.String({ format: 'date', description: 'local date YYYY-MM-DD' });
const Region = Type.Optional(
  Type.String({
    minLength: 2,
    maxLength: 16,
    description: `region code, default ${DEFAULT_CALENDAR_REGION}`,
  }),
);
const MAX_DAYS_LISTED = 366;

/** The working-day calendar over HTTP: deadlines, day lists, counts, and per-region overrides. */
export function calendarRoutes(app: App, { db, config }: AppContext) {
  const calendars = new CalendarService(db.kysely, config.businessHours);

  app.get(
    '/api/calendar/deadline',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Deadline after N working days or working hours (期限计算)',
        description:
          'Working days follow 期间开始的当日不计入: the day of `start` is not counted and the period ends at ' +
          'close of business of the Nth working day after it (Asia/Shanghai). Working hours count only business ' +
          'hours on working days. `provisional` is true when the result rests on a year whose official holiday ' +
          'schedule is not yet published.',
        querystring: Type.Object(
          {
            start: Instant,
            workdays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
            hours: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
            region: Region,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            due: Type.String({ description: 'the due instant with its +08:00 offset' }),
            provisional: Type.Boolean(),
            region: Type.String(),
          }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request) => {
      const { start, workdays, hours } = request.query;
      const region = request.query.region ?? DEFAULT_CALENDAR_REGION;
      if ((workdays === undefined) === (hours === undefined)) {
        throw invalidField('querystring.workdays', 'oneOf', {
          zh: 'workdays 与 hours 必须且只能提供一个',
          en: 'give exactly one of workdays and hours',
        });
      }
      const calendar = await calendars.forRegion(region);
      const deadline = withCalendarErrors('querystring.start', () =>
        workdays !== undefined
          ? calendar.addWorkingDays(new Date(start), workdays)
          : calendar.addWorkingHours(new Date(start), hours!),
      );
      return { due: toOffsetIso(deadline.due), provisional: deadline.provisional, region };
    },
  );

  app.get(
    '/api/calendar/working-days',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Working days between two instants (工作日计数)',
        description:
          "Counts working days after `from`'s local date up to and including `to`'s; negative when `to` is earlier.",
        querystring: Type.Object(
          { from: Instant, to: Instant, region: Region },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ workingDays: Type.Integer(), region: Type.String() }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request) => {
      const region = request.query.region ?? DEFAULT_CALENDAR_REGION;
      const calendar = await calendars.forRegion(region);
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      withCalendarErrors('querystring.from', () => calendar.dayInfo(toLocalDate(from)));
      withCalendarErrors('querystring.to', () => calendar.dayInfo(toLocalDate(to)));
      const workingDays = calendar.countWorkingDays(from, to);
      return { workingDays, region };
    },
  );

  app.get(
    '/api/calendar/days',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Days of a period with their kind: workday, weekend, holiday, make-up (日历)',
        description:
          'A day set by a stored override (地方调整) of the region or one of its ancestors carries `override` ' +
          '(the region that set it, its kind and name) and `national`, the day as the national calendar has it.',
        querystring: Type.Object(
          { from: LocalDay, to: LocalDay, region: Region },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            region: Type.String(),
            days: Type.Array(
              Type.Object({
                date: Type.String(),
                working: Type.Boolean(),
                kind: Type.String(),
                name: Type.Optional(TextSchema),
                provisional: Type.Boolean(),
                override: Type.Optional(
                  Type.Object({
                    regionCode: Type.String(),
                    kind: Type.Union([Type.Literal('workday'), Type.Literal('holiday')]),
                    name: TextSchema,
                  }),
                ),
                national: Type.Optional(
                  Type.Object({
                    working: Type.Boolean(),
                    kind: Type.String(),
                    name: Type.Optional(TextSchema),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const region = request.query.region ?? DEFAULT_CALENDAR_REGION;
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (!(span >= 0 && span < MAX_DAYS_LISTED)) {
        throw invalidField('querystring.to', 'range', {
          zh: `to 不得早于 from，且最多列出 ${MAX_DAYS_LISTED} 天`,
          en: `to must not be before from, and at most ${MAX_DAYS_LISTED} days are listed`,
        });
      }
      const calendar = await calendars.forRegion(region);
      withCalendarErrors('querystring.from', () => calendar.dayInfo(from));
      withCalendarErrors('querystring.to', () => calendar.dayInfo(to));
      const overrides = await calendars.overridesInEffect(region, from, to);
      const national = calendars.national();
      const days = Array.from({ length: span + 1 }, (_, i) => {
        const date = new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10);
        const override = overrides.get(date);
        if (!override) return calendar.dayInfo(date);
        const { working, kind, name } = national.dayInfo(date);
        return {
          ...calendar.dayInfo(date),
          override,
          national: { working, kind, ...(name ? { name } : {}) },
        };
      });
      return { region, days };
    },
  );

  const OverrideParams = Type.Object({
    regionCode: Type.String({ minLength: 2, maxLength: 16 }),
    day: LocalDay,
  });

  app.put(
    '/api/calendar/overrides/:regionCode/:day',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: "Set a region's holiday or make-up working day (地方调整)",
        params: OverrideParams,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('workday'), Type.Literal('holiday')]),
            nameZh: Type.String({ minLength: 1, maxLength: 100 }),
            nameEn: Type.String({ minLength: 1, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await calendars.setOverride(
        requireActor(request),
        { regionCode: request.params.regionCode, day: request.params.day, ...request.body },
        requestMeta(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/calendar/overrides/:regionCode/:day',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: "Remove a region's calendar override (撤销地方调整)",
        params: OverrideParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await calendars.removeOverride(
        requireActor(request),
        request.params.regionCode,
        request.params.day,
        requestMeta(request),
      );
      return reply.status(204).send(null);
    },
  );
}

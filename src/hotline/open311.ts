import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { requestMeta, type App } from '../platform/http/app';
import { AppError } from '../platform/http/errors';
import type { Lang, Text } from '../platform/i18n';
import { checkMobile } from '../platform/ids';
import { EVENT_LABELS, LIMIT_UNIT_LABELS, type TicketStatus } from './codes';
import type { CategoryView } from './directory';
import { open311Status, open311UpdateStatus, type Limit } from './model';
import { PUBLIC_NOTE_ACTIONS, type HotlineService, type RegisterInput } from './service';
import * as store from './store';
import type { TicketRow } from './store';
import { iso, publicText } from './views';

// Open311 GeoReport v2 at /open311/v2/: discovery, services and service definitions, POST requests
// (API key), tokens, GET requests (standard filters) and GET request by id, and the
// servicerequestupdates extension (GET; POST with an API key) — in JSON and XML, with the standard
// error format `[{code, description}]` / `<errors><error>`. These routes are outside /api: they
// carry no session; the API key is checked explicitly where the spec requires one.

/** Where the Open311 endpoint lives. */
export const OPEN311_PREFIX = '/open311/v2';

type Format = 'json' | 'xml';

const MAX_SPAN_MS = 90 * 86_400_000;
const MAX_REQUESTS = 1000;

/** An Open311 error: the HTTP status and the `[{code, description}]` body. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 500,
    readonly text: Text,
    readonly code: number = status,
  ) {
    super(text.en);
  }
}

const xml = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false });

// Lists inside objects and the name of each of their elements in XML.
const LIST_ELEMENTS: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

// The XML form of a value (the Spark convention read backwards): null becomes an empty element,
// a list inside an object becomes a wrapper of elements named in the singular.
function forXml(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(forXml);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        Array.isArray(v) && LIST_ELEMENTS[k] ? { [LIST_ELEMENTS[k]]: forXml(v) } : forXml(v),
      ]),
    );
  }
  return value;
}

/**
 * Sends a list or object: JSON as is, XML under `wrapper` with one `element` per item (or the
 * object's fields directly under the wrapper when `element` is null).
 */
function send(
  reply: FastifyReply,
  format: Format,
  body: unknown,
  wrapper: string,
  element: string | null,
  status = 200,
) {
  reply.status(status);
  if (format === 'json') {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
  const content = element ? { [element]: forXml(body) } : forXml(body);
  const text = `<?xml version="1.0" encoding="utf-8"?>\n${xml.build({ [wrapper]: content })}`;
  return reply.type('text/xml; charset=utf-8').send(text);
}

function sendError(reply: FastifyReply, format: Format, error: Open311Error, lang: Lang) {
  return send(
    reply,
    format,
    [{ code: error.code, description: error.text[lang] }],
    'errors',
    'error',
    error.status,
  );
}

/** The format named by a file's suffix, and the name before it. */
function splitFile(file: string): { name: string; format: Format | null } {
  const match = /^(.+)\.([a-z]+)$/.exec(file);
  if (!match) return { name: file, format: null };
  const format = match[2] === 'json' || match[2] === 'xml' ? match[2] : null;
  return { name: match[1]!, format };
}

function badRequest(zh: string, en: string): Open311Error {
  return new Open311Error(400, { zh, en });
}

function notFound(zh: string, en: string): Open311Error {
  return new Open311Error(404, { zh, en });
}

/** A w3 date-time with a time zone (required by the spec), or an Open311 400 naming the field. */
function parseW3(value: string | undefined, field: string): Date | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw badRequest(
      `${field} 应为含时区的 W3C 日期时间，如 2025-09-30T00:00:00+08:00`,
      `${field} must be a W3C date-time with a time zone, e.g. 2025-09-30T00:00:00Z`,
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw badRequest(`${field} 不是有效时间`, `${field} is not a valid time`);
  return date;
}

/** The two-date window of a query: at most 90 days, the last 90 days by default. */
function window(query: Record<string, string | undefined>, now: Date): { from: Date; to: Date } {
  const start = parseW3(query.start_date, 'start_date');
  const end = parseW3(query.end_date, 'end_date');
  const to = end ?? (start ? new Date(start.getTime() + MAX_SPAN_MS) : now);
  const from = start ?? new Date(to.getTime() - MAX_SPAN_MS);
  if (from.getTime() > to.getTime()) {
    throw badRequest('start_date 晚于 end_date', 'start_date is after end_date');
  }
  if (to.getTime() - from.getTime() > MAX_SPAN_MS) {
    throw badRequest('查询时间跨度不得超过 90 天', 'the date range may not span more than 90 days');
  }
  return { from, to };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Parses a form body, keeping `attribute[CODE]` and `attribute[CODE][]` (multivaluelist). */
export function parseForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const attribute = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (attribute) {
      const code = attribute[1]!;
      if (attribute[2]) {
        const current = attributes[code];
        attributes[code] = [
          ...(Array.isArray(current) ? current : current ? [current] : []),
          value,
        ];
      } else {
        attributes[code] = value;
      }
    } else {
      out[key] = value;
    }
  }
  if (Object.keys(attributes).length > 0) out.attribute = attributes;
  return out;
}

function text(lang: Lang, value: Text): string {
  return value[lang];
}

function describeLimit(limit: Limit, lang: Lang): string {
  return LIMIT_UNIT_LABELS[limit.unit][lang].replace('{n}', String(limit.amount));
}

/** Registers the Open311 GeoReport v2 endpoint. */
export function open311Routes(app: App, hotline: HotlineService) {
  const { settings } = hotline;

  // Errors answer in the format the URL asked for, XML (the required format) otherwise.
  function formatOf(request: FastifyRequest): Format {
    const file = request.url.split('?')[0]!.split('/').pop() ?? '';
    return splitFile(file).format ?? 'xml';
  }

  function checkJurisdiction(query: Record<string, string | undefined>) {
    const given = query.jurisdiction_id;
    if (given && given !== settings.jurisdiction) {
      throw notFound(
        `jurisdiction_id ${given} 不存在（本接口为 ${settings.jurisdiction}）`,
        `jurisdiction_id ${given} not found (this endpoint serves ${settings.jurisdiction})`,
      );
    }
  }

  async function requireKey(value: unknown) {
    const key = await hotline.authenticateKey(typeof value === 'string' ? value : undefined);
    if (!key) {
      throw new Open311Error(403, {
        zh: 'api_key 缺失或无效（已撤销的密钥不能再用）',
        en: 'missing or invalid api_key (revoked keys are refused)',
      });
    }
    return key;
  }

  function service(category: CategoryView, lang: Lang) {
    return {
      service_code: category.serviceCode!,
      service_name: text(lang, category.name),
      description: text(lang, category.description) || null,
      metadata: category.attributes.length > 0,
      type: 'realtime' as const,
      keywords: category.keywords.length ? category.keywords.join(', ') : null,
      group: category.open311Group || null,
    };
  }

  async function request311(ticket: TicketRow, notes: Map<string, string>, lang: Lang) {
    const category = await hotline.directory.category(ticket.categoryCode);
    const lead = await hotline.directory.department(ticket.leadDepartmentId);
    const rule = hotline.profiles.rules.find((r) => r.key === ticket.profile);
    const open = ticket.status !== 'closed';
    const notice =
      rule && open
        ? lang === 'zh'
          ? `按「${rule.name.zh}」办理：承办单位 ${describeLimit(rule.sign, lang)}内签收，${describeLimit(rule.finish, lang)}内办结答复`
          : `Handled as "${rule.name.en}": signed for within ${describeLimit(rule.sign, lang)}, answered within ${describeLimit(rule.finish, lang)}`
        : null;
    // Only disclosed tickets show their text and place; nobody's identity is ever shown.
    const region = await hotline.directory.regionName(ticket.regionCode);
    return {
      service_request_id: ticket.number,
      status: open311Status(ticket.status as TicketStatus),
      status_notes: publicText(notes.get(ticket.id) ?? null),
      service_name: category ? text(lang, category.name) : null,
      service_code: category?.serviceCode ?? ticket.categoryCode,
      description: ticket.disclose ? publicText(ticket.content.slice(0, 4000)) : null,
      agency_responsible: lead ? text(lang, lead.name) : null,
      service_notice: notice,
      requested_datetime: iso(ticket.createdAt)!,
      updated_datetime: iso(ticket.closedAt ?? ticket.updatedAt),
      expected_datetime: iso(ticket.finishDueAt),
      address: ticket.disclose && ticket.address ? publicText(ticket.address) : text(lang, region),
      address_id: null,
      zipcode: null,
      lat: ticket.disclose ? ticket.lat : null,
      long: ticket.disclose ? ticket.lng : null,
      media_url: ticket.disclose ? ticket.mediaUrl : null,
    };
  }

  async function requests311(tickets: TicketRow[], lang: Lang) {
    const notes = await store.latestPublicNotes(
      db(),
      tickets.map((t) => t.id),
      PUBLIC_NOTE_ACTIONS,
    );
    return Promise.all(tickets.map((t) => request311(t, notes, lang)));
  }

  // The service's database, for the few reads that are Open311's own.
  const db = () => hotline.db;

  async function guessRegion(address: string): Promise<string> {
    const regions = await hotline.directory.regionsUnder(settings.rootRegion);
    const named = (await hotline.directory.regions()).filter((r) => regions.includes(r.code));
    // The most specific region whose name (or its short form, 环翠区 → 环翠, 荣成市 → 荣成) appears.
    let best: { code: string; length: number } | null = null;
    for (const region of named) {
      if (region.code === settings.rootRegion) continue;
      const short = region.name.zh.replace(/（.*?）/g, '').replace(/(区|市|县)$/, '');
      const alias = /（(.+?)）/.exec(region.name.zh)?.[1];
      for (const needle of [region.name.zh, short, alias]) {
        if (needle && needle.length >= 2 && address.includes(needle)) {
          if (!best || needle.length > best.length)
            best = { code: region.code, length: needle.length };
        }
      }
    }
    return best?.code ?? settings.rootRegion;
  }

  app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 64 * 1024 },
        (_request, body, done) => done(null, parseForm(String(body))),
      );

      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const format = formatOf(request);
        if (error instanceof Open311Error) return sendError(reply, format, error, request.lang);
        if (error instanceof AppError) {
          const detail = error.details.map(
            (d) => `${d.path.replace(/^body\./, '')}: ${d.message[request.lang]}`,
          );
          const status = error.status === 404 ? 404 : error.status === 403 ? 403 : 400;
          const message = detail.length ? detail.join('; ') : error.text[request.lang];
          return sendError(
            reply,
            format,
            new Open311Error(status, { zh: message, en: message }),
            request.lang,
          );
        }
        if ((error.statusCode ?? 500) < 500) {
          return sendError(
            reply,
            format,
            badRequest(`请求无效：${error.message}`, `invalid request: ${error.message}`),
            request.lang,
          );
        }
        request.log.error({ err: error }, 'open311 error');
        return sendError(
          reply,
          format,
          new Open311Error(500, {
            zh: '服务内部错误，请稍后重试',
            en: 'internal error; please retry later',
          }),
          request.lang,
        );
      });

      scope.setNotFoundHandler((request, reply) =>
        sendError(
          reply,
          formatOf(request),
          notFound(
            `资源不存在：${request.url.split('?')[0]}`,
            `no such resource: ${request.url.split('?')[0]}`,
          ),
          request.lang,
        ),
      );

      const access = { roles: 'public', scope: 'none' } as const;

      // Anything deeper under the prefix is no resource of ours (and must not fall through to
      // the web app's catch-all).
      scope.all('/*', { config: { access }, schema: { hide: true } }, async (request) => {
        throw notFound(
          `资源不存在：${request.url.split('?')[0]}`,
          `no such resource: ${request.url.split('?')[0]}`,
        );
      });

      // discovery, services, requests, servicerequestupdates
      scope.get(
        '/:file',
        { config: { access }, schema: { hide: true } },
        async (request, reply) => {
          const { name, format } = splitFile((request.params as { file: string }).file);
          const query = request.query as Record<string, string | undefined>;
          const lang = request.lang;
          if (!format)
            throw badRequest('格式应为 .json 或 .xml', 'the format must be .json or .xml');
          switch (name) {
            case 'discovery': {
              const base = `${request.protocol}://${request.host}${OPEN311_PREFIX}/`;
              return send(
                reply,
                format,
                {
                  changeset: '2025-10-01T00:00:00+08:00',
                  contact:
                    lang === 'zh'
                      ? '12345 政务服务便民热线（0631-12345）'
                      : '12345 hotline, +86 631 12345',
                  key_service:
                    lang === 'zh'
                      ? 'API 密钥由平台管理员签发：工作台 → 12345 → Open311 密钥'
                      : 'API keys are issued by platform administrators (workbench → 12345 → Open311 keys)',
                  endpoints: [
                    {
                      specification: 'http://wiki.open311.org/GeoReport_v2',
                      url: base,
                      changeset: '2025-10-01T00:00:00+08:00',
                      type: 'production',
                      formats: ['text/xml', 'application/json'],
                    },
                  ],
                },
                'discovery',
                null,
              );
            }
            case 'services': {
              checkJurisdiction(query);
              const categories = (await hotline.categories()).filter((c) => c.serviceCode);
              return send(
                reply,
                format,
                categories.map((c) => service(c, lang)),
                'services',
                'service',
              );
            }
            case 'requests': {
              checkJurisdiction(query);
              const ids = list(query.service_request_id);
              let tickets: TicketRow[];
              if (ids.length > 0) {
                tickets = await store.open311Tickets(db(), { numbers: ids.slice(0, MAX_REQUESTS) });
              } else {
                const { from, to } = window(query, new Date());
                const statuses = list(query.status);
                for (const s of statuses) {
                  if (s !== 'open' && s !== 'closed') {
                    throw badRequest(
                      'status 只能是 open 或 closed',
                      'status must be open or closed',
                    );
                  }
                }
                const codes = list(query.service_code);
                const categories: string[] = [];
                for (const code of codes) {
                  const category = await hotline.directory.categoryByServiceCode(code);
                  if (category) categories.push(category.code);
                }
                if (codes.length > 0 && categories.length === 0) {
                  tickets = [];
                } else {
                  tickets = await store.open311Tickets(db(), {
                    from,
                    to,
                    categories: codes.length ? categories : undefined,
                    open: statuses.length === 1 ? statuses[0] === 'open' : undefined,
                    limit: MAX_REQUESTS,
                  });
                }
              }
              return send(
                reply,
                format,
                await requests311(tickets, lang),
                'service_requests',
                'request',
              );
            }
            case 'servicerequestupdates': {
              checkJurisdiction(query);
              const now = new Date();
              const end = parseW3(query.end_date, 'end_date') ?? now;
              const start =
                parseW3(query.start_date, 'start_date') ?? new Date(end.getTime() - 7 * 86_400_000);
              if (start.getTime() > end.getTime()) {
                throw badRequest('start_date 晚于 end_date', 'start_date is after end_date');
              }
              if (end.getTime() - start.getTime() > MAX_SPAN_MS) {
                throw badRequest(
                  '查询时间跨度不得超过 90 天',
                  'the date range may not span more than 90 days',
                );
              }
              const events = await store.publicEventsBetween(db(), start, end, MAX_REQUESTS);
              const updates = events.map((e) => ({
                update_id: String(e.id),
                service_request_id: e.number,
                status: open311UpdateStatus(
                  e.status as TicketStatus,
                  e.status === 'closed' ? e.resolution : null,
                ),
                updated_datetime: iso(e.at)!,
                description:
                  (PUBLIC_NOTE_ACTIONS.includes(e.action) ? publicText(e.note) : null) ??
                  (EVENT_LABELS[e.action] ? text(lang, EVENT_LABELS[e.action]!) : e.action),
                media_url: null,
              }));
              return send(reply, format, updates, 'service_request_updates', 'request_update');
            }
            default:
              throw notFound(`资源不存在：${name}`, `no such resource: ${name}`);
          }
        },
      );

      scope.get(
        '/services/:file',
        { config: { access }, schema: { hide: true } },
        async (request, reply) => {
          const { name, format } = splitFile((request.params as { file: string }).file);
          if (!format)
            throw badRequest('格式应为 .json 或 .xml', 'the format must be .json or .xml');
          checkJurisdiction(request.query as Record<string, string | undefined>);
          const category = await hotline.directory.categoryByServiceCode(name);
          if (!category || !category.active) {
            throw notFound(`service_code ${name} 不存在`, `service_code ${name} not found`);
          }
          const lang = request.lang;
          return send(
            reply,
            format,
            {
              service_code: category.serviceCode!,
              attributes: category.attributes.map((a, index) => ({
                variable: true,
                code: a.code,
                datatype: a.datatype,
                required: a.required,
                datatype_description: null,
                order: index + 1,
                description: text(lang, a.description),
                ...(a.values
                  ? { values: a.values.map((v) => ({ key: v.key, name: text(lang, v.name) })) }
                  : {}),
              })),
            },
            'service_definition',
            null,
          );
        },
      );

      scope.get(
        '/requests/:file',
        { config: { access }, schema: { hide: true } },
        async (request, reply) => {
          const { name, format } = splitFile((request.params as { file: string }).file);
          if (!format)
            throw badRequest('格式应为 .json 或 .xml', 'the format must be .json or .xml');
          checkJurisdiction(request.query as Record<string, string | undefined>);
          const tickets = await store.open311Tickets(db(), { numbers: [name] });
          if (tickets.length === 0) {
            throw notFound(
              `service_request_id ${name} 不存在`,
              `service_request_id ${name} not found`,
            );
          }
          return send(
            reply,
            format,
            await requests311(tickets, request.lang),
            'service_requests',
            'request',
          );
        },
      );

      scope.get(
        '/tokens/:file',
        { config: { access }, schema: { hide: true } },
        async (request, reply) => {
          const { name, format } = splitFile((request.params as { file: string }).file);
          if (!format)
            throw badRequest('格式应为 .json 或 .xml', 'the format must be .json or .xml');
          checkJurisdiction(request.query as Record<string, string | undefined>);
          const code = name.toUpperCase();
          const ticket = /^[2-9A-Z]{8}$/.test(code)
            ? await store.findTicketByTrackCode(db(), code)
            : undefined;
          if (!ticket || ticket.type === 'report') {
            throw notFound(`token ${name} 不存在`, `token ${name} not found`);
          }
          return send(
            reply,
            format,
            [{ service_request_id: ticket.number, token: ticket.trackCode }],
            'service_requests',
            'request',
          );
        },
      );

      scope.post(
        '/:file',
        { config: { access }, schema: { hide: true } },
        async (request, reply) => {
          const { name, format } = splitFile((request.params as { file: string }).file);
          if (!format)
            throw badRequest('格式应为 .json 或 .xml', 'the format must be .json or .xml');
          const body = (request.body ?? {}) as Record<string, unknown>;
          const query = request.query as Record<string, string | undefined>;
          const field = (key: string): string | undefined => {
            const value = body[key] ?? query[key];
            return typeof value === 'string'
              ? value
              : value === undefined
                ? undefined
                : String(value);
          };
          checkJurisdiction({ jurisdiction_id: field('jurisdiction_id') });
          if (name === 'requests') {
            const key = await requireKey(field('api_key'));
            const serviceCode = field('service_code');
            if (!serviceCode)
              throw badRequest('缺少 service_code', 'service_code was not provided');
            const category = await hotline.directory.categoryByServiceCode(serviceCode);
            if (!category || !category.active) {
              throw notFound(
                `service_code ${serviceCode} 不存在`,
                `service_code ${serviceCode} not found`,
              );
            }
            const lat = field('lat');
            const lng = field('long');
            const address = field('address_string')?.trim() ?? '';
            const addressId = field('address_id')?.trim() ?? '';
            if ((lat === undefined || lng === undefined) && !address && !addressId) {
              throw badRequest(
                '请提供位置：lat 与 long，或 address_string，或 address_id',
                'a location is required: lat and long, or address_string, or address_id',
              );
            }
            const latN = lat === undefined ? undefined : Number(lat);
            const lngN = lng === undefined ? undefined : Number(lng);
            if (
              (latN !== undefined && (!Number.isFinite(latN) || latN < -90 || latN > 90)) ||
              (lngN !== undefined && (!Number.isFinite(lngN) || lngN < -180 || lngN > 180))
            ) {
              throw badRequest(
                'lat/long 不是有效的 WGS84 坐标',
                'lat/long are not valid WGS84 coordinates',
              );
            }
            const description = field('description')?.trim() ?? '';
            if (description.length > 4000) {
              throw badRequest(
                'description 不得超过 4000 个字符',
                'description may not exceed 4000 characters',
              );
            }
            const phone = field('phone')?.replace(/[\s-]/g, '') ?? '';
            if (phone && !checkMobile(phone).valid) {
              throw badRequest(
                'phone 不是有效的手机号码',
                'phone is not a valid mainland mobile number',
              );
            }
            const mediaUrl = field('media_url')?.trim();
            if (mediaUrl && (!/^https?:\/\/[^\s]+$/.test(mediaUrl) || mediaUrl.length > 2000)) {
              throw badRequest('media_url 应为 http(s) 地址', 'media_url must be an http(s) URL');
            }
            const attributes = (body.attribute ?? {}) as Record<string, string | string[]>;
            const requesterName = [field('last_name'), field('first_name')]
              .filter(Boolean)
              .join('')
              .trim();
            const input: RegisterInput = {
              channel: 'open311',
              type: 'help',
              categoryCode: category.code,
              regionCode: await guessRegion(address),
              address: address || (addressId ? `address_id ${addressId}` : ''),
              ...(latN !== undefined && lngN !== undefined ? { lat: latN, lng: lngN } : {}),
              content: description || text('zh', category.name),
              urgency: 'normal',
              anonymous: !phone,
              disclose: true,
              ...(phone
                ? { requesterMobile: phone, requesterName: requesterName || undefined }
                : {}),
              attributes,
              ...(mediaUrl ? { mediaUrl } : {}),
            };
            const ticket = await hotline.submitOpen311(key, input, requestMeta(request));
            const lang = request.lang;
            return send(
              reply,
              format,
              [
                {
                  service_request_id: ticket.number,
                  service_notice:
                    lang === 'zh'
                      ? `已受理，工单号 ${ticket.number}，查询码 ${ticket.trackCode}，可在 12345 办事大厅“诉求查询”查看办理进度`
                      : `Received as ${ticket.number}; tracking code ${ticket.trackCode} shows progress on the 12345 tracking page`,
                },
              ],
              'service_requests',
              'request',
            );
          }
          if (name === 'servicerequestupdates') {
            const key = await requireKey(field('api_key'));
            const id = field('service_request_id');
            if (!id)
              throw badRequest('缺少 service_request_id', 'service_request_id was not provided');
            const description = field('description')?.trim() ?? '';
            if (!description) throw badRequest('缺少 description', 'description was not provided');
            if (description.length > 4000) {
              throw badRequest(
                'description 不得超过 4000 个字符',
                'description may not exceed 4000 characters',
              );
            }
            const mediaUrl = field('media_url')?.trim();
            if (mediaUrl && !/^https?:\/\/[^\s]+$/.test(mediaUrl)) {
              throw badRequest('media_url 应为 http(s) 地址', 'media_url must be an http(s) URL');
            }
            const updateId = await hotline
              .addRequesterUpdate(key, id, { description, mediaUrl }, requestMeta(request))
              .catch((error: unknown) => {
                if (error instanceof AppError && error.status === 404) {
                  throw notFound(
                    `service_request_id ${id} 不存在`,
                    `service_request_id ${id} not found`,
                  );
                }
                throw error;
              });
            return send(
              reply,
              format,
              [{ update_id: String(updateId) }],
              'service_request_updates',
              'request_update',
            );
          }
          throw notFound(`资源不存在：${name}`, `no such resource: ${name}`);
        },
      );
    },
    { prefix: OPEN311_PREFIX },
  );
}

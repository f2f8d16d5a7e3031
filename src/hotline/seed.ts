import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { DEFAULT_BUSINESS_HOURS, toLocalDate } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb } from '../platform/db/database';
import type { Satisfaction, TicketChannel, TicketType, Urgency } from './codes';
import {
  HOTLINE_DATA_DIR,
  loadHotlineSettings,
  readProfiles,
  readTaxonomy,
  type Taxonomy,
} from './config';
import { HotlineService } from './service';
import * as store from './store';

/** The Open311 key of the demo data (documented in the README; demo only). */
export const DEMO_OPEN311_KEY = 'demo-open311-key';

const SEED_META: RequestMeta = { ip: null, requestId: null, userAgent: null };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Writes the taxonomy (groups, categories, routes) into an empty taxonomy; returns how many. */
export async function seedTaxonomy(db: Kdb, taxonomy: Taxonomy = readTaxonomy()): Promise<number> {
  const existing = await db
    .selectFrom('hotlineCategories')
    .select('code')
    .limit(1)
    .executeTakeFirst();
  if (existing) return 0;
  const departments = new Map(
    (await store.listDepartmentRows(db)).map((d) => [d.code, d.id] as const),
  );
  const regions = new Set((await store.listRegionTree(db)).map((r) => r.code));
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    for (const [index, group] of taxonomy.groups.entries()) {
      await store.upsertCategory(
        trx,
        {
          code: group.code,
          parentCode: null,
          nameZh: group.name.zh,
          nameEn: group.name.en,
          descriptionZh: '',
          descriptionEn: '',
          serviceCode: null,
          open311Group: group.open311Group,
          keywords: [],
          attributes: [],
          active: true,
          sort: index,
        },
        now,
      );
    }
    const groups = new Map(taxonomy.groups.map((g) => [g.code, g]));
    for (const [index, category] of taxonomy.categories.entries()) {
      await store.upsertCategory(
        trx,
        {
          code: category.code,
          parentCode: category.group,
          nameZh: category.name.zh,
          nameEn: category.name.en,
          descriptionZh: category.description?.zh ?? '',
          descriptionEn: category.description?.en ?? '',
          serviceCode: category.serviceCode,
          open311Group: groups.get(category.group)!.open311Group,
          keywords: category.keywords ?? [],
          attributes: category.attributes ?? [],
          active: category.active ?? true,
          sort: index,
        },
        now,
      );
      // Routes to departments or regions this platform does not have are left out, not failed:
      // the taxonomy is shared by deployments with different directories.
      const routes = category.routes.flatMap((r) => {
        const departmentId = departments.get(r.department);
        return departmentId && regions.has(r.region)
          ? [{ regionCode: r.region, departmentId }]
          : [];
      });
      await store.replaceRoutes(trx, category.code, routes);
    }
    await appendAudit(trx, {
      actorId: null,
      actorRole: null,
      action: 'hotline.taxonomy_seeded',
      objectType: 'hotline_category',
      objectId: null,
      ip: null,
      requestId: null,
      detail: { groups: taxonomy.groups.length, categories: taxonomy.categories.length },
    });
    return taxonomy.groups.length + taxonomy.categories.length;
  });
}

interface DemoStep {
  after?: number;
  do: string;
  as?: string;
  department?: string;
  text?: string;
  note?: string;
  satisfaction?: Satisfaction;
  days?: number;
}

interface DemoTicket {
  at: { daysAgo: number; time: string };
  channel: TicketChannel;
  type: TicketType;
  category: string;
  region: string;
  address?: string;
  title: string;
  content: string;
  urgency?: Urgency;
  attributes?: Record<string, string>;
  enterprise?: { name: string };
  requester: { name?: string; mobile?: string; anonymous?: boolean };
  steps: DemoStep[];
}

/**
 * Replays the demo tickets through the hotline's own use cases with a clock set in the past, so
 * that their deadlines, events, rollups and audit entries are exactly what the platform would
 * have written. Skipped when there are tickets already or the demo accounts are missing.
 */
export async function seedDemoTickets(db: Kdb, now = new Date()): Promise<number> {
  if (await db.selectFrom('hotlineTickets').select('id').limit(1).executeTakeFirst()) return 0;
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'regionCode', 'departmentId', 'subjectId'])
    .execute();
  const actors = new Map(
    users.map((u) => [
      u.username,
      {
        userId: u.id,
        username: u.username,
        role: u.role as Actor['role'],
        regionCode: u.regionCode,
        departmentId: u.departmentId,
        subjectId: u.subjectId,
      } satisfies Actor,
    ]),
  );
  const data = parse(readFileSync(`${HOTLINE_DATA_DIR}demo-tickets.yaml`, 'utf8')) as {
    tickets: DemoTicket[];
  };
  const needed = new Set([
    'operator',
    ...data.tickets.flatMap((t) => t.steps.map((s) => s.as ?? 'operator')),
  ]);
  if ([...needed].some((username) => !actors.has(username))) return 0;

  let clock = now;
  const hotline = new HotlineService(
    db,
    new CalendarService(db, DEFAULT_BUSINESS_HOURS),
    readProfiles(),
    loadHotlineSettings({}),
    () => clock,
  );
  const operator = actors.get('operator')!;
  const today = new Date(`${toLocalDate(now)}T00:00:00+08:00`).getTime();
  let count = 0;
  for (const demo of data.tickets) {
    const at = today - demo.at.daysAgo * DAY_MS + minutesOf(demo.at.time) * 60_000;
    clock = new Date(Math.min(at, now.getTime() - 60_000));
    const ticket = await hotline.register(
      operator,
      {
        channel: demo.channel,
        type: demo.type,
        categoryCode: demo.category,
        regionCode: demo.region,
        address: demo.address,
        title: demo.title,
        content: demo.content,
        urgency: demo.urgency ?? 'normal',
        attributes: demo.attributes,
        enterprise: !!demo.enterprise,
        enterpriseName: demo.enterprise?.name,
        anonymous: !!demo.requester.anonymous,
        requesterName: demo.requester.name,
        requesterMobile: demo.requester.mobile,
      },
      SEED_META,
    );
    count++;
    for (const step of demo.steps) {
      const next = clock.getTime() + (step.after ?? 0) * HOUR_MS;
      if (next >= now.getTime()) break;
      clock = new Date(next);
      const actor = actors.get(step.as ?? 'operator')!;
      const id = ticket.id;
      switch (step.do) {
        case 'dispatch':
          await hotline.dispatch(actor, id, { department: step.department! }, SEED_META);
          break;
        case 'answer':
          await hotline.answer(
            actor,
            id,
            { answer: step.text!, satisfaction: step.satisfaction },
            SEED_META,
          );
          break;
        case 'sign':
          await hotline.sign(actor, id, SEED_META);
          break;
        case 'contact':
          await hotline.contact(actor, id, { note: step.text! }, SEED_META);
          break;
        case 'reply':
          await hotline.reply(actor, id, { reply: step.text! }, SEED_META);
          break;
        case 'return':
          await hotline.returnTicket(actor, id, { reason: step.text! }, SEED_META);
          break;
        case 'extension':
          await hotline.requestExtension(
            actor,
            id,
            { workingDays: step.days!, reason: step.text! },
            SEED_META,
          );
          break;
        case 'review':
          await hotline.review(actor, id, { accept: true }, SEED_META);
          break;
        case 'callback':
          await hotline.callback(
            actor,
            id,
            { reached: true, satisfaction: step.satisfaction!, note: step.note },
            SEED_META,
          );
          break;
        case 'reopen':
          await hotline.reopen(actor, id, { note: step.note! }, SEED_META);
          break;
        case 'escalate':
          await hotline.escalate(actor, id, { note: step.text! }, SEED_META);
          break;
        default:
          throw new Error(`demo tickets: unknown step ${step.do}`);
      }
    }
  }
  return count;
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Seeds the hotline into a platform that has none: the taxonomy with its routes, and with `demo`
 * (the default) the demo Open311 key and the demo tickets. Returns whether anything was written.
 */
export async function seedHotline(db: Kdb, options: { demo?: boolean } = {}): Promise<boolean> {
  const categories = await seedTaxonomy(db);
  if (options.demo === false) return categories > 0;
  let key = false;
  if (!(await db.selectFrom('hotlineApiKeys').select('id').limit(1).executeTakeFirst())) {
    const hotline = new HotlineService(
      db,
      new CalendarService(db, DEFAULT_BUSINESS_HOURS),
      readProfiles(),
      loadHotlineSettings({}),
    );
    await hotline.issueApiKey(null, '演示客户端 Demo client', SEED_META, DEMO_OPEN311_KEY);
    key = true;
  }
  const tickets = await seedDemoTickets(db);
  return categories > 0 || key || tickets > 0;
}

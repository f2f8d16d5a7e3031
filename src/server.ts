import { configureDataKey } from './platform/crypto';
import { auditRoutes } from './platform/audit/routes';
import { authRoutes } from './platform/auth/routes';
import { purgeExpiredSessions } from './platform/auth/service';
import { calendarRoutes } from './platform/calendar/routes';
import type { Config } from './platform/config';
import { openDatabase, type Db } from './platform/db/database';
import { migrate } from './platform/db/migrate';
import { createApp, type App, type AppOptions, type RouteModule } from './platform/http/app';
import { healthRoutes } from './platform/http/health';
import { registerOperations } from './platform/ops/metrics';
import { identifierRoutes } from './platform/ids/routes';
import { regionRoutes } from './platform/regions/routes';
import { isDemoPlatform, seedDemo } from './platform/seed/demo';
import { seedDirectory } from './platform/seed/directory';
import { notifyRoutes } from './platform/notify';
import { BundleService, bundleRoutes, readSeedBundles } from './bundles';
import { casesRoutes } from './cases';
import { CatalogService, catalogRoutes, seedCatalog } from './catalog';
import { evaluationRoutes } from './evaluations';
import { hotlineRoutes, seedHotline } from './hotline';
import { indicatorRoutes, ledgerRoutes, seedDemoHistory, seedLedger } from './insight';
import { policyRoutes, seedPolicies } from './policies';
import { creditGradeOf, seedSupervision, supervisionRoutes } from './supervision';
import {
  LicenceHoldings,
  LicenceService,
  licenceRoutes,
  seedDemoLicences,
  seedLicenceTypes,
  seedSharedDataSources,
} from './licences';

/** Every route module of OneThing, capability by capability. */
export const ROUTES: RouteModule[] = [
  healthRoutes,
  authRoutes,
  identifierRoutes,
  regionRoutes,
  calendarRoutes,
  // The review of the audit log (审计日志) and the check of its chains.
  auditRoutes,
  // Before the capabilities: it puts the event bus on the app for their handlers.
  notifyRoutes,
  catalogRoutes,
  bundleRoutes,
  // Applications waive materials the e-licences and shared data stand in for (免提交).
  (app, ctx) =>
    casesRoutes(app, ctx, {
      sources: new LicenceHoldings(ctx.db.kysely, new LicenceService(ctx.db.kysely)),
    }),
  // Dossiers show an enterprise's credit grade, which supervision (depending on licences) keeps.
  (app, ctx) =>
    licenceRoutes(app, ctx, { creditOf: (subjectId) => creditGradeOf(ctx.db.kysely, subjectId) }),
  hotlineRoutes,
  evaluationRoutes,
  policyRoutes,
  supervisionRoutes,
  // The reform-task ledger (改革任务台账) of the seed documents' measures.
  ledgerRoutes,
  // Last: the cockpit counts the other capabilities' events.
  indicatorRoutes,
];

/** Opens the configured database (PGlite or PostgreSQL) and brings its schema up to date. */
export async function openPlatformDatabase(config: Config): Promise<Db> {
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    memory: config.memory,
    schema: config.dbSchema ?? undefined,
  });
  await migrate(db.kysely);
  return db;
}

// Ended sessions are refused as soon as they are seen; the sweep only keeps the table small.
const SESSION_SWEEP_MS = 60 * 60_000;

/** Composes the capabilities into one Fastify app over an open, migrated database. */
export async function buildServer(
  db: Db,
  config: Config,
  options: Omit<AppOptions, 'routes'> = {},
): Promise<App> {
  // Personal data is sealed at rest: the data key must be known before the first request (a
  // PostgreSQL server in production without ONETHING_DATA_KEY stops here).
  const dataKey = configureDataKey(config, db.kind);
  const app = await createApp({ db, config }, { ...options, routes: ROUTES });
  if (dataKey.warning) app.log.warn(dataKey.warning);
  registerOperations(app, db, { token: process.env.ONETHING_METRICS_TOKEN || null });
  const sweep = () =>
    purgeExpiredSessions(db.kysely, config).catch((error: unknown) =>
      app.log.warn({ err: error }, 'session sweep failed'),
    );
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await sweep();
    timer = setInterval(sweep, SESSION_SWEEP_MS).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
  // Domain events and the outbox, on every app server: claims use skip-locked row locks, so
  // servers running at once never deliver the same event to a handler, or send a message, twice.
  if (config.outboxSeconds > 0) {
    let inflight: Promise<void> | undefined;
    const deliver = async () => {
      try {
        await app.events.dispatch();
        await app.notifications.deliverOutbox();
      } catch (error) {
        app.log.warn({ err: error }, 'event and outbox delivery failed');
      }
    };
    const tick = () => {
      // One run at a time per server; a slow run makes the next tick skip, not pile up.
      inflight ??= deliver().finally(() => (inflight = undefined));
    };
    let outboxTimer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      outboxTimer = setInterval(tick, config.outboxSeconds * 1000).unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(outboxTimer);
      await inflight;
    });
  }
  return app;
}

/** Where the database of a running platform lives, for the start-up message. */
export function describeDatabase(db: Db, config: Config): string {
  if (db.kind === 'postgres') return 'PostgreSQL (DATABASE_URL)';
  return config.memory ? 'PGlite in memory (--memory)' : `PGlite in ${config.dataDir}`;
}

/**
 * Seeds the demo data on first start: the platform's regions, departments, people and accounts
 * when there are no users yet, then the reference data (seedReferenceData) and the demo's own
 * parts of each capability. Returns whether anything was written.
 */
export async function seedDemoData(
  db: Db,
  options: { syntheticSubjects?: number } = {},
): Promise<boolean> {
  return seedPlatform(db, { demo: true, syntheticSubjects: options.syntheticSubjects });
}

/**
 * Seeds only the reference data the seed documents and data/ files define, for a real deployment
 * (ONETHING_DEMO=off): the regions tree and the departments they name (without credit codes), the
 * catalog, the bundles, the 12345 taxonomy, the e-licence types, other departments' shared data
 * sources, the policies, the inspection items and the ledger's measures — no people, enterprises,
 * accounts, licences, tickets, API keys, synthetic history or subjects, inspectors or credit
 * records. Returns whether anything was written.
 */
export async function seedReferenceData(db: Db): Promise<boolean> {
  return seedPlatform(db, { demo: false });
}

/** Seeds what the configuration asks for on first start: the demo, or the reference data only. */
export async function seedOnStart(db: Db, config: Pick<Config, 'demo'>): Promise<boolean> {
  return config.demo ? seedDemoData(db) : seedReferenceData(db);
}

async function seedPlatform(
  db: Db,
  options: { demo: boolean; syntheticSubjects?: number },
): Promise<boolean> {
  // The demo's people and accounts, in the directory whose departments it gives synthetic credit
  // codes (data/demo/platform.yaml); then the directory for whatever is not there yet
  // (data/platform/directory.yaml) — without credit codes, which a real deployment enters itself.
  const platform = options.demo ? await seedDemo(db.kysely) : false;
  // The demo's other parts only where the demo was seeded: a platform that went live without it
  // and is once started with ONETHING_DEMO=on by mistake gets no demo key, history or tickets.
  const demo = options.demo && (platform || (await isDemoPlatform(db.kysely)));
  const directory = await seedDirectory(db.kysely);
  const items = await seedCatalog(db.kysely);
  const bundles = await new BundleService(db.kysely, new CatalogService(db.kysely)).seed(
    readSeedBundles(),
  );
  // Six months of synthetic cockpit history, flagged demo (src/insight/demo-history.ts); before the
  // demo tickets publish their closings, as it only goes into a platform without such events.
  const history = demo ? await seedDemoHistory(db.kysely, { now: new Date() }) : 0;
  // The hotline's taxonomy; with the demo its Open311 key and demo tickets (src/hotline/seed.ts).
  const hotline = await seedHotline(db.kysely, { demo });
  // The e-licence types the seed catalog's items issue and accept (data/licences/types.yaml).
  const licenceTypes = await seedLicenceTypes(db.kysely);
  // Demo e-licences of the demo people and enterprises (data/licences/demo.yaml).
  const licences = demo ? await seedDemoLicences(db.kysely) : 0;
  // The other departments' data sources the catalog's materials name (data/licences/shared-data.yaml).
  const sharedData = await seedSharedDataSources(db.kysely);
  // Policies from the seeds; with the demo the demo subjects' facts and synthetic subjects,
  // matched (data/policies/); last, so that the licences' tags are there to match on.
  const policies = await seedPolicies(db.kysely, { demo, synthetic: options.syntheticSubjects });
  // Inspection items; with the demo inspectors, the target registry and credit records (data/supervision/).
  const supervision = await seedSupervision(db.kysely, { demo });
  // The measures of the seed documents as reform tasks (data/insight/measures.json).
  const ledger = await seedLedger(db.kysely);
  const seeded = [
    items,
    bundles,
    history,
    licenceTypes,
    licences,
    sharedData,
    policies,
    supervision,
    ledger,
  ].some((n) => n > 0);
  return platform || directory || hotline || seeded;
}

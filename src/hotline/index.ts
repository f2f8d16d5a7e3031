// The 12345 hotline (接诉即办): what other capabilities may use.
export { HotlineAnalysis, summarize, weekRange, type Analysis, type Figures } from './analysis';
export { loadHotlineSettings, readProfiles, readTaxonomy, type HotlineSettings } from './config';
export {
  addLimit,
  roundDeadlines,
  ruleFor,
  textSimilarity,
  weekStartOf,
  type DeadlineProfiles,
  type DeadlineRule,
  type Limit,
} from './model';
export { OPEN311_PREFIX } from './open311';
export { hotlineRoutes } from './routes';
export { DEMO_OPEN311_KEY, seedDemoTickets, seedHotline, seedTaxonomy } from './seed';
export { HotlineService, type RegisterInput, type TicketFilter } from './service';
export {
  rebuildWeeklyStats,
  rollupRows,
  weeklyFromRollups,
  weeklyFromTickets,
  type WeeklyRow,
} from './store';
export type { PublicTicket, TicketDetail, TicketSummary } from './views';
export { categoryNames, readClosedTickets, readOverdueTickets, type TicketRecord } from './figures';

import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

/** regions — GB/T 2260 divisions and non-standard functional zones. */
export interface RegionsTable {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: 'province' | 'city' | 'county' | 'zone';
  standard: Generated<boolean>;
  createdAt: CreatedAt;
}

/** departments — government departments with their unified social credit code. */
export interface DepartmentsTable {
  id: Generated<string>;
  code: string;
  nameZh: string;
  nameEn: string;
  /** 统一社会信用代码; null until an administrator enters it (a department seeded without demo data). */
  uscc: string | null;
  regionCode: string;
  createdAt: CreatedAt;
}

/** subjects — natural persons and market subjects. */
export interface SubjectsTable {
  id: Generated<string>;
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  regionCode: string;
  mobile: string | null;
  createdAt: CreatedAt;
}

/** users — accounts with one role, bound to a region and a department or subject. */
export interface UsersTable {
  id: Generated<string>;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  regionCode: string;
  departmentId: string | null;
  subjectId: string | null;
  failedAttempts: Generated<number>;
  /** When the last failed sign-in counted in failedAttempts happened (lock-out window). */
  lastFailedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lockedUntil: Date | null;
  disabled: Generated<boolean>;
  createdAt: CreatedAt;
  /** The account must replace its (temporary) password before doing anything else. */
  passwordChangeRequired: Generated<boolean>;
  /** When the account last signed in. */
  lastSignedInAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** sessions — signed-in sessions, keyed by the hash of the cookie token. */
export interface SessionsTable {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** The enterprise a person acts for in this session (法人办事); null: as themselves. */
  actingSubjectId: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether the session was opened or confirmed with the account's second factor. */
  secondFactor: Generated<boolean>;
}

/** user_second_factors — one TOTP authenticator (RFC 6238) per account; the secret sealed. */
export interface UserSecondFactorsTable {
  userId: string;
  /** The base32 shared secret, sealed (`sm4:1:…`). */
  secret: string;
  createdAt: CreatedAt;
  /** Null while enrolment waits for its first code. */
  confirmedAt: Date | null;
  /** The 30-second step of the last accepted code (no replay). */
  lastUsedStep: ColumnType<number | null, number | null | undefined, number | null>;
}

/** user_recovery_codes — one-time recovery codes, kept only as HMAC-SM3. */
export interface UserRecoveryCodesTable {
  userId: string;
  codeHash: string;
  createdAt: CreatedAt;
  usedAt: Date | null;
}

/** sign_in_challenges — a password accepted, waiting for the second factor. */
export interface SignInChallengesTable {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  attempts: Generated<number>;
}

/** sealing_steps — start-up sealing steps gone through under a data key (skipped until it changes). */
export interface SealingStepsTable {
  step: string;
  keyId: string;
  doneAt: Generated<Date>;
}

/** audit_log — the append-only SM3 chains (one per lane) of state-changing actions. */
export interface AuditLogTable {
  /** Order in the whole log (not gapless; the chains are per lane). */
  seq: Generated<number>;
  lane: number;
  laneSeq: number;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

/** calendar_overrides — per-region holidays and make-up working days. */
export interface CalendarOverridesTable {
  regionCode: string;
  day: ColumnType<string, string, string>;
  kind: 'workday' | 'holiday';
  nameZh: Generated<string>;
  nameEn: Generated<string>;
  createdAt: CreatedAt;
}

/** schema_migrations — which numbered migrations have run. */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  appliedAt: CreatedAt;
}

/** catalog_items — service items by implementation code. */
export interface CatalogItemsTable {
  code: string;
  basicCode: string;
  createdAt: CreatedAt;
}

/** catalog_item_versions — drafts and immutable published versions of service items. */
export interface CatalogItemVersionsTable {
  itemCode: string;
  version: number;
  status: 'draft' | 'published' | 'superseded';
  nameZh: string;
  departmentCode: string;
  typeCode: string;
  content: ColumnType<unknown, string, string>;
  basedOn: number | null;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  supersededAt: Date | null;
}

export interface BundlesTable {
  code: string;
  createdAt: Generated<Date>;
}

export interface BundleVersionsTable {
  bundleCode: string;
  version: number;
  status: 'draft' | 'published' | 'superseded';
  nameZh: string;
  leadDepartment: string;
  content: ColumnType<unknown, string, string>;
  problems: ColumnType<unknown, string | undefined, string>;
  basedOn: number | null;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  supersededAt: Date | null;
}

/** applications — applications for bundles (申请), from draft through intake. */
export interface ApplicationsTable {
  id: string;
  number: string;
  bundleCode: string;
  bundleVersion: number;
  status: 'draft' | 'submitted' | 'accepted' | 'correction' | 'refused' | 'withdrawn';
  channel: 'online' | 'window';
  regionCode: string;
  subjectId: string;
  applicant: ColumnType<unknown, string, string>;
  applicantName: string;
  createdBy: string;
  assistedBy: string | null;
  consent: ColumnType<unknown, string | null, string | null>;
  answers: ColumnType<unknown, string, string>;
  data: ColumnType<unknown, string, string>;
  pledges: ColumnType<unknown, string, string>;
  snapshot: ColumnType<unknown, string | null, string | null>;
  deficiency: ColumnType<unknown, string | null, string | null>;
  correction: ColumnType<unknown, string | null, string | null>;
  refusal: ColumnType<unknown, string | null, string | null>;
  expectedBy: Date | null;
  expectedProvisional: boolean | null;
  publicToken: string;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  decidedAt: Date | null;
}

/** application_requests — idempotency keys of the requests that created applications. */
export interface ApplicationRequestsTable {
  userId: string;
  idempotencyKey: string;
  requestHash: string;
  applicationId: string;
  createdAt: Date;
}

/** application_uploads — uploaded materials, bytes in the database. */
export interface ApplicationUploadsTable {
  id: string;
  applicationId: string;
  regionCode: string;
  materialKey: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
  uploadedAt: Date;
  removedAt: Date | null;
  removedBy: string | null;
}

/** application_events — what happened to an application, appended. */
export interface ApplicationEventsTable {
  id: Generated<number>;
  applicationId: string;
  regionCode: string;
  at: Date;
  action: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  note: string | null;
}

/** application_notices — acceptance, correction and refusal notices. */
export interface ApplicationNoticesTable {
  id: string;
  applicationId: string;
  regionCode: string;
  kind: 'acceptance' | 'correction' | 'refusal' | 'result';
  number: string;
  issuedAt: Date;
  issuedBy: string | null;
  issuerName: string;
  issuerDepartment: string;
  facts: ColumnType<unknown, string, string>;
}

/** application_members — the member items of an accepted application, for the department cases. */
export interface ApplicationMembersTable {
  applicationId: string;
  memberKey: string;
  regionCode: string;
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  afterMembers: ColumnType<unknown, string, string>;
  answers: ColumnType<unknown, string, string>;
  data: ColumnType<unknown, string, string>;
  startsAfterHours: ColumnType<string, number, number>;
  finishesAfterHours: ColumnType<string, number, number>;
}

/** cases — department cases (子件): one per member of an accepted application, on the clock. */
export interface CasesTable {
  id: string;
  applicationId: string;
  memberKey: string;
  regionCode: string;
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  state: string;
  afterMembers: ColumnType<unknown, string, string>;
  inputs: ColumnType<unknown, string, string>;
  results: ColumnType<unknown, string | null, string | null>;
  /** The item's decision rules frozen at fan-out (秒批, 超时默认); null: decided by a reviewer. */
  decision: ColumnType<unknown, string | null | undefined, string | null>;
  committedLimit: ColumnType<unknown, string, string>;
  statutoryLimit: ColumnType<unknown, string | null, string | null>;
  startedAt: Date | null;
  committedDueAt: Date | null;
  statutoryDueAt: Date | null;
  warnAt: Date | null;
  dueProvisional: Generated<boolean>;
  warning: Generated<string>;
  alertAt: Date | null;
  reviewerId: string | null;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** case_action_requests — idempotency keys of case actions. */
export interface CaseActionRequestsTable {
  userId: string;
  idempotencyKey: string;
  regionCode: string;
  caseId: string;
  action: string;
  requestHash: string;
  createdAt: Date;
}

/** case_clock_segments — suspensions and extensions of a case's clock. */
export interface CaseClockSegmentsTable {
  id: string;
  caseId: string;
  regionCode: string;
  kind: string;
  reason: string;
  startedAt: Date;
  endedAt: Date | null;
  resumeState: string | null;
  days: number | null;
  requestedBy: string | null;
  approvedAt: Date | null;
  approvedBy: string | null;
}

/** case_events — the append-only timeline of a case. */
export interface CaseEventsTable {
  id: Generated<string>;
  caseId: string;
  applicationId: string;
  regionCode: string;
  at: Date;
  action: string;
  fromState: string | null;
  toState: string | null;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  note: string | null;
  detail: ColumnType<unknown, string | null, string | null>;
}

/** hotline_categories — the 12345 taxonomy: groups and categories with Open311 service codes. */
export interface HotlineCategoriesTable {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  descriptionZh: Generated<string>;
  descriptionEn: Generated<string>;
  serviceCode: string | null;
  open311Group: Generated<string>;
  keywords: ColumnType<string[], string | undefined, string>;
  attributes: ColumnType<unknown, string | undefined, string>;
  active: Generated<boolean>;
  sort: Generated<number>;
  updatedAt: Generated<Date>;
}

/** hotline_routes — default responsible department of a category in a region (派单规则). */
export interface HotlineRoutesTable {
  categoryCode: string;
  regionCode: string;
  departmentId: string;
}

/** hotline_tickets — 12345 tickets (工单) and where each stands in its closed loop. */
export interface HotlineTicketsTable {
  id: string;
  number: string;
  trackCode: string;
  channel: string;
  type: string;
  categoryCode: string;
  regionCode: string;
  address: Generated<string>;
  lat: number | null;
  lng: number | null;
  title: string;
  content: string;
  urgency: string;
  enterprise: Generated<boolean>;
  enterpriseName: string | null;
  enterpriseUscc: string | null;
  anonymous: Generated<boolean>;
  confidential: Generated<boolean>;
  disclose: Generated<boolean>;
  requesterName: string | null;
  requesterMobile: string | null;
  /** HMAC-SM3 blind index of the normalized mobile (the mobile itself is sealed). */
  requesterMobileHash: string | null;
  requesterSubjectId: string | null;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  mediaUrl: string | null;
  status: string;
  resolution: string | null;
  profile: string;
  leadDepartmentId: string | null;
  suggestedDepartmentId: string | null;
  round: Generated<number>;
  relatedTicketId: string | null;
  relation: string | null;
  reopenCount: Generated<number>;
  escalationLevel: Generated<number>;
  escalatedAt: Date | null;
  signDueAt: Date | null;
  contactDueAt: Date | null;
  finishDueAt: Date | null;
  returnUntil: Date | null;
  dueProvisional: Generated<boolean>;
  extendedDays: Generated<number>;
  callbackDueAt: Date | null;
  dispatchedAt: Date | null;
  signedAt: Date | null;
  contactedAt: Date | null;
  answer: string | null;
  repliedAt: Date | null;
  finishedAt: Date | null;
  onTime: boolean | null;
  callbackAttempts: Generated<number>;
  satisfaction: string | null;
  closedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** hotline_assignments — the lead and assisting units of each dispatch round. */
export interface HotlineAssignmentsTable {
  ticketId: string;
  round: number;
  departmentId: string;
  regionCode: string;
  role: 'lead' | 'assist';
  status: 'dispatched' | 'signed' | 'replied' | 'returned' | 'ended';
  dispatchedAt: Date;
  dispatchedBy: string | null;
  signDueAt: Date;
  signedAt: Date | null;
  signedBy: string | null;
  opinion: string | null;
  repliedAt: Date | null;
  returnedAt: Date | null;
  returnReason: string | null;
}

/** hotline_extensions — extension requests (延期) and their decisions. */
export interface HotlineExtensionsTable {
  id: string;
  ticketId: string;
  regionCode: string;
  round: number;
  departmentId: string;
  workingDays: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  dueBefore: Date;
  dueAfter: Date | null;
}

/** hotline_events — the timeline of a ticket, appended. */
export interface HotlineEventsTable {
  id: Generated<number>;
  ticketId: string;
  regionCode: string;
  at: Date;
  action: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  departmentId: string | null;
  note: string | null;
  public: Generated<boolean>;
  status: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

/** hotline_attachments — files of a ticket, bytes in the database. */
export interface HotlineAttachmentsTable {
  id: string;
  ticketId: string;
  regionCode: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploadedBy: string | null;
  uploadedAt: Date;
}

/** hotline_weekly_stats — weekly rollups by category and region, kept with every ticket write. */
export interface HotlineWeeklyStatsTable {
  weekStart: ColumnType<string, string, string>;
  categoryCode: string;
  regionCode: string;
  received: Generated<number>;
  finished: Generated<number>;
  onTime: Generated<number>;
  rated: Generated<number>;
  satisfied: Generated<number>;
  reopened: Generated<number>;
  enterprise: Generated<number>;
  repeated: Generated<number>;
}

/** hotline_api_keys — Open311 client keys; only their hash is kept. */
export interface HotlineApiKeysTable {
  id: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
}

/** domain_events — facts published by capabilities in the transaction that causes them. */
export interface DomainEventsTable {
  id: Generated<string>;
  type: string;
  key: string;
  regionCode: string;
  /** Sealed personal fields, when an event has any, sit under `sealed` (see `publishEvent`). */
  payload: ColumnType<Record<string, unknown>, string, string>;
  occurredAt: Date;
}

/** domain_event_deliveries — which handler has run (or failed on) which event. */
export interface DomainEventDeliveriesTable {
  eventId: string;
  handler: string;
  deliveredAt: Date | null;
  attempts: Generated<number>;
  lastError: string | null;
  nextAttemptAt: Date | null;
}

/** messages — in-app messages (站内消息) of one user. */
export interface MessagesTable {
  id: Generated<string>;
  userId: string;
  kind: string;
  title: ColumnType<{ zh: string; en: string }, string, never>;
  body: ColumnType<{ zh: string; en: string }, string, never>;
  link: string | null;
  dedupeKey: string;
  createdAt: Date;
  readAt: Date | null;
}

/** outbox — SMS and email waiting to be sent, or sent, at least once. */
export interface OutboxTable {
  id: Generated<string>;
  channel: 'sms' | 'email';
  recipient: string;
  kind: string;
  title: ColumnType<{ zh: string; en: string }, string, never>;
  body: ColumnType<{ zh: string; en: string }, string, never>;
  link: string | null;
  dedupeKey: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  reference: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** licence_types — 证照类型: name, issuing department, holder kind, field schema, validity. */
export interface LicenceTypesTable {
  code: string;
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  holderKind: 'person' | 'enterprise';
  fields: ColumnType<unknown, string, string>;
  validityYears: number | null;
  sort: Generated<number>;
  updatedAt: Generated<Date>;
}

/** licence_signing_keys — the platform's SM2 key pairs for e-licence signatures. */
export interface LicenceSigningKeysTable {
  id: string;
  publicKey: string;
  privateKey: string;
  createdAt: Generated<Date>;
  active: Generated<boolean>;
}

/** licences — issued e-licences (电子证照) with their signature over the fixed content. */
export interface LicencesTable {
  id: string;
  identifier: string;
  typeCode: string;
  holderKind: 'person' | 'enterprise';
  holderIdentifier: string;
  holderName: string;
  subjectId: string | null;
  fields: ColumnType<unknown, string, string>;
  issuerDepartmentCode: string;
  issuedAt: Date;
  validFrom: string;
  validUntil: string | null;
  status: 'valid' | 'suspended' | 'revoked' | 'replaced';
  statusReason: string | null;
  replacedBy: string | null;
  sourceCaseId: string | null;
  regionCode: string;
  signingKeyId: string;
  contentHash: string;
  signature: string;
  version: Generated<number>;
  updatedAt: Date;
}

/** licence_events — appended status changes of a licence. */
export interface LicenceEventsTable {
  id: string;
  licenceId: string;
  regionCode: string;
  action: 'issued' | 'suspended' | 'revoked' | 'reinstated' | 'replaced';
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actorId: string | null;
  at: Date;
}

/** licence_shares — 亮证: a holder's time-limited link showing chosen fields of a licence. */
export interface LicenceSharesTable {
  id: string;
  licenceId: string;
  regionCode: string;
  /** Hex SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  fields: ColumnType<string[], string, string>;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  viewCount: Generated<number>;
  lastViewedAt: Date | null;
}

/** licence_share_views — every opening of a share. */
export interface LicenceShareViewsTable {
  id: string;
  shareId: string;
  regionCode: string;
  viewedAt: Date;
}

/** subject_tags — 标签 of a subject, computed from the platform's own records (dossiers). */
export interface SubjectTagsTable {
  subjectId: string;
  tag: string;
  value: string;
  source: string;
  regionCode: string;
  updatedAt: Date;
}

/** dossier_access_log — every read of a subject's dossier: who, in which role, when, why. */
export interface DossierAccessLogTable {
  id: string;
  subjectId: string;
  regionCode: string;
  actorId: string;
  actorRole: string;
  actorName: string;
  departmentCode: string | null;
  reason: string | null;
  at: Date;
}

/** shared_data_sources — other departments' data the platform can query instead of a paper. */
export interface SharedDataSourcesTable {
  name: string;
  nameEn: string;
  departmentCode: string;
  subjectKinds: ('person' | 'enterprise')[];
  connected: boolean;
  note: string | null;
  updatedAt: Date;
}

/** licence_uses — every use of a licence or shared data in place of a paper (免提交). */
export interface LicenceUsesTable {
  id: string;
  licenceId: string | null;
  sourceKind: 'licence' | 'shared-data' | 'item-result';
  sourceName: string;
  holderKind: 'person' | 'enterprise';
  holderIdentifier: string;
  applicationId: string;
  applicationNumber: string;
  materialKey: string;
  materialName: ColumnType<unknown, string, never>;
  action: 'attached' | 'viewed';
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  departmentCode: string | null;
  purpose: ColumnType<unknown, string, never>;
  regionCode: string;
  at: Date;
}

/** subject_representatives — persons who may act for an enterprise (法定代表人). */
export interface SubjectRepresentativesTable {
  enterpriseId: string;
  personId: string;
  role: 'legal-rep';
  since: Date;
  source: string;
}

/** rateable_services — services someone may rate (好差评), recorded from other capabilities' events. */
export interface RateableServicesTable {
  id: string;
  kind: 'application' | 'case' | 'ticket' | 'window_visit' | 'inspection';
  targetId: string;
  regionCode: string;
  title: ColumnType<unknown, string, never>;
  number: string | null;
  subjectId: string | null;
  departmentCode: string;
  itemCode: string | null;
  bundleCode: string | null;
  staffUserId: string | null;
  windowCode: string | null;
  completedAt: Date;
  rateUntil: Date;
  createdAt: Date;
}

/** window_visits — a visit at a window, rated once on the counter tablet. */
export interface WindowVisitsTable {
  id: string;
  tokenHash: string;
  regionCode: string;
  clerkId: string;
  departmentCode: string;
  windowCode: string;
  applicationNumber: string | null;
  startedAt: Date;
  expiresAt: Date;
}

/** ratings — one per rater per service: level 1–5, tags, comment, channel. */
export interface RatingsTable {
  id: string;
  serviceId: string;
  regionCode: string;
  raterSubjectId: string | null;
  enteredBy: string | null;
  level: number;
  tags: ColumnType<string[], string, string>;
  comment: string | null;
  channel: 'online' | 'counter' | 'callback';
  realName: boolean;
  kind: string;
  departmentCode: string;
  itemCode: string | null;
  bundleCode: string | null;
  staffUserId: string | null;
  windowCode: string | null;
  flagged: Generated<boolean>;
  flagNote: string | null;
  ratedAt: Date;
}

/** rectifications — 差评整改 of a bad rating by the answerable unit. */
export interface RectificationsTable {
  id: string;
  ratingId: string;
  regionCode: string;
  departmentCode: string;
  state: 'open' | 'submitted' | 'answered' | 'closed' | 'appealed' | 'dismissed';
  dueAt: Date;
  dueProvisional: Generated<boolean>;
  explanation: string | null;
  fix: string | null;
  answer: string | null;
  callbackAt: Date | null;
  callbackNote: string | null;
  submittedAt: Date | null;
  submittedBy: string | null;
  reviewNote: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  appealReason: string | null;
  appealNote: string | null;
  answerSatisfied: boolean | null;
  answerComment: string | null;
  onTime: boolean | null;
  closedAt: Date | null;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
}

/** rectification_events — what happened to a rectification, appended. */
export interface RectificationEventsTable {
  id: string;
  rectificationId: string;
  regionCode: string;
  action: string;
  actorId: string | null;
  actorName: string;
  note: string | null;
  at: Date;
}

type Json<T> = ColumnType<T, string, string>;

/** insight_application_days — applications by Beijing day, region and bundle (cockpit). */
export interface InsightApplicationDaysTable {
  day: ColumnType<string, string, string>;
  regionCode: string;
  bundleCode: string;
  submitted: Generated<number>;
  submittedOnline: Generated<number>;
  completed: Generated<number>;
  completedOnTime: Generated<number>;
  easy: Generated<number>;
  durationHours: Generated<number>;
  savedSteps: Generated<number>;
  savedMaterials: Generated<number>;
  savedVisits: Generated<number>;
  waivedMaterials: Generated<number>;
}

/** insight_application_durations — completion times in buckets (percentiles). */
export interface InsightApplicationDurationsTable {
  day: ColumnType<string, string, string>;
  regionCode: string;
  bundleCode: string;
  bucket: number;
  n: Generated<number>;
}

/** insight_ticket_days — 12345 tickets closed by Beijing day, region and category (cockpit). */
export interface InsightTicketDaysTable {
  day: ColumnType<string, string, string>;
  regionCode: string;
  categoryCode: string;
  closed: Generated<number>;
  closedOnTime: Generated<number>;
  rated: Generated<number>;
  satisfied: Generated<number>;
}

type Money = ColumnType<string | number | null, number | null, number | null>;

/** policies — 惠企惠民政策 with their eligibility rules (policies capability). */
export interface PoliciesTable {
  id: string;
  code: string;
  name: Json<{ zh: string; en: string }>;
  summary: Json<{ zh: string; en: string }>;
  departmentCode: string;
  regionCode: string;
  sourceDocument: string;
  validFrom: ColumnType<string, string, string>;
  validUntil: ColumnType<string | null, string | null, string | null>;
  tags: Json<string[]>;
  mode: 'apply' | 'automatic' | 'silent';
  benefit: ColumnType<unknown, string | null, string | null>;
  payWorkingDays: number;
  recheckDays: number | null;
  applyLink: string | null;
  rule: Json<unknown>;
  state: 'draft' | 'published' | 'withdrawn';
  version: Generated<number>;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** dossier_facts — facts other departments hold about a subject (营收, 纳税信用 …), by exchange. */
export interface DossierFactsTable {
  subjectId: string;
  regionCode: string;
  facts: Json<Record<string, unknown>>;
  source: string;
  updatedBy: string | null;
  updatedAt: Date;
}

/** policy_dossiers — a subject's dossier as eligibility rules read it. */
export interface PolicyDossiersTable {
  subjectId: string;
  regionCode: string;
  kind: 'person' | 'enterprise';
  dossier: Json<Record<string, unknown>>;
  updatedAt: Date;
}

/** policy_matches — who meets a published policy or misses it by one condition, and why. */
export interface PolicyMatchesTable {
  policyId: string;
  subjectId: string;
  regionCode: string;
  status: 'matched' | 'near_miss';
  summary: Json<{ zh: string; en: string }>;
  matchedAt: Date;
  updatedAt: Date;
}

/** policy_grants — 免申即享 / 静默认证 grants, confirmed and paid by the issuing department. */
export interface PolicyGrantsTable {
  id: string;
  number: string;
  policyId: string;
  subjectId: string;
  regionCode: string;
  departmentCode: string;
  amount: Money;
  state: 'pending' | 'confirmed' | 'paid' | 'rejected' | 'suspended';
  dueAt: Date;
  confirmedAt: Date | null;
  paidAt: Date | null;
  paymentRef: string | null;
  note: string | null;
  nextCheckAt: Date | null;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
}

/** policy_grant_ledger — every step of every grant (台账), append-only. */
export interface PolicyGrantLedgerTable {
  id: Generated<string>;
  grantId: string;
  regionCode: string;
  action: string;
  actorId: string | null;
  amount: Money;
  note: string | null;
  at: Date;
}

/** inspection_items — 检查事项清单 of each department (supervision). */
export interface InspectionItemsTable {
  code: string;
  departmentCode: string;
  name: Json<{ zh: string; en: string }>;
  legalBasis: string;
  kind: 'key' | 'general';
  maxRatio: ColumnType<string | number, number, number>;
  createdAt: Date;
}

/** inspection_targets — 检查对象名录: enterprises that may be inspected, with risk level. */
export interface InspectionTargetsTable {
  subjectId: string;
  regionCode: string;
  industry: string | null;
  riskLevel: 'low' | 'medium' | 'high';
  updatedAt: Date;
}

/** inspectors — 执法检查人员名录. */
export interface InspectorsTable {
  id: string;
  userId: string | null;
  name: string;
  departmentCode: string;
  regionCode: string;
  certificateNo: string;
  certifiedUntil: ColumnType<string, string, string>;
  active: Generated<boolean>;
  createdAt: Date;
}

/** inspector_conflicts — declared conflicts of interest (回避). */
export interface InspectorConflictsTable {
  inspectorId: string;
  subjectId: string;
  regionCode: string;
  reason: string;
  declaredAt: Date;
}

/** inspection_plans — random-inspection plans and their auditable draws. */
export interface InspectionPlansTable {
  id: string;
  number: string;
  departmentCode: string;
  regionCode: string;
  title: string;
  itemCodes: Json<string[]>;
  filters: Json<{ regions?: string[]; industries?: string[]; riskLevels?: string[] }>;
  tierRatios: Json<Record<string, number>>;
  inspectorsPerTarget: number;
  maxTasksPerInspector: number | null;
  startsOn: ColumnType<string, string, string>;
  endsOn: ColumnType<string, string, string>;
  state: 'draft' | 'committed' | 'drawn';
  inputs: ColumnType<unknown, string | null, string | null>;
  inputsDigest: string | null;
  seedHash: string | null;
  seed: string | null;
  result: ColumnType<unknown, string | null, string | null>;
  drawDigest: string | null;
  createdBy: string;
  createdAt: Date;
  committedAt: Date | null;
  drawnAt: Date | null;
}

/** inspections — one enterprise's inspection, possibly joint, from filing to published result. */
export interface InspectionsTable {
  id: string;
  number: string;
  subjectId: string;
  regionCode: string;
  planIds: Json<string[]>;
  departmentCodes: Json<string[]>;
  itemCodes: Json<string[]>;
  inspectorIds: Json<string[]>;
  startsOn: ColumnType<string, string, string>;
  endsOn: ColumnType<string, string, string>;
  state: 'planned' | 'filed' | 'checked_in' | 'finished' | 'published';
  filedAt: Date | null;
  filedBy: string | null;
  scheduledOn: ColumnType<string | null, string | null, string | null>;
  checkinHash: string | null;
  checkinExpiresAt: Date | null;
  checkedInAt: Date | null;
  finishedAt: Date | null;
  result: 'pass' | 'issues' | 'fail' | null;
  findings: string | null;
  publishDueAt: Date | null;
  publishedAt: Date | null;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
}

/** inspection_events — every step of an inspection (全程留痕). */
export interface InspectionEventsTable {
  id: Generated<string>;
  inspectionId: string;
  regionCode: string;
  action: string;
  actorId: string | null;
  note: string | null;
  at: Date;
}

/** credit_records — penalties, abnormal-operation listings and commendations of a subject. */
export interface CreditRecordsTable {
  id: string;
  subjectId: string;
  regionCode: string;
  departmentCode: string;
  kind: 'penalty' | 'abnormal' | 'commendation';
  severity: 'minor' | 'general' | 'serious';
  title: string;
  decidedOn: ColumnType<string, string, string>;
  publishUntil: ColumnType<string, string, string>;
  repairableFrom: ColumnType<string, string, string>;
  state: 'published' | 'repaired';
  repairedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** credit_repairs — 信用修复 requests and their decisions. */
export interface CreditRepairsTable {
  id: string;
  recordId: string;
  subjectId: string;
  regionCode: string;
  departmentCode: string;
  statement: string;
  state: 'submitted' | 'approved' | 'rejected';
  dueAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
  createdBy: string;
  createdAt: Date;
}

/** ledger_documents — policy documents whose measures the reform-task ledger tracks (insight). */
export interface LedgerDocumentsTable {
  key: string;
  letter: string | null;
  title: string;
  number: string | null;
  issuedOn: ColumnType<string | null, string | null, string | null>;
  regionCode: string;
  goals: Json<{ deadlines: unknown[]; targets: string[] }>;
  createdAt: Date;
  updatedAt: Date;
}

/** ledger_tasks — reform tasks (改革任务), one per measure of a seed document. */
export interface LedgerTasksTable {
  id: string;
  documentKey: string;
  regionCode: string;
  seq: number;
  path: Json<string[]>;
  headings: Json<string[]>;
  title: string;
  text: string;
  leadUnits: Json<string[]>;
  responsibleUnits: Json<string[]>;
  deadlines: Json<unknown[]>;
  /** 完成时限 — the last dated deadline, else the document's goal; null: ongoing. */
  dueOn: ColumnType<string | null, string | null, string | null>;
  targets: Json<string[]>;
  state: 'open' | 'done';
  doneAt: Date | null;
  doneBy: string | null;
  doneNote: string | null;
  lastPeriod: string | null;
  lastStatus: 'on_track' | 'at_risk' | 'delayed' | 'completed' | null;
  lastPercent: number | null;
  lastReportedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** ledger_task_units — the lead (牵头) and responsible (责任) units a task names. */
export interface LedgerTaskUnitsTable {
  taskId: string;
  unitName: string;
  role: 'lead' | 'responsible';
  regionCode: string;
}

/** ledger_units — unit names as documents write them → the reporting department. */
export interface LedgerUnitsTable {
  name: string;
  departmentCode: string;
  regionCode: string;
}

/** ledger_reports — a unit's progress report on a task for one period. */
export interface LedgerReportsTable {
  id: string;
  taskId: string;
  regionCode: string;
  unitName: string;
  departmentCode: string | null;
  period: string;
  status: 'on_track' | 'at_risk' | 'delayed' | 'completed';
  percent: number;
  note: string;
  evidence: Json<{ text: string; links: string[] }>;
  reporterId: string;
  reportedAt: Date;
  idempotencyKey: string | null;
  revision: number;
}

/** Every table of the platform; capabilities add theirs here as they arrive. */
export interface Database {
  applications: ApplicationsTable;
  applicationRequests: ApplicationRequestsTable;
  applicationUploads: ApplicationUploadsTable;
  applicationEvents: ApplicationEventsTable;
  applicationNotices: ApplicationNoticesTable;
  applicationMembers: ApplicationMembersTable;
  cases: CasesTable;
  caseClockSegments: CaseClockSegmentsTable;
  caseActionRequests: CaseActionRequestsTable;
  caseEvents: CaseEventsTable;
  bundles: BundlesTable;
  bundleVersions: BundleVersionsTable;
  catalogItems: CatalogItemsTable;
  catalogItemVersions: CatalogItemVersionsTable;
  regions: RegionsTable;
  departments: DepartmentsTable;
  subjects: SubjectsTable;
  users: UsersTable;
  sessions: SessionsTable;
  userSecondFactors: UserSecondFactorsTable;
  userRecoveryCodes: UserRecoveryCodesTable;
  signInChallenges: SignInChallengesTable;
  auditLog: AuditLogTable;
  sealingSteps: SealingStepsTable;
  calendarOverrides: CalendarOverridesTable;
  schemaMigrations: SchemaMigrationsTable;
  hotlineCategories: HotlineCategoriesTable;
  hotlineRoutes: HotlineRoutesTable;
  hotlineTickets: HotlineTicketsTable;
  hotlineAssignments: HotlineAssignmentsTable;
  hotlineExtensions: HotlineExtensionsTable;
  hotlineEvents: HotlineEventsTable;
  hotlineAttachments: HotlineAttachmentsTable;
  hotlineWeeklyStats: HotlineWeeklyStatsTable;
  hotlineApiKeys: HotlineApiKeysTable;
  domainEvents: DomainEventsTable;
  domainEventDeliveries: DomainEventDeliveriesTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  licenceTypes: LicenceTypesTable;
  licenceSigningKeys: LicenceSigningKeysTable;
  licences: LicencesTable;
  licenceEvents: LicenceEventsTable;
  subjectTags: SubjectTagsTable;
  dossierAccessLog: DossierAccessLogTable;
  licenceShares: LicenceSharesTable;
  licenceShareViews: LicenceShareViewsTable;
  sharedDataSources: SharedDataSourcesTable;
  licenceUses: LicenceUsesTable;
  subjectRepresentatives: SubjectRepresentativesTable;
  rateableServices: RateableServicesTable;
  windowVisits: WindowVisitsTable;
  ratings: RatingsTable;
  rectifications: RectificationsTable;
  rectificationEvents: RectificationEventsTable;
  insightApplicationDays: InsightApplicationDaysTable;
  insightApplicationDurations: InsightApplicationDurationsTable;
  insightTicketDays: InsightTicketDaysTable;
  policies: PoliciesTable;
  dossierFacts: DossierFactsTable;
  policyDossiers: PolicyDossiersTable;
  policyMatches: PolicyMatchesTable;
  policyGrants: PolicyGrantsTable;
  policyGrantLedger: PolicyGrantLedgerTable;
  inspectionItems: InspectionItemsTable;
  inspectionTargets: InspectionTargetsTable;
  inspectors: InspectorsTable;
  inspectorConflicts: InspectorConflictsTable;
  inspectionPlans: InspectionPlansTable;
  inspections: InspectionsTable;
  inspectionEvents: InspectionEventsTable;
  creditRecords: CreditRecordsTable;
  creditRepairs: CreditRepairsTable;
  ledgerDocuments: LedgerDocumentsTable;
  ledgerTasks: LedgerTasksTable;
  ledgerTaskUnits: LedgerTaskUnitsTable;
  ledgerUnits: LedgerUnitsTable;
  ledgerReports: LedgerReportsTable;
}

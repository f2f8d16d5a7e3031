// The services that may be rated, recorded from the other capabilities' domain events in the
// delivery's transaction (exactly once per event and handler): applications completed, department
// cases decided, 12345 tickets closed. The person served is invited to rate the application and
// the ticket; a case's rating is offered beside its application's.
import type { Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import type { DomainEvent } from '../platform/notify';
import type { EvaluationService } from './service';

/** The stored names of the handlers (keep them stable: deliveries record them). */
export const HANDLERS = {
  application: 'evaluations.record_application',
  case: 'evaluations.record_case',
  ticket: 'evaluations.record_ticket',
  inspection: 'evaluations.record_inspection',
} as const;

/** The events they handle. */
export const EVENTS = {
  application: 'cases.application_completed',
  case: 'cases.case_decided',
  ticket: 'hotline.ticket_closed',
  inspection: 'supervision.inspection_finished',
} as const;

interface ApplicationCompleted {
  applicationId: string;
  applicationNumber: string;
  bundleCode: string;
  bundleName?: Text;
  leadDepartment?: string;
  clerkId?: string | null;
  subjectId: string;
  mobile?: string | null;
}

interface CaseDecided {
  applicationNumber: string;
  caseId: string;
  itemCode: string;
  itemName?: Text;
  departmentCode: string;
  reviewerId?: string | null;
  subjectId: string;
}

interface TicketClosed {
  ticketId: string;
  number: string;
  title: string;
  resolution: string | null;
  requesterSubjectId: string | null;
  leadDepartmentCode: string | null;
  operatorId: string | null;
}

interface InspectionFinished {
  inspectionId: string;
  number: string;
  subjectId: string;
  departmentCode: string;
  title: Text;
  inspectorUserId: string | null;
}

/** Ticket endings that were no service to rate: merged into another, or not a real request. */
const UNRATED_RESOLUTIONS = new Set(['merged', 'invalid', 'duplicate']);

export async function recordApplication(
  service: EvaluationService,
  trx: Tx,
  event: DomainEvent,
  now: Date,
) {
  const p = event.payload as unknown as ApplicationCompleted;
  // events of older versions lack the lead department: nothing to answer for it then
  if (!p.leadDepartment) return;
  const { row, created } = await service.recordService(
    trx,
    {
      kind: 'application',
      targetId: p.applicationId,
      regionCode: event.regionCode,
      title: p.bundleName ?? { zh: p.bundleCode, en: p.bundleCode },
      number: p.applicationNumber,
      subjectId: p.subjectId,
      departmentCode: p.leadDepartment,
      bundleCode: p.bundleCode,
      staffUserId: p.clerkId ?? null,
      completedAt: event.occurredAt,
    },
    now,
  );
  if (created) await service.invite(trx, row, p.mobile ?? null, now);
}

export async function recordCase(
  service: EvaluationService,
  trx: Tx,
  event: DomainEvent,
  now: Date,
) {
  const p = event.payload as unknown as CaseDecided;
  await service.recordService(
    trx,
    {
      kind: 'case',
      targetId: p.caseId,
      regionCode: event.regionCode,
      title: p.itemName ?? { zh: p.itemCode, en: p.itemCode },
      number: p.applicationNumber,
      subjectId: p.subjectId,
      departmentCode: p.departmentCode,
      itemCode: p.itemCode,
      staffUserId: p.reviewerId ?? null,
      completedAt: event.occurredAt,
    },
    now,
  );
}

export async function recordTicket(
  service: EvaluationService,
  trx: Tx,
  event: DomainEvent,
  now: Date,
) {
  const p = event.payload as unknown as TicketClosed;
  if (!p.leadDepartmentCode || (p.resolution && UNRATED_RESOLUTIONS.has(p.resolution))) return;
  const { row, created } = await service.recordService(
    trx,
    {
      kind: 'ticket',
      targetId: p.ticketId,
      regionCode: event.regionCode,
      title: { zh: `12345 工单：${p.title}`, en: `12345 ticket: ${p.title}` },
      number: p.number,
      subjectId: p.requesterSubjectId,
      departmentCode: p.leadDepartmentCode,
      staffUserId: p.operatorId,
      completedAt: event.occurredAt,
    },
    now,
  );
  if (created) await service.invite(trx, row, null, now);
}

/** An inspection over: the enterprise rates it (事后评价), answerable by the first department. */
export async function recordInspection(
  service: EvaluationService,
  trx: Tx,
  event: DomainEvent,
  now: Date,
) {
  const p = event.payload as unknown as InspectionFinished;
  const { row, created } = await service.recordService(
    trx,
    {
      kind: 'inspection',
      targetId: p.inspectionId,
      regionCode: event.regionCode,
      title: p.title,
      number: p.number,
      subjectId: p.subjectId,
      departmentCode: p.departmentCode,
      staffUserId: p.inspectorUserId,
      completedAt: event.occurredAt,
    },
    now,
  );
  if (created) await service.invite(trx, row, null, now);
}

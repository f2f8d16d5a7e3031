import type { Role } from '../auth/model';
import type { Text } from '../i18n';
import { checkMobile, maskIdentifier } from '../ids';

/** External channels the outbox delivers to. */
export const CHANNELS = ['sms', 'email'] as const;

/** One external channel. */
export type Channel = (typeof CHANNELS)[number];

/** Where an outbox row stands: waiting, being sent under a lease, sent, or given up. */
export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed'] as const;

/** One outbox state. */
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** A fact a capability publishes for others, in the transaction that causes it. */
export interface DomainEventInput {
  /** Dotted type, e.g. `cases.decided`. */
  type: string;
  /** Unique within the type (e.g. `${caseId}:approved`): publishing the same key again is a no-op. */
  key: string;
  /** The region the fact belongs to (the distribution column when the tables are sharded). */
  regionCode: string;
  payload?: Record<string, unknown>;
  /**
   * Fields naming a person (ID numbers, mobiles, form data) the handlers need: stored sealed whole
   * under the payload's `sealed` key and merged back into the payload handlers receive. SQL (the
   * cockpit's rollups) reads only the plain payload.
   */
  personal?: Record<string, unknown>;
  /** When it happened (default: now). */
  occurredAt?: Date;
}

/** A published domain event as handlers receive it. */
export interface DomainEvent {
  id: string;
  type: string;
  key: string;
  regionCode: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** Who receives a notification; every listed group is added, each user once. */
export interface Recipients {
  userIds?: readonly string[];
  /** Every enabled account acting for these persons or enterprises. */
  subjectIds?: readonly string[];
  /** Enabled staff of a department (by code), optionally only in some roles. */
  department?: { code: string; regionCode?: string; roles?: readonly Role[] };
  /** Enabled supervisors of this region and of the regions above it (督办). */
  supervisorsOver?: string;
}

/** A notification: an in-app message to each recipient, plus SMS and email when given. */
export interface NotifyInput {
  to: Recipients;
  /** What kind of notice it is, e.g. `cases.accepted` (for filtering and templates). */
  kind: string;
  title: Text;
  body: Text;
  /** A path inside the web app (`/applications/…`) the message leads to. */
  link?: string | null;
  /** The same key never produces a second message for a user, nor a second SMS or email. */
  dedupeKey: string;
  sms?: { mobile: string };
  email?: { address: string };
}

/** What notify wrote: new in-app messages and new outbox rows (duplicates are not counted). */
export interface NotifyResult {
  messages: number;
  outbox: number;
}

/** One message handed to a sender. */
export interface OutgoingMessage {
  /** The outbox row id; senders pass it to their provider as the idempotency key. */
  id: string;
  idempotencyKey: string;
  channel: Channel;
  recipient: string;
  kind: string;
  title: Text;
  body: Text;
  link: string | null;
  /** 1 for the first try. */
  attempt: number;
}

/** Delivers messages of one channel (an SMS gateway, an SMTP relay, the console). */
export interface Sender {
  readonly channel: Channel;
  /** Resolves when the provider has accepted the message (optionally with its reference); throws otherwise. */
  send(message: OutgoingMessage): Promise<void | { reference?: string }>;
}

/** Retry timing of failed deliveries. */
export interface Backoff {
  /** Wait after the first failure, in seconds. */
  baseSeconds: number;
  /** Longest wait, in seconds. */
  maxSeconds: number;
}

/** Outbox and event retries: 30 s, 1 min, 2 min … at most an hour apart. */
export const DEFAULT_BACKOFF: Backoff = { baseSeconds: 30, maxSeconds: 3600 };

/** When to try again after the given number of failed attempts (exponential, capped). */
export function nextAttemptAt(now: Date, attempts: number, backoff: Backoff = DEFAULT_BACKOFF) {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const seconds = Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** exponent);
  return new Date(now.getTime() + seconds * 1000);
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LINK = /^\/($|[^/\\])/;

/** Problems with an event before it is written (programming errors of the publisher). */
export function eventProblems(input: DomainEventInput): string[] {
  const problems: string[] = [];
  if (!EVENT_TYPE.test(input.type))
    problems.push(`event type "${input.type}" is not dotted lower case`);
  if (input.key.length < 1 || input.key.length > 200)
    problems.push('event key must be 1–200 characters');
  if (!input.regionCode) problems.push('event needs a region code');
  return problems;
}

/** Problems with a notification's fields, as `path: message` pairs. */
export function notifyProblems(input: NotifyInput): { path: string; message: Text }[] {
  const problems: { path: string; message: Text }[] = [];
  if (!input.dedupeKey || input.dedupeKey.length > 200) {
    problems.push({
      path: 'dedupeKey',
      message: { zh: '去重键应为 1–200 个字符', en: 'the dedupe key must be 1–200 characters' },
    });
  }
  if (input.link != null && !LINK.test(input.link)) {
    problems.push({
      path: 'link',
      message: { zh: '链接应为本站内的路径', en: 'the link must be a path inside the app' },
    });
  }
  if (input.sms) {
    const check = checkMobile(input.sms.mobile);
    if (!check.valid && check.message)
      problems.push({ path: 'sms.mobile', message: check.message });
  }
  if (input.email && !EMAIL.test(input.email.address)) {
    problems.push({
      path: 'email.address',
      message: { zh: '电子邮箱地址格式不正确', en: 'the email address is not valid' },
    });
  }
  return problems;
}

/** A recipient fit for logs and the operations view: 138****5678, z***@example.cn. */
export function maskRecipient(channel: Channel, recipient: string): string {
  if (channel === 'sms') return maskIdentifier('mobile', recipient);
  const at = recipient.indexOf('@');
  if (at < 1) return '***';
  return `${recipient[0]}***${recipient.slice(at)}`;
}

/** The text of an SMS: the platform's signature, title and body (Chinese, as SMS gateways expect). */
export function smsText(message: Pick<OutgoingMessage, 'title' | 'body'>): string {
  return `【一件事】${message.title.zh}：${message.body.zh}`;
}

-- Notifications and domain events: in-app messages, the outbox of external messages (SMS, email)
-- and the domain events capabilities publish in the transaction that causes them.
-- Plain PostgreSQL 15 SQL that PGlite, PostgreSQL and Citus all accept.

-- A fact one capability records for others to act on, written in the causing transaction.
create table domain_events (
  id uuid primary key default gen_random_uuid(),
  type text not null check (type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  -- what makes the event unique within its type (e.g. the case id and its decision), so that
  -- publishing the same event again is a no-op
  key text not null check (length(key) between 1 and 200),
  region_code text not null,
  payload jsonb not null default '{}',
  occurred_at timestamptz not null,
  unique (type, key)
);
create index domain_events_type_idx on domain_events (type, occurred_at);

-- One row per (event, handler) that has been tried: delivered_at is set in the handler's own
-- transaction, so the handler's effects and the record that it ran commit together, exactly once.
create table domain_event_deliveries (
  event_id uuid not null references domain_events (id) on delete cascade,
  handler text not null,
  delivered_at timestamptz,
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  primary key (event_id, handler)
);

-- In-app messages (站内消息) of one user.
create table messages (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  title jsonb not null,
  body jsonb not null,
  -- a path inside the web app the message leads to
  link text check (link ~ '^/($|[^/\\])'),
  dedupe_key text not null,
  created_at timestamptz not null,
  read_at timestamptz,
  unique (user_id, dedupe_key)
);
create index messages_user_idx on messages (user_id, created_at desc);
create index messages_unread_idx on messages (user_id) where read_at is null;

-- Messages for external channels, delivered at least once by the outbox worker; the unique key
-- keeps one event from being sent twice to the same recipient.
create table outbox (
  id uuid primary key default gen_random_uuid(),
  channel text not null check (channel in ('sms', 'email')),
  recipient text not null,
  kind text not null,
  title jsonb not null,
  body jsonb not null,
  link text,
  dedupe_key text not null,
  state text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  -- while sending: when another worker may take the row over (the sender may have crashed)
  lease_until timestamptz,
  last_error text,
  reference text,
  created_at timestamptz not null,
  sent_at timestamptz,
  unique (channel, recipient, dedupe_key)
);
create index outbox_due_idx on outbox (next_attempt_at) where state in ('pending', 'sending');
create index outbox_state_idx on outbox (state, created_at desc);

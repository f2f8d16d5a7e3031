-- Hotline (12345 接诉即办): the category taxonomy with its dispatch routes, tickets and their closed
-- loop (dispatch, sign-for, return, extension, reply, review, callback, reopen, escalation), events,
-- attachments, weekly rollups for the analysis, and Open311 API keys.
-- Ticket tables carry region_code so that a distributed engine (Citus) can co-locate by it.

create sequence hotline_ticket_number_seq;

-- Groups (parent_code null) and the categories tickets are filed under.
create table hotline_categories (
  code text primary key check (code ~ '^[A-Z0-9][A-Z0-9-]{0,31}$'),
  parent_code text references hotline_categories (code),
  name_zh text not null,
  name_en text not null,
  description_zh text not null default '',
  description_en text not null default '',
  -- Open311 GeoReport v2 service_code and group; categories only, never groups
  service_code text unique,
  open311_group text not null default '',
  keywords jsonb not null default '[]',
  -- Open311 service definition attributes: [{code, datatype, required, description, values}]
  attributes jsonb not null default '[]',
  active boolean not null default true,
  sort integer not null default 0,
  updated_at timestamptz not null default now(),
  check ((parent_code is null) = (service_code is null))
);

-- Default responsible department of a category in a region (派单规则); the nearest region wins.
create table hotline_routes (
  category_code text not null references hotline_categories (code),
  region_code text not null references regions (code),
  department_id uuid not null references departments (id),
  primary key (category_code, region_code)
);

create table hotline_tickets (
  id uuid primary key,
  -- 工单号, e.g. GD20250930000123
  number text not null unique,
  -- 查询码 told to the requester: opens the public tracking page; also the Open311 token
  track_code text not null unique,
  channel text not null check (
    channel in ('phone', 'web', 'app', 'mailbox', 'entrepreneur_day', 'wenzheng', 'open311')
  ),
  type text not null check (
    type in ('consult', 'help', 'complaint', 'report', 'suggestion', 'praise')
  ),
  category_code text not null references hotline_categories (code),
  region_code text not null references regions (code),
  address text not null default '',
  lat double precision check (lat between -90 and 90),
  lng double precision check (lng between -180 and 180),
  title text not null,
  content text not null,
  urgency text not null check (urgency in ('normal', 'urgent', 'very_urgent')),
  enterprise boolean not null default false,
  enterprise_name text,
  enterprise_uscc text,
  -- identity protection: anonymous callers leave no name or number; confidential ones are never
  -- shown to handling units; only disclosed tickets show text and place in public (Open311)
  anonymous boolean not null default false,
  confidential boolean not null default false,
  disclose boolean not null default false,
  requester_name text,
  requester_mobile text,
  requester_subject_id uuid references subjects (id),
  attributes jsonb not null default '{}',
  media_url text,
  status text not null check (
    status in ('registered', 'dispatched', 'handling', 'returned', 'replied', 'reviewed', 'closed')
  ),
  resolution text check (
    resolution in ('direct', 'handled', 'merged', 'unreachable', 'unreasonable')
  ),
  -- the deadline rule (data/hotline/profiles.yaml) of the current dispatch
  profile text not null,
  lead_department_id uuid references departments (id),
  suggested_department_id uuid references departments (id),
  -- dispatch rounds: 1 for the first dispatch, +1 for each re-dispatch and reopening
  round integer not null default 0,
  related_ticket_id uuid references hotline_tickets (id),
  relation text check (relation in ('duplicate', 'repeat')),
  reopen_count integer not null default 0,
  escalation_level integer not null default 0,
  escalated_at timestamptz,
  -- deadlines of the current round, on the region's working-day calendar
  sign_due_at timestamptz,
  contact_due_at timestamptz,
  finish_due_at timestamptz,
  return_until timestamptz,
  due_provisional boolean not null default false,
  extended_days integer not null default 0,
  callback_due_at timestamptz,
  dispatched_at timestamptz,
  signed_at timestamptz,
  contacted_at timestamptz,
  -- the direct answer, or the unit's reply
  answer text,
  replied_at timestamptz,
  -- when the result was accepted (direct answer, merge, accepted reply); null again on reopening
  finished_at timestamptz,
  on_time boolean,
  callback_attempts integer not null default 0,
  satisfaction text check (satisfaction in ('satisfied', 'basically_satisfied', 'unsatisfied')),
  closed_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (relation is null or related_ticket_id is not null),
  check (status <> 'closed' or resolution is not null)
);
create index hotline_tickets_status_idx on hotline_tickets (status, created_at desc);
create index hotline_tickets_lead_idx on hotline_tickets (lead_department_id, status);
create index hotline_tickets_created_idx on hotline_tickets (created_at);
create index hotline_tickets_updated_idx on hotline_tickets (updated_at);
create index hotline_tickets_mobile_idx on hotline_tickets (requester_mobile, created_at)
  where requester_mobile is not null;
create index hotline_tickets_place_idx on hotline_tickets (category_code, region_code, created_at);
create index hotline_tickets_open_due_idx on hotline_tickets (finish_due_at)
  where status in ('dispatched', 'handling');
create index hotline_tickets_escalated_idx on hotline_tickets (escalated_at)
  where escalation_level > 0;
create index hotline_tickets_related_idx on hotline_tickets (related_ticket_id)
  where related_ticket_id is not null;
create index hotline_tickets_requester_idx on hotline_tickets (requester_subject_id)
  where requester_subject_id is not null;

-- The units a ticket is dispatched to in each round: one lead (主办) and any assisting units (协办).
create table hotline_assignments (
  ticket_id uuid not null references hotline_tickets (id),
  round integer not null,
  department_id uuid not null references departments (id),
  region_code text not null,
  role text not null check (role in ('lead', 'assist')),
  status text not null check (status in ('dispatched', 'signed', 'replied', 'returned', 'ended')),
  dispatched_at timestamptz not null,
  dispatched_by uuid references users (id),
  sign_due_at timestamptz not null,
  signed_at timestamptz,
  signed_by uuid references users (id),
  -- an assisting unit's opinion for the lead unit (协办意见)
  opinion text,
  replied_at timestamptz,
  returned_at timestamptz,
  return_reason text,
  primary key (ticket_id, round, department_id)
);
create index hotline_assignments_queue_idx on hotline_assignments (department_id, status);

create table hotline_extensions (
  id uuid primary key,
  ticket_id uuid not null references hotline_tickets (id),
  region_code text not null,
  round integer not null,
  department_id uuid not null references departments (id),
  working_days integer not null check (working_days between 1 and 60),
  reason text not null,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  requested_by uuid not null references users (id),
  requested_at timestamptz not null,
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_note text,
  due_before timestamptz not null,
  due_after timestamptz
);
create unique index hotline_extensions_pending_idx on hotline_extensions (ticket_id)
  where status = 'pending';
create index hotline_extensions_status_idx on hotline_extensions (status, requested_at);

-- The timeline of a ticket, appended; `public` events show on the tracking page and in Open311 updates.
create table hotline_events (
  id bigint generated always as identity primary key,
  ticket_id uuid not null references hotline_tickets (id),
  region_code text not null,
  at timestamptz not null,
  action text not null,
  actor_id uuid references users (id),
  actor_name text not null,
  actor_role text,
  department_id uuid references departments (id),
  note text,
  public boolean not null default false,
  -- status of the ticket after the event
  status text not null,
  detail jsonb not null default '{}'
);
create index hotline_events_ticket_idx on hotline_events (ticket_id, id);
create index hotline_events_public_idx on hotline_events (at) where public;

create table hotline_attachments (
  id uuid primary key,
  ticket_id uuid not null references hotline_tickets (id),
  region_code text not null,
  filename text not null,
  -- sniffed from the bytes, not taken from the client
  content_type text not null,
  size integer not null check (size > 0),
  sha256 text not null,
  content bytea not null,
  uploaded_by uuid references users (id),
  uploaded_at timestamptz not null
);
create index hotline_attachments_ticket_idx on hotline_attachments (ticket_id);

-- Weekly rollups by week (Monday, Asia/Shanghai, of the ticket's creation), category and region,
-- kept in the same transaction as every ticket write: the analysis reads ~13 weeks of these instead
-- of scanning tickets. received: tickets; finished: result accepted; on_time: finished within the
-- limit; rated/satisfied: callbacks with a verdict / satisfied or mostly satisfied; reopened: tickets
-- reopened at least once; enterprise: enterprise demands; repeated: repeat complaints.
create table hotline_weekly_stats (
  week_start date not null,
  category_code text not null,
  region_code text not null,
  received integer not null default 0,
  finished integer not null default 0,
  on_time integer not null default 0,
  rated integer not null default 0,
  satisfied integer not null default 0,
  reopened integer not null default 0,
  enterprise integer not null default 0,
  repeated integer not null default 0,
  primary key (week_start, category_code, region_code)
);

-- Keys of Open311 clients (POST requests and updates); only a hash is kept.
create table hotline_api_keys (
  id uuid primary key,
  name text not null,
  key_hash text not null unique,
  -- the first characters, to recognise a key in lists
  key_prefix text not null,
  created_by uuid references users (id),
  created_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references users (id),
  last_used_at timestamptz
);

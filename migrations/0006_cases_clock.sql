-- Cases, part two: department cases (子件) on the working-day clock. One case per member of an
-- accepted application, released along the bundle's dependency graph; suspensions and extensions
-- as stored segments from which the due instants are recomputed; an append-only timeline.
-- Every table carries region_code so that a distributed engine (Citus) can co-locate by it.

create table cases (
  id uuid primary key,
  application_id uuid not null references applications (id),
  member_key text not null,
  region_code text not null,
  item_code text not null,
  item_version integer not null,
  department_code text not null,
  state text not null check (
    state in (
      'waiting', 'pending', 'accepted', 'in_review', 'approved', 'denied', 'result_issued',
      'returned_for_correction', 'suspended', 'withdrawn', 'deemed_approved'
    )
  ),
  -- members this case waits for (result_issued or deemed_approved releases it)
  after_members jsonb not null,
  -- the member's answers and form data, plus the results of the cases it waited for
  inputs jsonb not null,
  -- the decision and what it produced (licence number, reasons of a denial)
  results jsonb,
  -- limits as {value, unit: 'workdays' | 'hours'}; the statutory one may be absent
  committed_limit jsonb not null,
  statutory_limit jsonb,
  -- when the clock started (release); null while waiting
  started_at timestamptz,
  -- cached from started_at and the segments, for an indexed sweep; null while the clock is stopped
  committed_due_at timestamptz,
  statutory_due_at timestamptz,
  warn_at timestamptz,
  due_provisional boolean not null default false,
  -- the last warning recorded: none, yellow (近期到期), red (超期)
  warning text not null default 'none' check (warning in ('none', 'yellow', 'red')),
  -- the next instant the sweep has something to record (warn_at, then committed_due_at); null when
  -- nothing is left to record or the clock is stopped
  alert_at timestamptz,
  reviewer_id uuid references users (id),
  -- optimistic version, bumped by every transition (transitions also lock the row)
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz,
  unique (application_id, member_key)
);
create index cases_queue_idx on cases (department_code, state, committed_due_at);
create index cases_region_idx on cases (region_code, state, committed_due_at);
create index cases_alert_idx on cases (alert_at) where alert_at is not null;

-- Clock segments: suspensions (补正, 听证, 检验检测, 专家评审 — not counted) and extensions (法定延长).
create table case_clock_segments (
  id uuid primary key,
  case_id uuid not null references cases (id),
  region_code text not null,
  kind text not null check (
    kind in ('correction', 'hearing', 'testing', 'expert_review', 'extension')
  ),
  reason text not null,
  started_at timestamptz not null,
  -- suspensions: when the clock restarted (null while it is stopped)
  ended_at timestamptz,
  -- the state to resume to when a suspension ends
  resume_state text,
  -- extensions: the working days asked for, and the approval (null while awaiting it)
  days integer check (days is null or days between 1 and 60),
  requested_by uuid references users (id),
  approved_at timestamptz,
  approved_by uuid references users (id),
  check ((kind = 'extension') = (days is not null))
);
create index case_clock_segments_case_idx on case_clock_segments (case_id, started_at);

-- What happened to a case, appended and never changed.
create table case_events (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases (id),
  application_id uuid not null references applications (id),
  region_code text not null,
  at timestamptz not null,
  action text not null,
  from_state text,
  to_state text,
  actor_id uuid references users (id),
  actor_name text not null,
  actor_role text,
  note text,
  detail jsonb
);
create index case_events_case_idx on case_events (case_id, id);
create index case_events_app_idx on case_events (application_id, id);

-- 好差评 (evaluations): the services that may be rated, ratings, and the rectification of bad ones.
-- Every table carries region_code (where the service was given) so that a distributed engine can
-- co-locate a service, its ratings and their rectification.

-- A service given to someone that they may rate (一次一评、一事一评): an application completed, a
-- department case decided, a 12345 ticket closed, a visit at a window, an inspection. Recorded by
-- the evaluations capability from the other capabilities' domain events (or, for window visits,
-- by the clerk), so that ratings never read another capability's tables.
create table rateable_services (
  id uuid primary key,
  kind text not null check (kind in ('application', 'case', 'ticket', 'window_visit', 'inspection')),
  -- the application, case, ticket, visit or inspection
  target_id uuid not null,
  region_code text not null references regions (code),
  -- what was done, as the rater recognises it: {zh, en}
  title jsonb not null,
  -- the application's or ticket's number, if any
  number text,
  -- the person or enterprise served; null for an anonymous visit at a window
  subject_id uuid references subjects (id),
  -- the unit answerable for the service (责任单位)
  department_code text not null references departments (code),
  item_code text,
  bundle_code text,
  -- the staff member who served (the clerk, the reviewer, the operator …), if one did
  staff_user_id uuid references users (id),
  -- the counter (窗口) where the service was given, e.g. 'xzsp-03'
  window_code text,
  completed_at timestamptz not null,
  -- ratings are taken until this instant (a number of working days after completion)
  rate_until timestamptz not null,
  created_at timestamptz not null,
  unique (kind, target_id)
);
create index rateable_services_subject_idx on rateable_services (subject_id, completed_at);

-- A visit at a window (窗口服务): opened by the clerk for the person in front of them; the counter
-- tablet shows its token's page, where the visitor rates once.
create table window_visits (
  id uuid primary key,
  -- SHA-256 of the random token the tablet page carries
  token_hash text not null unique,
  region_code text not null references regions (code),
  clerk_id uuid not null references users (id),
  department_code text not null references departments (code),
  window_code text not null,
  -- the application handled at the visit, if any (its number)
  application_number text,
  started_at timestamptz not null,
  expires_at timestamptz not null
);

-- One rating per rater per service: five levels (5 非常满意 … 1 非常不满意), reason tags, comment.
create table ratings (
  id uuid primary key,
  service_id uuid not null references rateable_services (id),
  region_code text not null references regions (code),
  -- the rater's subject; null for an anonymous rating at the counter
  rater_subject_id uuid references subjects (id),
  -- who entered it: the rater online, the operator on a callback; null at the counter tablet
  entered_by uuid references users (id),
  level smallint not null check (level between 1 and 5),
  tags jsonb not null default '[]',
  comment text,
  channel text not null check (channel in ('online', 'counter', 'callback')),
  real_name boolean not null,
  -- copied from the service, so that statistics read one table
  kind text not null,
  department_code text not null references departments (code),
  item_code text,
  bundle_code text,
  staff_user_id uuid references users (id),
  window_code text,
  -- a rating found malicious on appeal is kept, flagged, and left out of the statistics
  flagged boolean not null default false,
  flag_note text,
  rated_at timestamptz not null,
  unique (service_id, rater_subject_id)
);
create unique index ratings_one_anonymous_idx on ratings (service_id) where rater_subject_id is null;
create index ratings_stats_idx on ratings (region_code, rated_at);
create index ratings_rater_idx on ratings (rater_subject_id, rated_at);

-- 差评整改: a rating of 不满意 or 非常不满意 opens one for the answerable unit, due in working days.
create table rectifications (
  id uuid primary key,
  rating_id uuid not null unique references ratings (id),
  region_code text not null references regions (code),
  department_code text not null references departments (code),
  -- open → submitted → answered (approved, answer sent) → closed (the rater rated the answer);
  -- submitted → open (returned); open → appealed → dismissed (upheld: the rating was malicious)
  -- or → open (rejected)
  state text not null check (
    state in ('open', 'submitted', 'answered', 'closed', 'appealed', 'dismissed')
  ),
  due_at timestamptz not null,
  due_provisional boolean not null default false,
  explanation text,
  fix text,
  -- the answer to the rater (整改反馈)
  answer text,
  -- the unit's call back to a real-name rater (回访)
  callback_at timestamptz,
  callback_note text,
  submitted_at timestamptz,
  submitted_by uuid references users (id),
  review_note text,
  reviewed_at timestamptz,
  reviewed_by uuid references users (id),
  appeal_reason text,
  appeal_note text,
  -- the rater's verdict on the answer
  answer_satisfied boolean,
  answer_comment text,
  -- the unit's part was done by the due instant (set when the answer is approved)
  on_time boolean,
  closed_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index rectifications_queue_idx on rectifications (department_code, state, due_at);

-- What happened to a rectification, appended: who, what, when, with what note.
create table rectification_events (
  id uuid primary key,
  rectification_id uuid not null references rectifications (id),
  region_code text not null references regions (code),
  action text not null,
  actor_id uuid references users (id),
  actor_name text not null,
  note text,
  at timestamptz not null
);
create index rectification_events_idx on rectification_events (rectification_id, at);

-- Supervision (综合监管, 双随机一公开, 信用): the lists (inspection items, targets, inspectors),
-- plans and their auditable draws, inspections from filing to published result, and credit
-- records with their repair. Every table carries region_code for co-location by region.

-- 检查事项清单: what a department may inspect, on which legal basis, key or general, and the
-- most of the market it may sample in one plan.
create table inspection_items (
  code text primary key check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  department_code text not null references departments (code),
  name jsonb not null,
  legal_basis text not null,
  kind text not null check (kind in ('key', 'general')),
  max_ratio numeric(5, 4) not null check (max_ratio > 0 and max_ratio <= 1),
  created_at timestamptz not null
);

-- 检查对象名录: the market subjects that may be inspected, with industry and risk level.
create table inspection_targets (
  subject_id uuid primary key references subjects (id),
  region_code text not null references regions (code),
  industry text,
  risk_level text not null check (risk_level in ('low', 'medium', 'high')),
  updated_at timestamptz not null
);
create index inspection_targets_region_idx on inspection_targets (region_code);

-- 执法检查人员名录: certified inspectors (an account when they use the platform themselves).
create table inspectors (
  id uuid primary key,
  user_id uuid unique references users (id),
  name text not null,
  department_code text not null references departments (code),
  region_code text not null references regions (code),
  certificate_no text not null unique,
  certified_until date not null,
  active boolean not null default true,
  created_at timestamptz not null
);

-- Declared conflicts of interest (回避): the inspector is never drawn for that subject.
create table inspector_conflicts (
  inspector_id uuid not null references inspectors (id),
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  reason text not null,
  declared_at timestamptz not null,
  primary key (inspector_id, subject_id)
);

-- A random-inspection plan (抽查计划) and its draw: the inputs are frozen and the seed committed
-- (its hash published) before the draw; the seed is revealed with the result, so anyone can
-- re-run the draw and compare digests.
create table inspection_plans (
  id uuid primary key,
  number text not null unique,
  department_code text not null references departments (code),
  region_code text not null references regions (code),
  title text not null,
  item_codes jsonb not null,
  -- which targets: {regions: [...], industries: [...], riskLevels: [...]}
  filters jsonb not null,
  -- share drawn per credit grade: {A: 0.03, B: 0.05, C: 0.1, D: 0.2}
  tier_ratios jsonb not null,
  inspectors_per_target integer not null check (inspectors_per_target >= 2),
  max_tasks_per_inspector integer,
  starts_on date not null,
  ends_on date not null,
  state text not null check (state in ('draft', 'committed', 'drawn')),
  inputs jsonb,
  inputs_digest text,
  seed_hash text,
  seed text,
  result jsonb,
  draw_digest text,
  created_by uuid not null references users (id),
  created_at timestamptz not null,
  committed_at timestamptz,
  drawn_at timestamptz,
  check (ends_on >= starts_on)
);

-- An inspection of one enterprise (进一次门、查多项事): from one plan, or several departments'
-- plans merged into one joint inspection; filed before it happens, checked in at the door with
-- the enterprise's time-limited code, finished with findings, its result published within 20
-- working days of the end.
create table inspections (
  id uuid primary key,
  number text not null unique,
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  plan_ids jsonb not null,
  department_codes jsonb not null,
  item_codes jsonb not null,
  inspector_ids jsonb not null,
  starts_on date not null,
  ends_on date not null,
  state text not null check (state in ('planned', 'filed', 'checked_in', 'finished', 'published')),
  filed_at timestamptz,
  filed_by uuid references users (id),
  scheduled_on date,
  checkin_hash text,
  checkin_expires_at timestamptz,
  checked_in_at timestamptz,
  finished_at timestamptz,
  result text check (result in ('pass', 'issues', 'fail')),
  findings text,
  publish_due_at timestamptz,
  published_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index inspections_subject_idx on inspections (subject_id, state);
create index inspections_published_idx on inspections (published_at) where published_at is not null;

-- Every step of an inspection (全程留痕), append-only.
create table inspection_events (
  id bigserial primary key,
  inspection_id uuid not null references inspections (id),
  region_code text not null references regions (code),
  action text not null,
  actor_id uuid references users (id),
  note text,
  at timestamptz not null
);
create index inspection_events_inspection_idx on inspection_events (inspection_id, id);

-- Credit records (信用记录): penalties, abnormal-operation listings, commendations. The grade is
-- computed from the records in publication by published rules (src/supervision/credit.ts).
create table credit_records (
  id uuid primary key,
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  department_code text not null references departments (code),
  kind text not null check (kind in ('penalty', 'abnormal', 'commendation')),
  severity text not null check (severity in ('minor', 'general', 'serious')),
  title text not null,
  decided_on date not null,
  -- publication ends then at the latest; earlier when repaired
  publish_until date not null,
  -- credit repair may be asked for from then on
  repairable_from date not null,
  state text not null check (state in ('published', 'repaired')),
  repaired_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null
);
create index credit_records_subject_idx on credit_records (subject_id);

-- Credit repair (信用修复): the subject asks once the conditions are met; the department decides
-- within its limit; approval ends the record's publication.
create table credit_repairs (
  id uuid primary key,
  record_id uuid not null references credit_records (id),
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  department_code text not null references departments (code),
  statement text not null,
  state text not null check (state in ('submitted', 'approved', 'rejected')),
  due_at timestamptz not null,
  decided_at timestamptz,
  decided_by uuid references users (id),
  decision_note text,
  created_by uuid not null references users (id),
  created_at timestamptz not null
);
create unique index credit_repairs_open_idx on credit_repairs (record_id) where state = 'submitted';

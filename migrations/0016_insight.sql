-- Insight, the reform-task ledger (改革任务台账): the seed documents, one task per numbered
-- measure with its units and deadline, the units' progress reports (周调度/月报告), tick-off
-- (销号), and the mapping of unit names as the documents write them to platform departments.
-- Every table carries region_code for co-location by region.

-- A policy document whose measures are tracked.
create table ledger_documents (
  key text primary key,
  letter text,
  title text not null,
  number text,
  issued_on date,
  region_code text not null references regions (code),
  -- the plan's overall aims: {deadlines: [...], targets: [...]}
  goals jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- One reform task per measure; content comes from the seed, state and last report from the units.
create table ledger_tasks (
  id text primary key,
  document_key text not null references ledger_documents (key),
  region_code text not null references regions (code),
  seq integer not null,
  path jsonb not null,
  headings jsonb not null,
  title text not null,
  text text not null,
  lead_units jsonb not null,
  responsible_units jsonb not null,
  deadlines jsonb not null,
  -- the last dated deadline, else the document's goal deadline; null: ongoing (长期坚持)
  due_on date,
  targets jsonb not null,
  state text not null check (state in ('open', 'done')),
  done_at timestamptz,
  done_by uuid references users (id),
  done_note text,
  -- the latest progress report, kept here so warnings and boards are one scan of this table
  last_period text,
  last_status text check (last_status in ('on_track', 'at_risk', 'delayed', 'completed')),
  last_percent integer,
  last_reported_at timestamptz,
  version integer not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((state = 'done') = (done_at is not null))
);
create index ledger_tasks_document_idx on ledger_tasks (document_key, seq);
create index ledger_tasks_region_due_idx on ledger_tasks (region_code, state, due_on);

-- The units a task names: lead (牵头) or responsible (责任/配合).
create table ledger_task_units (
  task_id text not null references ledger_tasks (id),
  unit_name text not null,
  role text not null check (role in ('lead', 'responsible')),
  region_code text not null references regions (code),
  primary key (task_id, unit_name)
);
create index ledger_task_units_unit_idx on ledger_task_units (unit_name);

-- Unit names as the documents write them → the platform department that reports for them.
create table ledger_units (
  name text primary key,
  department_code text not null references departments (code),
  region_code text not null references regions (code)
);
create index ledger_units_department_idx on ledger_units (department_code);

-- A unit's progress report on a task for one period (2026-W47 weekly, 2026-11 monthly); a second
-- report of the same unit for the same period replaces the first.
create table ledger_reports (
  id uuid primary key,
  task_id text not null references ledger_tasks (id),
  region_code text not null references regions (code),
  unit_name text not null,
  department_code text references departments (code),
  period text not null check (period ~ '^\d{4}-(W\d{2}|\d{2})$'),
  status text not null check (status in ('on_track', 'at_risk', 'delayed', 'completed')),
  percent integer not null check (percent between 0 and 100),
  note text not null,
  evidence jsonb not null,
  reporter_id uuid not null references users (id),
  reported_at timestamptz not null,
  idempotency_key text unique,
  revision integer not null,
  unique (task_id, unit_name, period)
);
create index ledger_reports_task_idx on ledger_reports (task_id, reported_at);

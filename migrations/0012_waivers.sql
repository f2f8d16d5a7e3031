-- Waiving materials (免提交) and acting for an enterprise (法人办事).
--
-- 共享数据源: the other departments' data the platform can query instead of asking for a paper
-- (e.g. 公安人口库 for a household register). Catalog materials name them as `shared-data` sources;
-- a source waives a material only while it is connected (已对接).
create table shared_data_sources (
  name text primary key check (length(name) between 1 and 200),
  name_en text not null,
  department_code text not null references departments (code),
  -- which applicants it holds data on: person, enterprise or both
  subject_kinds text[] not null check (subject_kinds <@ array['person', 'enterprise']::text[]
                                       and cardinality(subject_kinds) > 0),
  connected boolean not null,
  note text,
  updated_at timestamptz not null
);

-- Every use of a licence or of shared data in place of a paper: attached to an application at
-- submission, or opened by the staff handling it. Appended, never changed; the holder sees it.
create table licence_uses (
  id uuid primary key,
  -- null for shared data and item results without a licence
  licence_id uuid references licences (id),
  source_kind text not null check (source_kind in ('licence', 'shared-data', 'item-result')),
  -- licence type name, shared-data source name or item code
  source_name text not null,
  holder_kind text not null check (holder_kind in ('person', 'enterprise')),
  holder_identifier text not null,
  application_id uuid not null references applications (id),
  application_number text not null,
  material_key text not null,
  material_name jsonb not null,
  action text not null check (action in ('attached', 'viewed')),
  -- the submitter, the assisting clerk or the reviewer; null: the system
  actor_id uuid references users (id),
  actor_name text not null,
  actor_role text,
  department_code text,
  purpose jsonb not null,
  region_code text not null references regions (code),
  at timestamptz not null
);
create index licence_uses_holder_idx on licence_uses (holder_kind, holder_identifier, at);
create index licence_uses_licence_idx on licence_uses (licence_id, at);
create index licence_uses_application_idx on licence_uses (application_id);

-- Who may act for an enterprise (法定代表人): recorded when its business licence is issued to the
-- person who applied for it, or by the demo data.
create table subject_representatives (
  enterprise_id uuid not null references subjects (id),
  person_id uuid not null references subjects (id),
  role text not null check (role in ('legal-rep')),
  since timestamptz not null,
  -- 'licence:<identifier>' or 'demo'
  source text not null,
  primary key (enterprise_id, person_id)
);
create index subject_representatives_person_idx on subject_representatives (person_id);

-- The enterprise a signed-in person is acting for, if any (switching 办事主体 keeps the session).
alter table sessions add column acting_subject_id uuid references subjects (id);

-- Cases, part one: applications for bundles (申请) and their intake (受理) — drafts, materials,
-- submission with idempotency keys, window pre-review (accept, 容缺, 补正, 不予受理) and notices.
-- Every table carries region_code so that a distributed engine (Citus) can co-locate by it.

create sequence application_number_seq;
create sequence application_notice_number_seq;

create table applications (
  id uuid primary key,
  -- human-readable number, e.g. YJS2026112200001 (prefix and date of creation + sequence)
  number text not null unique,
  bundle_code text not null references bundles (code),
  -- the published version applied for: the current one while a draft, fixed from submission on
  bundle_version integer not null,
  status text not null check (
    status in ('draft', 'submitted', 'accepted', 'correction', 'refused', 'withdrawn')
  ),
  channel text not null check (channel in ('online', 'window')),
  -- the bundle's region: clerks of this region and the regions above it take the application in
  region_code text not null references regions (code),
  subject_id uuid not null references subjects (id),
  -- the applicant as stated at application time: {kind, name, identifier, mobile?, address?}
  applicant jsonb not null,
  applicant_name text not null,
  created_by uuid not null references users (id),
  -- 帮办代办: the clerk who applied on the subject's behalf, and the subject's consent
  assisted_by uuid references users (id),
  consent jsonb,
  answers jsonb not null default '{}',
  data jsonb not null default '{}',
  -- material keys replaced by a 告知承诺 pledge
  pledges jsonb not null default '[]',
  -- what the application was submitted under, frozen at submission: bundle name, intake mode, lead
  -- department, the merged material list and the guide for the answers (null while a draft)
  snapshot jsonb,
  deficiency jsonb,
  correction jsonb,
  refusal jsonb,
  expected_by timestamptz,
  expected_provisional boolean,
  -- opens the public status page (QR code on notices); never shown in public replies
  public_token text not null unique,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  submitted_at timestamptz,
  accepted_at timestamptz,
  decided_at timestamptz,
  foreign key (bundle_code, bundle_version) references bundle_versions (bundle_code, version),
  check ((assisted_by is null) = (consent is null)),
  -- frozen at submission; a draft withdrawn before it was ever submitted has none
  check (status in ('draft', 'withdrawn') or snapshot is not null)
);
create index applications_subject_idx on applications (subject_id, updated_at desc);
create index applications_queue_idx on applications (region_code, status, submitted_at);

-- Idempotency keys of creating requests: one application per user and key, whatever the retries.
create table application_requests (
  user_id uuid not null references users (id),
  idempotency_key text not null check (length(idempotency_key) between 1 and 200),
  -- SHA-256 of the canonical request body: the same key with another body is a conflict
  request_hash text not null,
  application_id uuid not null references applications (id) deferrable initially deferred,
  created_at timestamptz not null,
  primary key (user_id, idempotency_key)
);

-- Uploaded materials: the bytes live in the database, never under the client's file name on disk.
create table application_uploads (
  id uuid primary key,
  application_id uuid not null references applications (id),
  region_code text not null,
  material_key text not null,
  -- the client's name, cleaned for display only
  filename text not null,
  -- sniffed from the bytes, not taken from the client
  content_type text not null,
  size integer not null check (size > 0),
  sha256 text not null,
  content bytea not null,
  uploaded_by uuid not null references users (id),
  uploaded_at timestamptz not null,
  -- removed by the applicant while editing; kept as evidence, no longer part of the application
  removed_at timestamptz,
  removed_by uuid references users (id)
);
create index application_uploads_app_idx on application_uploads (application_id, material_key);

-- What happened to an application, appended and never changed (the audit log has the full record).
create table application_events (
  id bigint generated always as identity primary key,
  application_id uuid not null references applications (id),
  region_code text not null,
  at timestamptz not null,
  action text not null,
  actor_id uuid references users (id),
  actor_name text not null,
  actor_role text,
  note text
);
create index application_events_app_idx on application_events (application_id, id);

-- Notices issued: 受理通知书, 补正材料通知书, 不予受理决定书.
create table application_notices (
  id uuid primary key,
  application_id uuid not null references applications (id),
  region_code text not null,
  kind text not null check (kind in ('acceptance', 'correction', 'refusal')),
  number text not null unique,
  issued_at timestamptz not null,
  issued_by uuid references users (id),
  issuer_name text not null,
  issuer_department text not null,
  -- what the notice states, kind by kind (materials accepted, deficiency, items to correct, reason)
  facts jsonb not null
);
create index application_notices_app_idx on application_notices (application_id, issued_at);

-- The members of an accepted application as they fan out to departments (cases, issue 5): the
-- catalog item, its department, its own answers and its part of the form data.
create table application_members (
  application_id uuid not null references applications (id),
  member_key text not null,
  region_code text not null,
  item_code text not null,
  -- the published catalog version of the item at acceptance
  item_version integer not null,
  department_code text not null,
  after_members jsonb not null,
  answers jsonb not null,
  data jsonb not null,
  starts_after_hours numeric not null,
  finishes_after_hours numeric not null,
  primary key (application_id, member_key)
);

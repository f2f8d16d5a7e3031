-- E-licences (电子证照): licence types, the platform's SM2 signing keys, issued licences and the
-- history of their status. Licence rows carry region_code so that a distributed engine (Citus) can
-- co-locate them by it. Dates of validity are stored as 'YYYY-MM-DD' text (Beijing calendar days),
-- so that both drivers hand back exactly what was signed.

-- 证照类型: what a licence of the type holds and who issues it.
create table licence_types (
  -- 证照类型代码 in the national form: the competent authority's credit code and a 3-digit number
  code text primary key check (code ~ '^[0-9A-Z]{18}[0-9]{3}$'),
  -- the short name the catalog uses (items name licence types by it)
  name_zh text not null unique,
  name_en text not null,
  department_code text not null references departments (code),
  holder_kind text not null check (holder_kind in ('person', 'enterprise')),
  -- [{key, label: {zh, en}, type}]
  fields jsonb not null default '[]',
  -- null: valid without an end date
  validity_years integer check (validity_years between 1 and 100),
  sort integer not null default 0,
  updated_at timestamptz not null default now()
);

-- One key pair per platform; old keys stay published so that old signatures still verify.
create table licence_signing_keys (
  id uuid primary key,
  -- uncompressed SM2 public key, hex (04 || x || y)
  public_key text not null unique,
  -- demo storage: production keeps the private key in a cipher machine (密码机), not in a table
  private_key text not null,
  created_at timestamptz not null default now(),
  active boolean not null default true
);
create unique index licence_signing_keys_one_active on licence_signing_keys (active) where active;

create sequence licence_serial_seq;

create table licences (
  id uuid primary key,
  -- 电子证照标识 (GB/T 36904-2018), with its ISO/IEC 7064 MOD 37,36 check character
  identifier text not null unique,
  type_code text not null references licence_types (code),
  holder_kind text not null check (holder_kind in ('person', 'enterprise')),
  -- resident ID or unified social credit code of the holder
  holder_identifier text not null,
  holder_name text not null,
  subject_id uuid references subjects (id),
  fields jsonb not null default '{}',
  issuer_department_code text not null references departments (code),
  issued_at timestamptz not null,
  valid_from text not null check (valid_from ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  valid_until text check (valid_until ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  -- expired is computed from valid_until, never stored
  status text not null check (status in ('valid', 'suspended', 'revoked', 'replaced')),
  status_reason text,
  replaced_by uuid references licences (id),
  -- one licence per case
  source_case_id uuid unique,
  region_code text not null references regions (code),
  signing_key_id uuid not null references licence_signing_keys (id),
  -- SM3 of the canonical form of the fixed content, and the SM2 signature over that form (r || s)
  content_hash text not null,
  signature text not null,
  version integer not null default 1,
  updated_at timestamptz not null,
  check (valid_until is null or valid_until >= valid_from),
  check ((status = 'replaced') = (replaced_by is not null))
);
create index licences_subject_idx on licences (subject_id);
create index licences_holder_idx on licences (holder_kind, holder_identifier);

-- Status changes are appended, never overwritten: who suspended, revoked or reinstated, and why.
create table licence_events (
  id uuid primary key,
  licence_id uuid not null references licences (id),
  region_code text not null references regions (code),
  action text not null check (action in ('issued', 'suspended', 'revoked', 'reinstated', 'replaced')),
  from_status text,
  to_status text not null,
  reason text,
  actor_id uuid references users (id),
  at timestamptz not null
);
create index licence_events_licence_idx on licence_events (licence_id, at);

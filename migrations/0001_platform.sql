-- Platform: regions, departments, subjects, users, sessions, audit log, calendar overrides.
-- Plain PostgreSQL 15 SQL that PGlite, PostgreSQL and Citus all accept.

create table regions (
  code text primary key,
  name_zh text not null,
  name_en text not null,
  parent_code text references regions (code),
  level text not null check (level in ('province', 'city', 'county', 'zone')),
  -- false for functional zones (经开区, 高区, 临港区, 综保区) that GB/T 2260 does not list
  standard boolean not null default true,
  created_at timestamptz not null default now()
);
create index regions_parent_idx on regions (parent_code);

create table departments (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name_zh text not null,
  name_en text not null,
  -- 统一社会信用代码 of the department (GB 32100)
  uscc text not null unique,
  region_code text not null references regions (code),
  created_at timestamptz not null default now()
);
create index departments_region_idx on departments (region_code);

-- Natural persons and market subjects known to the platform (统一身份认证).
create table subjects (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('person', 'enterprise')),
  name text not null,
  -- resident ID (GB 11643) for persons, unified social credit code (GB 32100) for enterprises
  identifier text not null unique,
  region_code text not null references regions (code),
  mobile text,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name text not null,
  password_hash text not null,
  role text not null check (
    role in ('citizen', 'enterprise', 'clerk', 'reviewer', 'operator', 'handler', 'inspector', 'supervisor', 'admin')
  ),
  region_code text not null references regions (code),
  department_id uuid references departments (id),
  subject_id uuid references subjects (id),
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  -- citizens and enterprises act for a subject; all staff belong to a department
  constraint users_binding check (
    case when role in ('citizen', 'enterprise')
      then subject_id is not null and department_id is null
      else department_id is not null and subject_id is null
    end
  )
);

create table sessions (
  -- SM3 hash of the cookie token; the token itself is never stored
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

-- Append-only, SM3-chained record of every state-changing action.
create table audit_log (
  -- gapless: assigned under a lock as last seq + 1, so a deleted entry shows as a gap
  seq bigint primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_role text,
  action text not null,
  object_type text not null,
  object_id text,
  ip text,
  request_id text,
  detail jsonb not null default '{}',
  prev_hash text not null,
  hash text not null unique
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- Per-region holidays and make-up working days that override the national calendar.
create table calendar_overrides (
  region_code text not null references regions (code),
  day date not null,
  kind text not null check (kind in ('workday', 'holiday')),
  name_zh text not null default '',
  name_en text not null default '',
  created_at timestamptz not null default now(),
  primary key (region_code, day)
);

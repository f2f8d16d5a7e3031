-- Policies (惠企惠民政策, 政策找人, 免申即享): policies with eligibility rules written as data,
-- the subjects' dossiers the rules read, who matches, and the grants paid without applying.

-- A policy: who issues it, from which document, when it applies, what it gives, how it reaches
-- people (apply / automatic grant / silent periodic re-check) and its eligibility rule.
create table policies (
  id uuid primary key,
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name jsonb not null,
  summary jsonb not null,
  -- the department that issues it and confirms and pays its grants
  department_code text not null references departments (code),
  -- where it applies: the issuing government's region (the rule may narrow it)
  region_code text not null references regions (code),
  source_document text not null,
  valid_from date not null,
  valid_until date,
  tags jsonb not null default '[]',
  -- apply: the subject applies (a link to the service); automatic: 免申即享, a grant is created on
  -- match; silent: 静默认证, a grant that is re-checked on a schedule and suspended when it fails
  mode text not null check (mode in ('apply', 'automatic', 'silent')),
  -- {kind: 'fixed', amount} or {kind: 'formula', attr, rate, min, max} (yuan); null: no money
  benefit jsonb,
  -- 直补快办: working days from match to payment
  pay_working_days integer not null default 10 check (pay_working_days between 1 and 60),
  -- 静默认证: days between re-checks
  recheck_days integer check (recheck_days between 1 and 366),
  -- where a subject applies (mode apply), a path of the hall
  apply_link text,
  rule jsonb not null,
  state text not null check (state in ('draft', 'published', 'withdrawn')),
  version integer not null default 1,
  updated_by uuid references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  published_at timestamptz
);

-- Facts about a subject that other departments' systems hold (营收, 从业人数, 纳税信用, 行业代码,
-- 成立日期, data tags such as 瞪羚企业 or 参保), received through data exchange (数据共享).
create table dossier_facts (
  subject_id uuid primary key references subjects (id),
  region_code text not null references regions (code),
  facts jsonb not null,
  -- where the facts came from, e.g. '税务局纳税信用评价 2026'
  source text not null,
  updated_by uuid references users (id),
  updated_at timestamptz not null
);

-- A subject's dossier as rules read it (rule.ts `Dossier`): assembled from the subject, its tags
-- and licences and its facts; rebuilt when any of them changes.
create table policy_dossiers (
  subject_id uuid primary key references subjects (id),
  region_code text not null references regions (code),
  kind text not null check (kind in ('person', 'enterprise')),
  dossier jsonb not null,
  updated_at timestamptz not null
);
create index policy_dossiers_updated_idx on policy_dossiers (updated_at);

-- Who meets a published policy, or misses it by exactly one condition (near miss), and why.
create table policy_matches (
  policy_id uuid not null references policies (id),
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  status text not null check (status in ('matched', 'near_miss')),
  -- the explanation's one-line summary {zh, en}
  summary jsonb not null,
  matched_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (policy_id, subject_id)
);
create index policy_matches_subject_idx on policy_matches (subject_id);

-- A grant of a 免申即享 or 静默认证 policy: created on match, confirmed and paid by the issuing
-- department within the policy's working days; a silent one is re-checked and may be suspended.
create table policy_grants (
  id uuid primary key,
  number text not null unique,
  policy_id uuid not null references policies (id),
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  department_code text not null references departments (code),
  amount numeric(14, 2),
  state text not null check (state in ('pending', 'confirmed', 'paid', 'rejected', 'suspended')),
  -- payment is due by then (直补快办: working days after the match)
  due_at timestamptz not null,
  confirmed_at timestamptz,
  paid_at timestamptz,
  payment_ref text,
  note text,
  -- 静默认证: when eligibility is next re-checked
  next_check_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (policy_id, subject_id)
);
create index policy_grants_department_idx on policy_grants (department_code, state, due_at);
create index policy_grants_subject_idx on policy_grants (subject_id);
create index policy_grants_check_idx on policy_grants (next_check_at) where next_check_at is not null;

-- The ledger (台账) of every grant: each step with who took it, the amount and a note. Append-only.
create table policy_grant_ledger (
  id bigserial primary key,
  grant_id uuid not null references policy_grants (id),
  region_code text not null references regions (code),
  action text not null check (
    action in ('created', 'confirmed', 'paid', 'rejected', 'recertified', 'suspended', 'resumed')
  ),
  actor_id uuid references users (id),
  amount numeric(14, 2),
  note text,
  at timestamptz not null
);
create index policy_grant_ledger_grant_idx on policy_grant_ledger (grant_id, id);

-- A second authentication factor for staff accounts (GB/T 22239 8.1.4.1 d, OWASP ASVS V2.8): a
-- time-based one-time password (TOTP, RFC 6238) and one-time recovery codes.

-- One authenticator per account. The shared secret is personal secret data and is stored sealed
-- (SM4 + HMAC-SM3, `sm4:1:…`, see src/platform/crypto). `confirmed_at` stays null while enrolment
-- waits for its first code; `last_used_step` is the 30-second step of the last accepted code, so
-- a code is accepted once (no replay).
create table user_second_factors (
  user_id uuid primary key references users (id) on delete cascade,
  secret text not null,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  last_used_step bigint
);

-- One-time recovery codes, stored as HMAC-SM3 under a key derived from the data key (never the
-- code itself); a used code keeps its row with `used_at` set.
create table user_recovery_codes (
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- A password accepted for an account that also needs its second factor: the short-lived challenge
-- the browser holds (by the SM3 hash of its cookie token) until the code is given.
create table sign_in_challenges (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  attempts integer not null default 0
);
create index sign_in_challenges_user_idx on sign_in_challenges (user_id);

-- Whether a session was opened (or confirmed) with the second factor: under
-- ONETHING_SECOND_FACTOR=required a staff session without it may only enrol.
alter table sessions add column second_factor boolean not null default false;

-- User administration (GB/T 22239 8.1.4.1 身份鉴别, 8.1.4.2 访问控制): an administrator creates staff
-- accounts and resets passwords with a temporary password that the account must replace at its
-- next sign-in; until it does, its sessions may only change the password.
alter table users add column password_change_required boolean not null default false;

-- When the account last signed in, set with the session (stale and unused accounts show in the
-- administrator's list, to be disabled in time).
alter table users add column last_signed_in_at timestamptz;

create index users_role_idx on users (role);

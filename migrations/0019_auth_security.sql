-- Security of sign-in: failed sign-ins count towards a lock-out only within a window
-- (ONETHING_LOCKOUT_WINDOW_MINUTES), so the instant of the last failure is kept with the count.

alter table users add column last_failed_at timestamptz;

-- Start-up sealing steps (src/platform/crypto/batches.ts) that went through under a data key: every
-- value written since is sealed under that key, so later starts skip the step's full scan until
-- the key changes (a rotation runs every step again). Deleting a row makes the next start run that
-- step again (after an upgrade during which servers of a release before sealing still wrote).
create table sealing_steps (
  step text not null,
  key_id text not null,
  done_at timestamptz not null default now(),
  primary key (step, key_id)
);

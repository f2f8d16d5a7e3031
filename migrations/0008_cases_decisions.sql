-- Cases, part three: rule-based decisions (智能审批 / 秒批), deemed approval on timeout (超时默认)
-- and the result notice (办结通知书) of the combined result package.

-- The item's decision rules as they stood when the case was created (catalog `decision`): whether
-- the case is decided by its checks without a person, the checks, what an automatic approval
-- issues and whether the case is deemed approved when its committed limit runs out. Frozen with
-- the case, like the item version, so a later catalog edit does not change a running case.
alter table cases add column decision jsonb;

alter table application_notices drop constraint application_notices_kind_check;
alter table application_notices add constraint application_notices_kind_check
  check (kind in ('acceptance', 'correction', 'refusal', 'result'));

-- Idempotency keys of case actions: a retried action (a reply lost to a timeout or a crash) with
-- the same key returns the case as the first one left it instead of a conflict; the same key for
-- another case, action or body is refused.
create table case_action_requests (
  user_id uuid not null references users (id),
  idempotency_key text not null check (length(idempotency_key) between 1 and 200),
  region_code text not null,
  case_id uuid not null references cases (id),
  action text not null,
  -- SHA-256 of the canonical case id, action and body
  request_hash text not null,
  created_at timestamptz not null,
  primary key (user_id, idempotency_key)
);

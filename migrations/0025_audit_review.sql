-- The audit log is reviewed in the workbench (GET /api/audit): filters on action, object, actor and
-- time, newest first by seq. Without these indexes each filter reads the whole log backwards. Each
-- ends in seq so that one action, record or actor is read in seq order straight from its index.
-- Building them on a large existing log holds writes to the log (and so every audited action) for
-- the time of the build; see docs/operations.md.
create index audit_log_action_idx on audit_log (action, seq);
create index audit_log_object_idx on audit_log (object_type, object_id, seq);
create index audit_log_actor_idx on audit_log (actor_id, seq);
create index audit_log_at_idx on audit_log (at);

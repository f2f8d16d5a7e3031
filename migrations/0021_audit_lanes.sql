-- The audit log becomes several SM3 chains ("lanes"), each gapless under its own lock, so that
-- writers about different records no longer queue on one lock held until commit. The entries
-- about one record share a lane (chosen from its type and id). Entries written before are lane 0,
-- whose place in the chain is their old sequence number, so their hashes verify unchanged.
-- `seq` stays the order of the whole log, now drawn from a sequence.
alter table audit_log add column lane smallint not null default 0;
alter table audit_log add column lane_seq bigint;
alter table audit_log disable trigger audit_log_no_update;
update audit_log set lane_seq = seq;
alter table audit_log enable trigger audit_log_no_update;
alter table audit_log alter column lane_seq set not null;
alter table audit_log alter column lane drop default;
alter table audit_log add constraint audit_log_lane_seq_key unique (lane, lane_seq);
create sequence audit_log_seq_seq owned by audit_log.seq;
select setval('audit_log_seq_seq', coalesce((select max(seq) from audit_log), 0) + 1, false);
alter table audit_log alter column seq set default nextval('audit_log_seq_seq');

-- Dossiers (一人一档 / 一企一档): the tags computed for each subject from the platform's own records,
-- and the log of every read of a dossier. Both carry region_code (the subject's) so that a
-- distributed engine (Citus) can co-locate them with the subject's other rows.

-- 标签: `<namespace>:<value>` (region:371002, kind:enterprise, licence:<type code>, industry:C,
-- size:micro, qualification:<type code>). Recomputed as a whole per subject, so no row is edited.
create table subject_tags (
  subject_id uuid not null references subjects (id),
  tag text not null check (tag ~ '^[a-z]+:.+$'),
  value text not null,
  -- what the tag was computed from: 'subject', or 'licence:<licence identifier>'
  source text not null,
  region_code text not null references regions (code),
  updated_at timestamptz not null,
  primary key (subject_id, tag)
);
-- policy matching and inspections ask "which subjects carry this tag, in these regions"
create index subject_tags_tag_idx on subject_tags (tag, region_code, subject_id);

-- Who read which dossier, when and why; appended, never changed. The subject sees it.
create table dossier_access_log (
  id uuid primary key,
  subject_id uuid not null references subjects (id),
  region_code text not null references regions (code),
  actor_id uuid not null references users (id),
  actor_role text not null,
  actor_name text not null,
  department_code text,
  reason text,
  at timestamptz not null
);
create index dossier_access_log_subject_idx on dossier_access_log (subject_id, at);

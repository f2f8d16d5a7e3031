-- Bundles (一件事): several service items applied for as one matter, versioned like items.

create table bundles (
  code text primary key check (code ~ '^[a-z][a-z0-9-]{0,62}$'),
  created_at timestamptz not null default now()
);

create table bundle_versions (
  bundle_code text not null references bundles (code),
  version integer not null check (version > 0),
  status text not null check (status in ('draft', 'published', 'superseded')),
  -- copied out of content for listing; content is the truth
  name_zh text not null,
  lead_department text not null references departments (code),
  content jsonb not null,
  -- the static checks' findings when it was last saved
  problems jsonb not null default '[]',
  based_on integer,
  created_by uuid references users (id),
  created_at timestamptz not null,
  published_by uuid references users (id),
  published_at timestamptz,
  superseded_at timestamptz,
  primary key (bundle_code, version),
  check ((status = 'draft') = (published_at is null))
);
create unique index bundle_one_published on bundle_versions (bundle_code) where status = 'published';
create unique index bundle_one_draft on bundle_versions (bundle_code) where status = 'draft';

-- A published version never changes: only its move to superseded is allowed, and nothing is deleted.
create function bundle_versions_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'published bundle versions cannot be deleted';
    end if;
    return old;
  end if;
  if old.status = 'draft' then
    return new;
  end if;
  if old.status = 'published' and new.status = 'superseded'
     and new.content = old.content and new.name_zh = old.name_zh
     and new.published_at = old.published_at and new.published_by is not distinct from old.published_by then
    return new;
  end if;
  raise exception 'published bundle versions are immutable';
end
$$;
create trigger bundle_versions_immutable before update or delete on bundle_versions
  for each row execute function bundle_versions_immutable();

-- Catalog: service items (政务服务事项) and their immutable published versions.

create table catalog_items (
  -- 实施编码: the item as implemented here
  code text primary key,
  -- 基本编码: the item in the national basic catalog
  basic_code text not null,
  created_at timestamptz not null default now()
);

create table catalog_item_versions (
  item_code text not null references catalog_items (code),
  version integer not null check (version > 0),
  status text not null check (status in ('draft', 'published', 'superseded')),
  -- copied out of content for filtering and listing; content is the truth
  name_zh text not null,
  department_code text not null references departments (code),
  type_code text not null,
  content jsonb not null,
  -- the published version this draft revises, if any
  based_on integer,
  created_by uuid references users (id),
  created_at timestamptz not null,
  published_by uuid references users (id),
  published_at timestamptz,
  superseded_at timestamptz,
  primary key (item_code, version),
  check ((status = 'draft') = (published_at is null))
);
create unique index catalog_one_published on catalog_item_versions (item_code)
  where status = 'published';
create unique index catalog_one_draft on catalog_item_versions (item_code) where status = 'draft';
create index catalog_versions_department on catalog_item_versions (department_code, status);

-- A published version never changes: only its move to superseded is allowed, and nothing is deleted.
create function catalog_versions_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'published catalog versions cannot be deleted';
    end if;
    return old;
  end if;
  if old.status = 'draft' then
    return new;
  end if;
  if old.status = 'published' and new.status = 'superseded'
     and new.content = old.content and new.name_zh = old.name_zh
     and new.department_code = old.department_code and new.type_code = old.type_code
     and new.published_at = old.published_at and new.published_by is not distinct from old.published_by then
    return new;
  end if;
  raise exception 'published catalog versions are immutable';
end
$$;
create trigger catalog_versions_immutable before update or delete on catalog_item_versions
  for each row execute function catalog_versions_immutable();

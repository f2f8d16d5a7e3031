-- Insight: the cockpit's figures kept up to date as the platform works. One row per Beijing day,
-- region and bundle (or ticket category), incremented by the handlers of the capabilities' domain
-- events in the delivery's transaction (exactly once), and rebuilt from the stored events. A
-- month's indicators for a region then sum a few thousand rows, not millions of records.

create table insight_application_days (
  day date not null,
  region_code text not null references regions (code),
  bundle_code text not null,
  submitted integer not null default 0,
  submitted_online integer not null default 0,
  completed integer not null default 0,
  completed_on_time integer not null default 0,
  -- completed on time with at most one visit committed (好办易办, docs/architecture.md)
  easy integer not null default 0,
  duration_hours double precision not null default 0,
  -- what the bundle saved against applying item by item (减环节、减材料、减跑动)
  saved_steps integer not null default 0,
  saved_materials integer not null default 0,
  saved_visits integer not null default 0,
  waived_materials integer not null default 0,
  primary key (day, region_code, bundle_code)
);

-- Completion times in buckets (edges in src/insight/indicators.ts), for percentiles.
create table insight_application_durations (
  day date not null,
  region_code text not null references regions (code),
  bundle_code text not null,
  bucket integer not null,
  n integer not null default 0,
  primary key (day, region_code, bundle_code, bucket)
);

create table insight_ticket_days (
  day date not null,
  region_code text not null references regions (code),
  category_code text not null,
  closed integer not null default 0,
  closed_on_time integer not null default 0,
  rated integer not null default 0,
  satisfied integer not null default 0,
  primary key (day, region_code, category_code)
);

-- Insight: the cockpit's panels and drill-down read department cases and 12345 tickets finished in
-- a period (by department and item, and the records behind a figure). With millions of rows a
-- period is a small slice: index the finishing instants so it is read by range, not by scan.

create index cases_finished_idx on cases (finished_at, region_code) where finished_at is not null;
create index hotline_tickets_closed_idx on hotline_tickets (closed_at, region_code)
  where closed_at is not null;

-- Policy matches made, grants created and paid, and inspections finished in a period.
create index policy_matches_matched_idx on policy_matches (matched_at);
create index policy_grants_created_idx on policy_grants (created_at);
create index policy_grants_paid_idx on policy_grants (paid_at) where paid_at is not null;
create index inspections_finished_idx on inspections (finished_at) where finished_at is not null;

-- Showing a licence (亮证): a holder makes a short-lived link (and its QR code) that shows a third
-- party the licence's verification and only the fields the holder chose. The token itself is never
-- stored, only its SHA-256, so a copy of the database cannot open a share. Rows carry region_code
-- (the licence's) so that a distributed engine can co-locate them with their licence.

create table licence_shares (
  id uuid primary key,
  licence_id uuid not null references licences (id),
  region_code text not null references regions (code),
  -- hex SHA-256 of the random token (at least 128 bits) handed to the holder once
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  -- the field keys the holder chose to show: ["uscc", "enterprise-name"]
  fields jsonb not null default '[]',
  created_by uuid not null references users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  -- set when the holder withdraws the share before it expires
  revoked_at timestamptz,
  view_count integer not null default 0 check (view_count >= 0),
  last_viewed_at timestamptz,
  check (expires_at > created_at)
);
create index licence_shares_licence_idx on licence_shares (licence_id, created_at);

-- Every opening of a share is appended, so the holder can see when it was looked at.
create table licence_share_views (
  id uuid primary key,
  share_id uuid not null references licence_shares (id),
  region_code text not null references regions (code),
  viewed_at timestamptz not null
);
create index licence_share_views_share_idx on licence_share_views (share_id, viewed_at);

-- Personal data at rest: a 12345 requester's name and mobile are stored sealed (SM4-CBC with
-- HMAC-SM3, `sm4:1:…`, see src/platform/crypto). Ciphertext has a fresh IV each time, so the same
-- number is found through a blind index instead: HMAC-SM3 of the normalized mobile under a key
-- derived from the data key (repeat callers, 重复来电).

alter table hotline_tickets add column requester_mobile_hash text;

-- The index on the mobile itself can no longer find anything once values are sealed.
drop index hotline_tickets_mobile_idx;
create index hotline_tickets_mobile_hash_idx on hotline_tickets (requester_mobile_hash, created_at)
  where requester_mobile_hash is not null;

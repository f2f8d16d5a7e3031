-- A real deployment (ONETHING_DEMO=off) seeds the departments the seed documents name with their
-- codes and names only: their unified social credit codes are not in the seed data, and a made-up
-- one must not reach a production register or an e-licence's issuer code. The administrator enters
-- the real code on the 区划与部门 page; until then it is null (still unique when set). A department
-- without one cannot issue e-licences.
alter table departments alter column uscc drop not null;

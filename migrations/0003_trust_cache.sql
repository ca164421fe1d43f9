-- Revocation and issuer caches of the trust module (issue 4): CRLs downloaded from distribution
-- points (one row per URL, replaced on refresh) and issuer certificates fetched from AIA
-- caIssuers URLs. Both are caches: losing them costs downloads, never correctness, because the
-- validator checks every CRL signature and freshness (thisUpdate/nextUpdate) before use.
CREATE TABLE crl_cache (
  url         text PRIMARY KEY,
  issuer      text NOT NULL,
  der         bytea NOT NULL,
  this_update timestamptz NOT NULL,
  next_update timestamptz,
  fetched_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crl_cache_next_update ON crl_cache (next_update);

CREATE TABLE fetched_certificates (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  url        text NOT NULL,
  subject    text NOT NULL,
  der        bytea NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);

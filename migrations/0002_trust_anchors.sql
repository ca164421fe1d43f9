-- The virtual certificate collection (issue 4): the root and intermediate CAs the gateway trusts.
-- The certificate is kept as DER; the other columns are facts taken from it at import time, for
-- listings and lookups. trust_generation is a single row bumped by a statement trigger on every
-- change of trust_anchors, so validation caches (in this and every other gateway instance) can
-- tell that their results are stale; the trigger also sends NOTIFY trust_anchors_changed.
CREATE TABLE trust_anchors (
  id        bigserial PRIMARY KEY,
  der       bytea NOT NULL,
  sha256    text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  subject   text NOT NULL,
  issuer    text NOT NULL,
  is_root   boolean NOT NULL,
  enabled   boolean NOT NULL DEFAULT true,
  not_after timestamptz NOT NULL,
  added_by  text NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trust_anchors_subject ON trust_anchors (subject);

CREATE TABLE trust_generation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL
);
INSERT INTO trust_generation (singleton, generation) VALUES (true, 1);

CREATE FUNCTION trust_anchors_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE trust_generation SET generation = generation + 1;
  PERFORM pg_notify('trust_anchors_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER trust_anchors_changed
  AFTER INSERT OR UPDATE OR DELETE ON trust_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION trust_anchors_bump_generation();

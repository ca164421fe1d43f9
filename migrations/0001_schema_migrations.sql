-- The migrations ledger itself is created by the runner; this first migration records the
-- gateway's identity so that a database of another application is recognised and refused.
CREATE TABLE gateway_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO gateway_meta (key, value) VALUES ('application', 'smimegw');

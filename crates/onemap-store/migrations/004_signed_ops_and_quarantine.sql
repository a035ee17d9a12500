-- Signed change sets and authority: per origin, the hash chain at its applied mark, its
-- public key and its latest credential; per op, the seal that closed its change set; and
-- the quarantine of ops refused, with the reason.
ALTER TABLE nodes ADD COLUMN chain BLOB;  -- NULL: no op applied yet (the genesis link)
ALTER TABLE nodes ADD COLUMN key   BLOB;  -- Ed25519 public key, once a seal named it
ALTER TABLE nodes ADD COLUMN cert  TEXT;  -- the latest credential (JSON) its seals carried
ALTER TABLE ops   ADD COLUMN seal  TEXT;  -- JSON, on the last op of each change set

-- Refused ops. `lseq` is set when the op is authentic and in the log but was not allowed
-- (it keeps its origin's sequence whole and is relayed, so every replica refuses it too);
-- NULL when its seal failed and it was never logged.
CREATE TABLE quarantine (
    id      INTEGER PRIMARY KEY,
    origin  BLOB    NOT NULL,
    seq     INTEGER NOT NULL,
    lseq    INTEGER REFERENCES ops (lseq),
    op      TEXT    NOT NULL,
    reason  TEXT    NOT NULL,
    at      INTEGER NOT NULL  -- unix milliseconds
) STRICT;

-- The op log and its projections. Everything but `ops` and `meta` can be rebuilt from `ops`.

-- Replica identity and settings: node_id, centre.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Replicas whose ops this log holds, numbered locally so the log stays small, with the
-- highest sequence number applied: every op of that origin up to `applied` is in `ops`,
-- none above it (ops of one origin are applied in order, so this is also the version
-- vector a sync peer asks from).
CREATE TABLE nodes (
    id       INTEGER PRIMARY KEY,
    node     BLOB    NOT NULL UNIQUE,
    applied  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Ops that arrived before one of their origin's earlier ops; applied when it arrives.
CREATE TABLE parked (
    origin  INTEGER NOT NULL REFERENCES nodes (id),
    seq     INTEGER NOT NULL,
    op      TEXT    NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;

-- The operation log. `lseq` is the local apply order: the change feed and the cursor every
-- sync peer reads the outbox from. `(origin, seq)` identifies an op on every replica; it is
-- unique because `nodes.applied` admits each op once (no index needed).
CREATE TABLE ops (
    lseq    INTEGER PRIMARY KEY,
    origin  INTEGER NOT NULL REFERENCES nodes (id),
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    hlc     INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    entity  BLOB    NOT NULL,
    change  TEXT    NOT NULL,
    intent  TEXT    NOT NULL
) STRICT;

-- The projection of each entity.
-- `doc`: per-field last-writer-wins, the winning value of each field.
-- `stamps`: which `(hlc, origin, seq)` stamp won which fields, as
--   {"hlc16hex:origin-uuid:seq16hex": ["field", ...]}; the text order of a stamp is its order.
--   The stamp that won the most fields is stored as {"<stamp>": "*"}: every field not listed
--   under another stamp (most records are written by one op).
-- `balances`: ledger balances by account, the sum of every movement op on it. Sums commute,
--   so the order in which movements arrive never matters.
CREATE TABLE entities (
    kind     TEXT    NOT NULL,
    id       BLOB    NOT NULL,
    doc      TEXT    NOT NULL,
    stamps   TEXT    NOT NULL,
    balances TEXT    NOT NULL,
    lseq     INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT; -- a rowid table: its rows are too large for WITHOUT ROWID to pay off

-- Append-only events (decisions, journal lines), one per op.
CREATE TABLE events (
    lseq   INTEGER PRIMARY KEY REFERENCES ops (lseq),
    kind   TEXT    NOT NULL,
    id     BLOB    NOT NULL,
    event  TEXT    NOT NULL
) STRICT;
CREATE INDEX events_entity ON events (kind, id);

-- Sync cursors: the last local op sent to / received from each peer, committed in the same
-- transaction as the ops it covers.
CREATE TABLE peers (
    peer       TEXT    PRIMARY KEY,
    sent_lseq  INTEGER NOT NULL DEFAULT 0,
    heard_at   INTEGER
) STRICT;

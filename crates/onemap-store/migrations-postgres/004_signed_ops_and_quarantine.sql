-- Signed change sets and authority (see migrations/004_signed_ops_and_quarantine.sql).
ALTER TABLE nodes ADD COLUMN chain BYTEA;
ALTER TABLE nodes ADD COLUMN key   BYTEA;
ALTER TABLE nodes ADD COLUMN cert  TEXT;
ALTER TABLE ops   ADD COLUMN seal  TEXT;

CREATE TABLE quarantine (
    id      BIGSERIAL PRIMARY KEY,
    origin  UUID   NOT NULL,
    seq     BIGINT NOT NULL,
    lseq    BIGINT REFERENCES ops (lseq),
    op      TEXT   NOT NULL,
    reason  TEXT   NOT NULL,
    at      BIGINT NOT NULL
);

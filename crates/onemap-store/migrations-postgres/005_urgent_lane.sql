-- Two lanes per node (see migrations/005_urgent_lane.sql).
ALTER TABLE nodes ADD COLUMN lane SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE ops   ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX ops_urgent ON ops (lseq) WHERE urgent;

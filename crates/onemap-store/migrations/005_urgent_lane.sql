-- Two lanes per node: an urgent lane's ops (decisions, orders, casualty figures) are read
-- ahead of routine ones by every link, through a partial index of just those ops.
ALTER TABLE nodes ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;  -- 0 routine, 1 urgent
ALTER TABLE ops   ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ops_urgent ON ops (lseq) WHERE urgent = 1;

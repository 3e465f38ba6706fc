-- Whether quotations changed since the last grouping: a row here means
-- the next ingest must work out which quotations are dirty and regroup
-- them; none means nothing is dirty.
--
-- Why: working dirtiness out reads every quotation's membership and
-- every utterance's count (src/store/group.rs). On a 100,000-article
-- database that was 0.7 to 1 s of a re-ingest of unchanged articles
-- that wrote nothing, a fifth of it. The row is written in the same
-- transaction as the quotations that make it true (src/store/write.rs,
-- write_article) and deleted in the grouping's own, so an ingest killed
-- before its grouping leaves it for the next, as the dirtiness itself
-- would have.
CREATE TABLE grouping_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

-- A database from before this migration may have been left ungrouped by
-- an ingest that was killed: its next ingest checks.
INSERT INTO grouping_pending (id) VALUES (1);

-- Indexes shaped like the listings that read them, so that `quotes
-- --speaker` and `report --speaker` read a speaker's rows in the order
-- they print them, from a few contiguous pages, instead of looking every
-- row up across the file and sorting the lot.
--
-- Why: on a 100,000-article database, Putin's 54,764 quotations were
-- found through quotations_speaker_id, then each row was fetched from
-- quotations, articles (rows kilobytes long: the text), renderings (rows
-- with their words) and utterances, and the whole result was sorted by
-- article path: about 420 ms, nearly all of it B-tree lookups. Now the
-- rows come out of quotations_listing already in order, and what is
-- looked up per row is small and close together.

-- The path of the quotation's article, copied so that an index on
-- quotations can hold the listings' order (article path, then offset):
-- SQLite cannot index a column of another table. An article's path is
-- what identifies it (articles.path is UNIQUE, and an article stored
-- again under its path keeps its row and its path), so the copy never
-- goes stale: the writer sets it when it inserts the quotation
-- (src/store/write.rs, insert_quotation), and quotations are never
-- updated, only deleted with their article's old version.
ALTER TABLE quotations ADD COLUMN article_path TEXT NOT NULL DEFAULT '';

UPDATE quotations
SET article_path = (SELECT path FROM articles WHERE articles.id = quotations.article_id);

-- One speaker's quotations in listing order, with every column a listing
-- prints: `quotes --speaker` streams them from this index alone, without
-- a sort and without reading the quotations table. quotations_speaker_id
-- stays: it is the narrow index for counting a speaker's quotations.
CREATE INDEX quotations_listing ON quotations (
    speaker_id, article_path, start, id,
    article_id, end, text, mention_start, mention_end, cue, cited, form,
    partial, rule, confidence
);

-- What a listing needs of an article besides its path, without reading
-- the article's row (which holds its text: a lookup in the table touches
-- a page per article). SQLite's planner, which does not know how long
-- the rows are, prefers the rowid; the listing asks for this index by
-- name (INDEXED BY).
CREATE INDEX articles_listing ON articles (id, outlet_id, published);

-- The key of the quotation's rendering, copied from renderings.key so a
-- listing gets a quotation's rendering, and its utterance (the part of
-- the key before the '/'), from this table alone rather than from two
-- more lookups. It cannot go stale: a membership row is written with its
-- rendering (src/store/group.rs, write) and is the row deleted with it
-- (by grouping, or by ON DELETE CASCADE when a quotation goes), and
-- neither a membership's rendering nor a rendering's key is ever updated.
ALTER TABLE quotation_renderings ADD COLUMN rendering_key TEXT NOT NULL DEFAULT '';

UPDATE quotation_renderings
SET rendering_key = (SELECT key FROM renderings WHERE renderings.id = rendering_id);

-- A speaker's utterances, the most quoted first: `report --speaker`
-- reads its first N entries instead of every utterance of the speaker.
CREATE INDEX utterances_ranking ON utterances (speaker_id, quotations DESC, key);

-- The circular's own Hindi version (title, required actions, family summary; migration 0019) is searched like the
-- English (docs/decisions/0074). PostgreSQL 15 cannot change a generated column's expression, so each search
-- column is dropped (its index with it) and added again. The 'english' configuration's parser reads Devanagari
-- words whole (vowel signs included) and its stemmer leaves them as they are, so one configuration serves both
-- languages and the query side is unchanged. The text is put in Unicode form NFC first (the query is too), so
-- a nukta typed as its own mark (फ + ़) and the precomposed letter (फ़) find each other; the stored text itself
-- stays as typed. Adding a stored generated column rewrites the table without firing row triggers, so the
-- immutability trigger on circular_revisions is not involved.

ALTER TABLE circular_revisions DROP COLUMN search_vector;
ALTER TABLE circular_revisions ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, normalize(reference_number || ' ' || title || ' ' || hindi_title, NFC)), 'A')
    || setweight(to_tsvector('english'::regconfig, normalize(summary, NFC)), 'B')
    || setweight(to_tsvector('english'::regconfig, normalize(background || ' ' || risk_assessment || ' ' || impact || ' '
        || required_actions || ' ' || "references" || ' ' || family_summary || ' ' || hindi_required_actions || ' '
        || hindi_family_summary, NFC)), 'C')
) STORED;
CREATE INDEX ix_circular_revisions_search_vector ON circular_revisions USING gin (search_vector);

ALTER TABLE circulars DROP COLUMN search_vector;
ALTER TABLE circulars ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, normalize(coalesce(reference_number, '') || ' ' || title || ' ' || hindi_title, NFC)), 'A')
    || setweight(to_tsvector('english'::regconfig, normalize(summary, NFC)), 'B')
    || setweight(to_tsvector('english'::regconfig, normalize(background || ' ' || risk_assessment || ' ' || impact || ' '
        || required_actions || ' ' || "references" || ' ' || family_summary || ' ' || hindi_required_actions || ' '
        || hindi_family_summary, NFC)), 'C')
) STORED;
CREATE INDEX ix_circulars_search_vector ON circulars USING gin (search_vector);

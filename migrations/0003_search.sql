-- Full-text search over circulars. Two generated columns: the published revision (what readers
-- search) and the working copy (what officers search, drafts and amendments in progress included).
-- Weights: reference number and title A, summary B, the other public sections C. Internal notes are
-- never indexed, so no search, snippet or rank can reveal them. 'english' is named explicitly: the
-- expression must be immutable, and a changed default_text_search_config must not change the index.

ALTER TABLE circular_revisions ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, reference_number || ' ' || title), 'A')
    || setweight(to_tsvector('english'::regconfig, summary), 'B')
    || setweight(to_tsvector('english'::regconfig, background || ' ' || risk_assessment || ' ' || impact || ' '
        || required_actions || ' ' || "references" || ' ' || family_summary), 'C')
) STORED;
CREATE INDEX ix_circular_revisions_search_vector ON circular_revisions USING gin (search_vector);

ALTER TABLE circulars ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(reference_number, '') || ' ' || title), 'A')
    || setweight(to_tsvector('english'::regconfig, summary), 'B')
    || setweight(to_tsvector('english'::regconfig, background || ' ' || risk_assessment || ' ' || impact || ' '
        || required_actions || ' ' || "references" || ' ' || family_summary), 'C')
) STORED;
CREATE INDEX ix_circulars_search_vector ON circulars USING gin (search_vector);

-- A circular's own Hindi version (docs/decisions/0017-circular-text-and-its-hindi-version.md): the officer writes a
-- Hindi title, family summary and required actions beside the English; they are part of the working copy and of
-- every published revision (so the four-eyes approval covers them and the diff shows them). Empty means "not
-- translated": readers of Hindi then see the English and are told so. Adding a column with a constant default
-- rewrites no row, so the immutability trigger on circular_revisions is not involved.
ALTER TABLE circulars
    ADD COLUMN hindi_title character varying(200) NOT NULL DEFAULT '',
    ADD COLUMN hindi_family_summary text NOT NULL DEFAULT '',
    ADD COLUMN hindi_required_actions text NOT NULL DEFAULT '';

ALTER TABLE circular_revisions
    ADD COLUMN hindi_title character varying(200) NOT NULL DEFAULT '',
    ADD COLUMN hindi_family_summary text NOT NULL DEFAULT '',
    ADD COLUMN hindi_required_actions text NOT NULL DEFAULT '';

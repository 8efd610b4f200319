-- Each account keeps the language its pages are shown in (docs/decisions/0070): "en" or "hi" today.
-- A code the portal does not offer is treated as English when read, so no CHECK constraint pins the list.

ALTER TABLE users ADD COLUMN language character varying(10) NOT NULL DEFAULT 'en';

-- Notices addressed to an account rather than a staff record (vendor users, the officers' staleness digest) are
-- counted on every page a signed-in person opens (the inbox link) and listed in /inbox. Without an index on the
-- account, that count scanned every in-app notice of the organisation on every page
-- (docs/decisions/0062-the-circular-page-at-the-peak.md).
CREATE INDEX ix_notifications_account_inbox ON notifications (user_id, created_at) WHERE channel = 'InApp';

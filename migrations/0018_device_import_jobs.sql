-- Imports run as background work (docs/decisions/0052-device-import-jobs-and-benchmarks.md): the officer's confirmation
-- queues the import; a worker on any instance takes it (transaction-scoped advisory lock), writes its progress on its
-- own connection so every instance can show it, and completes it in one transaction.
ALTER TABLE device_imports DROP CONSTRAINT ck_device_imports_state;
ALTER TABLE device_imports ADD CONSTRAINT ck_device_imports_state
    CHECK (state IN ('Uploaded', 'Queued', 'Running', 'Completed', 'Failed'));
ALTER TABLE device_imports
    ADD COLUMN queued_at timestamp with time zone,
    ADD COLUMN started_at timestamp with time zone,
    ADD COLUMN rows_done integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_rejected integer NOT NULL DEFAULT 0,
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN failure character varying(500);
CREATE INDEX ix_device_imports_queued_at ON device_imports (queued_at) WHERE state IN ('Queued', 'Running');

-- The exemption-ended alert names the device (masked IMEI, model, owner): the notification says which device.
ALTER TABLE notifications ADD COLUMN device_id uuid;

-- MDM systems import device inventories through the API (scope devices.import, docs/decisions/0053): an import is
-- uploaded either by an officer (uploaded_by_id) or by an API client (uploaded_by_client_id), never both.
ALTER TABLE device_imports ALTER COLUMN uploaded_by_id DROP NOT NULL;
ALTER TABLE device_imports ADD COLUMN uploaded_by_client_id uuid;
ALTER TABLE device_imports ADD CONSTRAINT fk_device_imports_api_clients_uploaded_by_client_id
    FOREIGN KEY (uploaded_by_client_id) REFERENCES api_clients (id) ON DELETE RESTRICT;
ALTER TABLE device_imports ADD CONSTRAINT ck_device_imports_uploader
    CHECK (num_nonnulls(uploaded_by_id, uploaded_by_client_id) = 1);
CREATE INDEX ix_device_imports_uploaded_by_client_id ON device_imports (uploaded_by_client_id);

-- The token server (docs/decisions/0030-token-server.md): OpenIddict's applications, authorizations, scopes and
-- tokens (its EF Core model, Guid keys, our table names), the token signing and encryption keys every instance
-- shares, and the portal's own record of each API client (kind, vendor organisation, last use, revocation).

CREATE TABLE openiddict_applications (
    id uuid NOT NULL,
    application_type character varying(50),
    client_id character varying(100),
    client_secret text,
    client_type character varying(50),
    concurrency_token character varying(50),
    consent_type character varying(50),
    display_name text,
    display_names text,
    json_web_key_set text,
    permissions text,
    post_logout_redirect_uris text,
    properties text,
    redirect_uris text,
    requirements text,
    settings text,
    CONSTRAINT pk_openiddict_applications PRIMARY KEY (id)
);

CREATE TABLE openiddict_authorizations (
    id uuid NOT NULL,
    application_id uuid,
    concurrency_token character varying(50),
    creation_date timestamp with time zone,
    properties text,
    scopes text,
    status character varying(50),
    subject character varying(400),
    type character varying(50),
    CONSTRAINT pk_openiddict_authorizations PRIMARY KEY (id),
    CONSTRAINT fk_openiddict_authorizations_application_id FOREIGN KEY (application_id) REFERENCES openiddict_applications (id)
);

CREATE TABLE openiddict_scopes (
    id uuid NOT NULL,
    concurrency_token character varying(50),
    description text,
    descriptions text,
    display_name text,
    display_names text,
    name character varying(200),
    properties text,
    resources text,
    CONSTRAINT pk_openiddict_scopes PRIMARY KEY (id)
);

CREATE TABLE openiddict_tokens (
    id uuid NOT NULL,
    application_id uuid,
    authorization_id uuid,
    concurrency_token character varying(50),
    creation_date timestamp with time zone,
    expiration_date timestamp with time zone,
    payload text,
    properties text,
    redemption_date timestamp with time zone,
    reference_id character varying(100),
    status character varying(50),
    subject character varying(400),
    type character varying(150),
    CONSTRAINT pk_openiddict_tokens PRIMARY KEY (id),
    CONSTRAINT fk_openiddict_tokens_openiddict_applications_application_id FOREIGN KEY (application_id) REFERENCES openiddict_applications (id),
    CONSTRAINT fk_openiddict_tokens_openiddict_authorizations_authorization_id FOREIGN KEY (authorization_id) REFERENCES openiddict_authorizations (id)
);

CREATE TABLE oidc_keys (
    id uuid NOT NULL,
    use character varying(20) NOT NULL CONSTRAINT ck_oidc_keys_use CHECK (use IN ('Signing', 'Encryption')),
    certificate bytea NOT NULL,
    not_before timestamp with time zone NOT NULL,
    not_after timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_oidc_keys PRIMARY KEY (id)
);

CREATE TABLE api_clients (
    id uuid NOT NULL,
    client_id character varying(100) NOT NULL,
    name character varying(200) NOT NULL,
    kind character varying(20) NOT NULL CONSTRAINT ck_api_clients_kind CHECK (kind IN ('MdmSystem', 'VendorSystem', 'InternalApp')),
    vendor_organisation_id uuid,
    scopes text[] NOT NULL,
    redirect_uris text[] NOT NULL,
    requests_per_window integer CONSTRAINT ck_api_clients_requests_per_window CHECK (requests_per_window > 0),
    created_by_id uuid,
    created_at timestamp with time zone NOT NULL,
    secret_issued_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    revoked_by_id uuid,
    CONSTRAINT pk_api_clients PRIMARY KEY (id),
    CONSTRAINT fk_api_clients_users_created_by_id FOREIGN KEY (created_by_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_api_clients_users_revoked_by_id FOREIGN KEY (revoked_by_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_api_clients_vendor_organisations_vendor_organisation_id FOREIGN KEY (vendor_organisation_id) REFERENCES vendor_organisations (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_api_clients_client_id ON api_clients (client_id);
CREATE INDEX ix_api_clients_created_by_id ON api_clients (created_by_id);
CREATE INDEX ix_api_clients_revoked_by_id ON api_clients (revoked_by_id);
CREATE INDEX ix_api_clients_vendor_organisation_id ON api_clients (vendor_organisation_id);
CREATE UNIQUE INDEX ix_openiddict_applications_client_id ON openiddict_applications (client_id);
CREATE INDEX ix_openiddict_authorizations_application_id_status_subject_type ON openiddict_authorizations (application_id, status, subject, type);
CREATE UNIQUE INDEX ix_openiddict_scopes_name ON openiddict_scopes (name);
CREATE INDEX ix_openiddict_tokens_application_id_status_subject_type ON openiddict_tokens (application_id, status, subject, type);
CREATE INDEX ix_openiddict_tokens_authorization_id ON openiddict_tokens (authorization_id);
CREATE UNIQUE INDEX ix_openiddict_tokens_reference_id ON openiddict_tokens (reference_id);

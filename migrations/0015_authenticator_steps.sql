-- An authenticator code is good once (docs/decisions/0021-one-time-authenticator-codes.md): the 30-second
-- time step of the last code accepted per account, claimed with one INSERT ... ON CONFLICT DO UPDATE ... WHERE
-- so two sign-ins with one code cannot both pass. Outside the EF model on purpose: Identity writes back the
-- whole users row it loaded, which would undo a claim made meanwhile.
CREATE TABLE authenticator_steps (
    user_id uuid NOT NULL,
    last_step bigint NOT NULL,
    CONSTRAINT pk_authenticator_steps PRIMARY KEY (user_id),
    CONSTRAINT fk_authenticator_steps_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- An authenticator code is good once (docs/decisions/0021-one-time-authenticator-codes.md): the 30-second
-- time step of the last code accepted, compared and set in one UPDATE so two sign-ins with one code cannot both pass.
ALTER TABLE users ADD COLUMN authenticator_last_step bigint;

-- The team server's own checks (ADR 0013), in schema `accord`, owned by {owner}.
-- Every function runs as its owner (SECURITY DEFINER) with a fixed search_path, so a user's
-- role reaches users, sessions and secrets only through what these functions answer. The
-- ones every policy calls are PL/pgSQL, whose plans each connection keeps (a SQL function
-- that cannot be inlined is planned again at every statement).
-- Placeholders ({owner}, {attempts}, {longest_lock}) are filled in by server/mod.rs.

-- The Accord user this connection's PostgreSQL role belongs to (active or not).
CREATE OR REPLACE FUNCTION accord.role_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    RETURN (SELECT r.user_id FROM accord.server_roles r WHERE r.role_name = session_user);
END
$$;

-- The signed-in user: only while the connection presents (SET accord.session) the token of
-- an open session of its own role's active user. Sessions are started only by
-- accord.start_session, which holds the second factor, so the password alone sees nothing.
CREATE OR REPLACE FUNCTION accord.current_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    -- One query, not nested calls: every policy asks this at every statement.
    RETURN (SELECT s.user_id FROM user_sessions s
              JOIN accord.server_roles r ON r.user_id = s.user_id AND r.role_name = session_user
              JOIN users u ON u.id = s.user_id AND u.active
     WHERE s.token_hash = encode(sha256(convert_to(nullif(current_setting('accord.session', true), ''), 'UTF8')), 'hex')
       AND s.ended_at IS NULL
       AND (s.expires_at IS NULL OR s.expires_at > now()));
END
$$;

-- Whether the signed-in user's role sees every record (the core's Reach::All).
CREATE OR REPLACE FUNCTION accord.sees_all() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce((SELECT r.grants_all OR r.visibility = 'all'
                       FROM users u JOIN roles r ON r.id = u.role_id
                      WHERE u.id = accord.current_user_id()), false));
END
$$;

-- The departments whose records the signed-in user sees: their department and every one
-- below it for a role that sees its department; none otherwise (the core's Reach::Limited).
CREATE OR REPLACE FUNCTION accord.visible_departments() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    RETURN (WITH RECURSIVE tree(id) AS (
        SELECT u.department_id FROM users u JOIN roles r ON r.id = u.role_id
         WHERE u.id = accord.current_user_id() AND r.visibility = 'department' AND u.department_id IS NOT NULL
        UNION
        SELECT d.id FROM departments d JOIN tree t ON d.parent_id = t.id
    )
    SELECT coalesce(array_agg(id), '{}') FROM tree);
END
$$;

-- Whether the signed-in user's role grants `permission` (the administrator role grants all).
CREATE OR REPLACE FUNCTION accord.may(permission text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    RETURN (SELECT EXISTS (
        SELECT 1 FROM users u JOIN roles r ON r.id = u.role_id
         WHERE u.id = accord.current_user_id()
           AND (r.grants_all OR EXISTS (SELECT 1 FROM role_permissions p
                                         WHERE p.role_id = r.id AND p.permission = $1))));
END
$$;

-- RFC 6238: the six-digit code of a hex secret at a 30-second step (HMAC-SHA-1).
CREATE OR REPLACE FUNCTION accord.totp(secret_hex text, step bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, accord, pg_temp AS $$
DECLARE
    mac bytea := hmac(int8send(step), decode(secret_hex, 'hex'), 'sha1');
    o int := get_byte(mac, 19) & 15;
    bin bigint := ((get_byte(mac, o) & 127)::bigint << 24) | (get_byte(mac, o + 1)::bigint << 16)
                  | (get_byte(mac, o + 2)::bigint << 8) | get_byte(mac, o + 3)::bigint;
BEGIN
    RETURN lpad((bin % 1000000)::text, 6, '0');
END
$$;

-- The time step, one either side of `at`'s, whose six-digit code under `secret_hex` is `code`.
CREATE OR REPLACE FUNCTION accord.step_of(secret_hex text, code text, at timestamptz) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SET search_path = public, accord, pg_temp AS $$
DECLARE
    at_step bigint := floor(extract(epoch FROM at) / 30)::bigint;
    matched bigint;
BEGIN
    IF code IS NULL OR code !~ '^[0-9]{6}$' THEN
        RETURN NULL;
    END IF;
    FOR s IN at_step - 1 .. at_step + 1 LOOP
        IF accord.totp(secret_hex, s) = code THEN
            matched := s;
        END IF;
    END LOOP;
    RETURN matched;
END
$$;

-- Counts a failed sign-in of `uid` and locks the account with back-off, by the same rule as
-- the core (sessions.rs: {attempts} failures, then 1 minute doubling up to {longest_lock}).
-- Returns when the account is locked until, if it is.
CREATE OR REPLACE FUNCTION accord.count_failure(uid uuid) RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    failures int;
    locked timestamptz;
BEGIN
    UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = uid
    RETURNING failed_attempts, locked_until INTO failures, locked;
    IF failures IS NULL OR failures < {attempts} OR (locked IS NOT NULL AND locked > now()) THEN
        RETURN NULL;
    END IF;
    locked := now() + make_interval(mins => least(1 << least(failures - {attempts}, 6), {longest_lock}));
    UPDATE users SET locked_until = locked WHERE id = uid;
    RETURN locked;
END
$$;

-- What the window needs to check a sign-in to this role's own Accord user: nothing for any
-- other login, and never the two-factor secret (the server checks the code itself).
CREATE OR REPLACE FUNCTION accord.sign_in_record(p_login text)
RETURNS TABLE (id uuid, display_name text, password_hash text, active boolean, locked_until timestamptz,
               second_factor boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
    SELECT u.id, u.display_name::text, u.password_hash::text, u.active, u.locked_until, u.totp_secret IS NOT NULL
      FROM users u WHERE u.id = accord.role_user_id() AND u.login = p_login
$$;

-- A wrong password typed in the window, counted against this role's own user.
CREATE OR REPLACE FUNCTION accord.record_failed_sign_in() RETURNS timestamptz
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
    SELECT accord.count_failure(accord.role_user_id())
$$;

-- Checks and claims `uid`'s second factor `code`: a six-digit code of the step of `at` (one
-- step of skew either way) newer than the last one used, or an unused recovery code. Returns
-- 'ok:code', 'ok:recovery', 'wrong', 'replayed', or 'off' when the user has none.
CREATE OR REPLACE FUNCTION accord.claim_second_factor(uid uuid, code text, at timestamptz) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    u users%ROWTYPE;
    matched bigint;
    recovery uuid;
BEGIN
    SELECT * INTO u FROM users WHERE users.id = uid FOR UPDATE;
    IF u.totp_secret IS NULL THEN
        RETURN 'off';
    END IF;
    IF code ~ '^[0-9]{6}$' THEN
        matched := accord.step_of(u.totp_secret, code, at);
        IF matched IS NULL THEN
            RETURN 'wrong';
        END IF;
        IF u.totp_last_step IS NOT NULL AND u.totp_last_step >= matched THEN
            RETURN 'replayed';
        END IF;
        UPDATE users SET totp_last_step = matched WHERE users.id = uid;
        RETURN 'ok:code';
    END IF;
    SELECT rc.id INTO recovery FROM recovery_codes rc
     WHERE rc.user_id = uid AND rc.used_at IS NULL
       AND rc.code_hash = encode(sha256(convert_to(code, 'UTF8')), 'hex')
     FOR UPDATE;
    IF recovery IS NULL THEN
        RETURN 'wrong';
    END IF;
    UPDATE recovery_codes SET used_at = now() WHERE recovery_codes.id = recovery;
    RETURN 'ok:recovery';
END
$$;

-- A second factor offered for a sign-in: counted as a failed attempt at once, and only usable
-- by accord.start_session once the transaction that offered it has committed. Undoing the
-- offer (ROLLBACK, an exception block) undoes the attempt with the count, so codes cannot be
-- guessed past the lock. Returns the attempt for accord.start_session.
CREATE OR REPLACE FUNCTION accord.offer_second_factor(p_code text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid := accord.role_user_id();
    attempt uuid := gen_random_uuid();
    locked boolean;
BEGIN
    IF uid IS NULL THEN
        RETURN NULL;
    END IF;
    -- The user's row locked first: offers of one user are counted one after another, so no
    -- number of parallel offers gets past the lock.
    SELECT coalesce(u.locked_until > clock_timestamp(), false) INTO locked FROM users u WHERE u.id = uid FOR UPDATE;
    PERFORM accord.count_failure(uid);
    DELETE FROM accord.code_attempts WHERE id IN (
        SELECT a.id FROM accord.code_attempts a WHERE a.offered_at < clock_timestamp() - interval '5 minutes'
        FOR UPDATE SKIP LOCKED);
    INSERT INTO accord.code_attempts (id, user_id, code, offered_in, locked_before, offered_at)
    VALUES (attempt, uid, coalesce(p_code, ''), pg_current_xact_id(), locked, clock_timestamp());
    RETURN attempt;
END
$$;

-- Starts a session for this role's own active user. For a user with two-factor sign-in,
-- `p_attempt` is an offer (accord.offer_second_factor) committed before this call, whose
-- code is checked here, on the server; a right code takes back the failure its offer counted.
-- Returns 'ok', 'ok:code', 'ok:recovery', or the refusal: 'no_user', 'deactivated',
-- 'locked', 'missing', 'wrong', 'replayed'. A remembered session lasts 1 to 30 days.
CREATE OR REPLACE FUNCTION accord.start_session(p_session_id uuid, p_token_hash text, p_attempt uuid,
                                                p_remember_days int, p_os_account text, p_machine text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid := accord.role_user_id();
    u users%ROWTYPE;
    offered accord.code_attempts%ROWTYPE;
    how text := 'ok';
BEGIN
    IF uid IS NULL THEN
        RETURN 'no_user';
    END IF;
    SELECT * INTO u FROM users WHERE users.id = uid FOR UPDATE;
    IF NOT u.active THEN
        RETURN 'deactivated';
    END IF;
    IF u.totp_secret IS NOT NULL THEN
        IF p_attempt IS NULL THEN
            RETURN 'missing';
        END IF;
        DELETE FROM accord.code_attempts a WHERE a.id = p_attempt AND a.user_id = uid RETURNING a.* INTO offered;
        -- Only a committed offer, used within a minute: its code is checked against the time
        -- steps around when it was offered, so trying one offer again changes nothing.
        IF offered.id IS NULL OR pg_xact_status(offered.offered_in) IS DISTINCT FROM 'committed'
           OR offered.offered_at < clock_timestamp() - interval '1 minute' THEN
            RETURN 'wrong';
        END IF;
        IF offered.locked_before THEN
            RETURN 'locked';
        END IF;
        IF offered.code = '' THEN
            RETURN 'missing';
        END IF;
        how := accord.claim_second_factor(uid, offered.code, offered.offered_at);
        IF how NOT LIKE 'ok%' THEN
            RETURN how;
        END IF;
    ELSIF u.locked_until IS NOT NULL AND u.locked_until > now() THEN
        RETURN 'locked';
    END IF;
    UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE users.id = uid;
    INSERT INTO user_sessions (id, token_hash, user_id, started_at, ended_at, end_reason, os_account, machine, expires_at)
    VALUES (p_session_id, p_token_hash, uid, now(), NULL, NULL, left(p_os_account, 200), left(p_machine, 200),
            CASE WHEN p_remember_days IS NULL THEN NULL
                 ELSE now() + make_interval(days => least(greatest(p_remember_days, 1), 30)) END);
    RETURN how;
END
$$;

-- Replaces `uid`'s recovery codes with these hashes (the codes are shown once, by the app).
CREATE OR REPLACE FUNCTION accord.replace_recovery_codes(uid uuid, hashes text[]) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
    DELETE FROM recovery_codes WHERE user_id = uid;
    INSERT INTO recovery_codes (id, user_id, code_hash, created_at, used_at)
    SELECT gen_random_uuid(), uid, h, now(), NULL FROM unnest(hashes) AS h;
$$;

-- The signed-in user's own second factor, managed through the server's checks: the secret
-- is written here and never read back by a user's role. Each returns 'ok' or why not.
CREATE OR REPLACE FUNCTION accord.begin_two_factor(p_secret_hex text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid := accord.current_user_id();
BEGIN
    IF uid IS NULL THEN
        RETURN 'signed_out';
    END IF;
    IF EXISTS (SELECT 1 FROM users WHERE id = uid AND totp_secret IS NOT NULL) THEN
        RETURN 'already';
    END IF;
    UPDATE users SET totp_pending_secret = p_secret_hex WHERE id = uid;
    RETURN 'ok';
END
$$;

CREATE OR REPLACE FUNCTION accord.confirm_two_factor(p_code text, p_recovery_hashes text[]) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid := accord.current_user_id();
    pending text;
    matched bigint;
BEGIN
    IF uid IS NULL THEN
        RETURN 'signed_out';
    END IF;
    SELECT totp_pending_secret INTO pending FROM users WHERE id = uid FOR UPDATE;
    IF pending IS NULL THEN
        RETURN 'no_enrolment';
    END IF;
    matched := accord.step_of(pending, p_code, clock_timestamp());
    IF matched IS NULL THEN
        RETURN 'wrong';
    END IF;
    -- The confirming code is spent: it cannot also sign in.
    UPDATE users SET totp_secret = pending, totp_pending_secret = NULL, totp_last_step = matched,
                     totp_enabled_at = now(), updated_at = now()
     WHERE id = uid;
    PERFORM accord.replace_recovery_codes(uid, p_recovery_hashes);
    RETURN 'ok';
END
$$;

-- The signed-in user and whether `p_code` (claimed) proves their second factor now: 'ok:…',
-- or why not ('signed_out', 'off', 'wrong', 'replayed').
CREATE OR REPLACE FUNCTION accord.proved_user(p_code text, OUT uid uuid, OUT proof text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    uid := accord.current_user_id();
    proof := CASE WHEN uid IS NULL THEN 'signed_out' ELSE accord.claim_second_factor(uid, p_code, clock_timestamp()) END;
END
$$;

CREATE OR REPLACE FUNCTION accord.renew_recovery_codes(p_code text, p_recovery_hashes text[]) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid;
    proof text;
BEGIN
    SELECT p.uid, p.proof INTO uid, proof FROM accord.proved_user(p_code) p;
    IF proof NOT LIKE 'ok%' THEN
        RETURN proof;
    END IF;
    PERFORM accord.replace_recovery_codes(uid, p_recovery_hashes);
    RETURN 'ok';
END
$$;

CREATE OR REPLACE FUNCTION accord.disable_two_factor(p_code text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    uid uuid;
    proof text;
BEGIN
    SELECT p.uid, p.proof INTO uid, proof FROM accord.proved_user(p_code) p;
    IF proof NOT LIKE 'ok%' THEN
        RETURN proof;
    END IF;
    UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL,
                     totp_enabled_at = NULL, updated_at = now()
     WHERE id = uid;
    DELETE FROM recovery_codes WHERE user_id = uid;
    RETURN 'ok';
END
$$;

-- Chains one entry after the head (audit/mod.rs: the same fields, hashed the same way); the
-- caller holds the head's lock.
CREATE OR REPLACE FUNCTION accord.chain_entry(p_id uuid, p_at timestamptz, p_actor uuid, p_device uuid,
                                              p_operation text, p_target_table text, p_target_id uuid,
                                              p_detail text, OUT seq bigint, OUT hash text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    prev text;
BEGIN
    SELECT h.hash INTO prev FROM audit_head h WHERE h.id = 1;
    hash := encode(sha256(convert_to(
        prev || chr(31) || p_id::text || chr(31)
        || to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || chr(31)
        || p_actor::text || chr(31) || p_device::text || chr(31) || p_operation || chr(31)
        || coalesce(p_target_table, '') || chr(31) || coalesce(p_target_id::text, '') || chr(31)
        || CASE WHEN p_detail IS NULL THEN '' ELSE p_detail || chr(31) END, 'UTF8')), 'hex');
    INSERT INTO audit_log AS l (id, at, actor_id, device_id, operation, target_table, target_id, detail, prev_hash, hash)
    VALUES (p_id, p_at, p_actor, p_device, p_operation, p_target_table, p_target_id, p_detail, prev, hash)
    RETURNING l.seq INTO seq;
    UPDATE audit_head SET hash = chain_entry.hash WHERE id = 1;
END
$$;

-- Chains the failed sign-ins waiting in accord.pending_audit, in order; the caller holds the
-- head's lock.
CREATE OR REPLACE FUNCTION accord.chain_waiting() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    waiting accord.pending_audit%ROWTYPE;
BEGIN
    FOR waiting IN SELECT * FROM accord.pending_audit w ORDER BY w.at, w.id FOR UPDATE SKIP LOCKED LOOP
        PERFORM accord.chain_entry(waiting.id, waiting.at, waiting.actor_id, waiting.device_id, waiting.operation,
                                   waiting.target_table, waiting.target_id, waiting.detail);
        DELETE FROM accord.pending_audit w WHERE w.id = waiting.id;
    END LOOP;
END
$$;

-- Appends an entry to the audit chain as the app would, under the head's lock: users' roles
-- may neither insert into the log nor move its head themselves, so nobody appends a forged
-- entry in another's name or out of order. The actor must be the signed-in user. A failed
-- sign-in (no session; in the role's own user's name or nobody's) takes no lock: it waits in
-- accord.pending_audit and joins the chain, in order, at the next signed-in append — so
-- someone holding only a database password cannot stall the log by holding its lock.
CREATE OR REPLACE FUNCTION accord.append_audit(p_id uuid, p_actor uuid, p_device uuid, p_operation text,
                                               p_target_table text, p_target_id uuid, p_detail text)
RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    signed_in uuid := accord.current_user_id();
BEGIN
    IF signed_in IS NULL AND p_operation = 'security.sign_in_failed'
       AND (p_actor = accord.role_user_id() OR p_actor = '00000000-0000-0000-0000-000000000000') THEN
        INSERT INTO accord.pending_audit (id, at, actor_id, device_id, operation, target_table, target_id, detail)
        VALUES (p_id, clock_timestamp(), p_actor, p_device, p_operation, p_target_table, p_target_id, left(p_detail, 400));
        RETURN;
    END IF;
    IF NOT coalesce(p_actor = signed_in, false) THEN
        RAISE EXCEPTION 'an audit entry is written by its signed-in actor' USING ERRCODE = '42501';
    END IF;
    PERFORM 1 FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    PERFORM accord.chain_waiting();
    SELECT c.seq, c.hash INTO seq, hash
      FROM accord.chain_entry(p_id, clock_timestamp(), p_actor, p_device, p_operation, p_target_table,
                              p_target_id, p_detail) c;
    RETURN NEXT;
END
$$;

-- Appends a batch of entries a replica made offline (ADR 0014), in order, each with the time it
-- happened: the signed-in user's own, from a device bound to them at their first push, dated no
-- more than a day ahead (the clocks' bound); at most 200, in one call, so the head's lock is
-- held for one statement, not for a laptop's round trips. An entry the chain holds already (a
-- batch sent again) is skipped. Returns the last entry appended and how many were.
DROP FUNCTION IF EXISTS accord.append_offline_audit(uuid, timestamp with time zone, uuid, uuid, text, text, uuid, text);
CREATE OR REPLACE FUNCTION accord.append_offline_audit(p_entries jsonb)
RETURNS TABLE (seq bigint, hash text, appended integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
DECLARE
    signed_in uuid := accord.current_user_id();
    e record;
    last_seq bigint;
    last_hash text;
    n integer := 0;
BEGIN
    IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' OR jsonb_array_length(p_entries) > 200 THEN
        RAISE EXCEPTION 'offline audit entries come as an array of at most 200' USING ERRCODE = '22023';
    END IF;
    PERFORM 1 FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    PERFORM accord.chain_waiting();
    FOR e IN SELECT * FROM jsonb_to_recordset(p_entries) AS x(id uuid, at timestamptz, actor_id uuid, device_id uuid,
                                                              operation text, target_table text, target_id uuid,
                                                              detail text) LOOP
        IF NOT coalesce(e.actor_id = signed_in, false) THEN
            RAISE EXCEPTION 'an audit entry is written by its signed-in actor' USING ERRCODE = '42501';
        END IF;
        PERFORM 1 FROM sync_devices d WHERE d.device_id = e.device_id AND d.user_id = signed_in;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'an offline audit entry comes from the signed-in user''s own device' USING ERRCODE = '42501';
        END IF;
        IF e.at IS NULL OR e.id IS NULL OR e.operation IS NULL OR e.at > clock_timestamp() + interval '1 day' THEN
            RAISE EXCEPTION 'an offline audit entry is incomplete or dated more than a day ahead' USING ERRCODE = '22023';
        END IF;
        PERFORM 1 FROM audit_log l WHERE l.id = e.id;
        CONTINUE WHEN FOUND;
        SELECT c.seq, c.hash INTO last_seq, last_hash
          FROM accord.chain_entry(e.id, e.at, e.actor_id, e.device_id, e.operation, e.target_table, e.target_id,
                                  left(e.detail, 400)) c;
        n := n + 1;
    END LOOP;
    seq := last_seq;
    hash := last_hash;
    appended := n;
    RETURN NEXT;
END
$$;

-- A record changed on a user's own role carries who changed it: the signed-in user, whatever
-- the statement said (an administrator's own connection keeps what the app wrote).
CREATE OR REPLACE FUNCTION accord.stamp_author() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, accord, pg_temp AS $$
DECLARE
    me uuid;
BEGIN
    IF accord.role_user_id() IS NULL THEN
        RETURN NEW;
    END IF;
    me := accord.current_user_id();
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := me;
    ELSE
        IF NEW.id IS DISTINCT FROM OLD.id THEN
            RAISE EXCEPTION 'a record keeps its id' USING ERRCODE = '42501';
        END IF;
        NEW.created_by := OLD.created_by;
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_by := me;
    RETURN NEW;
END
$$;

-- At commit, every record a user's own role inserted or changed has its change-log entry from
-- the same transaction: a change made around Accord (psql) is refused, so the change log and
-- the history hold for every change. It runs as the user, who sees their own entries. By the
-- entry's `tx_id` (the top-level transaction), not its `xmin`, which is a savepoint's own id
-- when a sync push writes a record inside one.
CREATE OR REPLACE FUNCTION accord.require_change_entry() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, accord, pg_temp AS $$
BEGIN
    IF accord.role_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM change_log c
                    WHERE c.table_name = TG_TABLE_NAME AND c.row_id = NEW.id
                      AND c.tx_id = pg_current_xact_id()) THEN
        RAISE EXCEPTION 'a change to % % without its change-log entry: change records through Accord', TG_TABLE_NAME, NEW.id
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END
$$;

-- An administrator turns off another user's second factor (a lost phone): nobody's role writes
-- a two-factor secret directly, so none can set one they know for someone else.
CREATE OR REPLACE FUNCTION accord.reset_two_factor(p_user uuid) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    IF NOT accord.may('users.manage') THEN
        RETURN 'denied';
    END IF;
    UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL,
                     totp_enabled_at = NULL, updated_at = now()
     WHERE id = p_user;
    DELETE FROM recovery_codes WHERE user_id = p_user;
    RETURN 'ok';
END
$$;

-- The window's guards, held on a user's own role too: the last active administrator stays an
-- active administrator, and the administrator role keeps granting everything.
CREATE OR REPLACE FUNCTION accord.keep_an_administrator() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$
BEGIN
    IF accord.role_user_id() IS NULL THEN
        RETURN NEW;
    END IF;
    -- One change at a time, so two administrators cannot remove each other at once.
    PERFORM pg_advisory_xact_lock(hashtext('accord.keep_an_administrator'));
    IF TG_TABLE_NAME = 'roles' THEN
        IF OLD.grants_all IS DISTINCT FROM NEW.grants_all OR OLD.built_in IS DISTINCT FROM NEW.built_in THEN
            RAISE EXCEPTION 'the built-in roles and what the administrator role grants are not changed' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.locked_until IS DISTINCT FROM OLD.locked_until
       AND NEW.locked_until > clock_timestamp() + interval '61 minutes' THEN
        RAISE EXCEPTION 'an account is locked for an hour at most' USING ERRCODE = '42501';
    END IF;
    IF OLD.active AND EXISTS (SELECT 1 FROM roles r WHERE r.id = OLD.role_id AND r.grants_all)
       AND NOT (NEW.active AND EXISTS (SELECT 1 FROM roles r WHERE r.id = NEW.role_id AND r.grants_all))
       AND NOT EXISTS (SELECT 1 FROM users u JOIN roles r ON r.id = u.role_id
                        WHERE u.id <> OLD.id AND u.active AND r.grants_all) THEN
        RAISE EXCEPTION 'the last active administrator stays one' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

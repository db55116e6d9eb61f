-- Recordings Cluster: PostgreSQL objects behind Orleans' ADO.NET providers
-- (Microsoft.Orleans.Clustering.AdoNet for silos and clients, Microsoft.Orleans.Persistence.AdoNet
-- for grain state). Reminders are not used and have no tables here.
--
-- PostgresSchemaInstaller runs this whole file in one transaction under an advisory lock.
-- Every statement is idempotent: running the file again changes nothing.
--
-- How the providers use it:
--   * At start-up each provider runs "SELECT QueryKey, QueryText FROM OrleansQuery" (unquoted, so
--     PostgreSQL folds it to orleansquery/querykey/querytext) and afterwards only runs the texts it got.
--     The table name and its two columns are therefore fixed; everything else is ours.
--   * The providers bind parameters by name (@DeploymentId, @GrainIdHash, ...) and read result columns
--     by name ("Version", "PayloadBinary", ...). The quoted aliases below are those names.
--   * Queries that answer "did it work?" must return exactly one row with one column.
--   * Objects live in the connection's current schema (normally public), because the providers'
--     own start-up query is not schema-qualified.

-- "already exists, skipping" notices on every start are noise.
SET LOCAL client_min_messages = warning;

-- ---------------------------------------------------------------------------------------------
-- Query catalogue read by every ADO.NET provider. Name and column names are dictated by Orleans.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Cluster membership. One version row per cluster id (Orleans' "DeploymentId" parameter) acts as
-- the optimistic-concurrency token for the whole membership table: every insert or update of a
-- member row must name the version it last read, and bumps it. Liveness heartbeats do not.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_cluster_version
(
    cluster_id text        NOT NULL PRIMARY KEY,
    version    integer     NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_cluster_member
(
    cluster_id    text        NOT NULL REFERENCES orleans_cluster_version (cluster_id) ON DELETE CASCADE,
    address       text        NOT NULL,
    port          integer     NOT NULL,
    generation    integer     NOT NULL,
    silo_name     text        NOT NULL,
    host_name     text        NOT NULL,
    -- Orleans SiloStatus: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
    status        integer     NOT NULL,
    -- 0 when the silo runs no gateway; the provider cannot read NULL here.
    proxy_port    integer     NOT NULL DEFAULT 0,
    -- "silo,time|silo,time" as formatted by Orleans; NULL or '' when nobody suspects the silo.
    suspect_times text        NULL,
    started_at    timestamptz NOT NULL,
    i_am_alive_at timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- ---------------------------------------------------------------------------------------------
-- Grain state. The provider sends two 32-bit hashes (grain id, grain type) plus the full identity:
-- the hashes make lookups cheap, the full identity makes them exact. Key forms:
--   integer key:  n0 = 0,              n1 = key,          key_ext = key extension or NULL
--   Guid key:     n0/n1 = Guid halves,                    key_ext = key extension or NULL
--   string key:   n0 = n1 = 0,                            key_ext = the key itself
-- The payload is whatever the configured grain storage serializer produced (JSON text by default)
-- and always arrives as bytes in @PayloadBinary.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_key_ext   text        NULL,
    -- NULL after ClearStateAsync: the row and its version survive so the ETag keeps counting.
    payload         bytea       NULL,
    -- The grain's ETag. Starts at 1 and goes up by one on every write or clear.
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per grain. Long strings go in as md5 to stay far below the btree entry size limit, and the
-- IS NULL flag keeps "no key extension" apart from an empty one. Lookups use the two leading hashes.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity
    ON orleans_grain_state
    (
        grain_id_hash,
        grain_type_hash,
        grain_id_n0,
        grain_id_n1,
        service_id,
        md5(grain_type),
        md5(coalesce(grain_key_ext, '')),
        (grain_key_ext IS NULL)
    );

-- ---------------------------------------------------------------------------------------------
-- The queries. Re-running updates a text only when it differs, so a second run writes no row.
-- ---------------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- Creates the cluster's version row on first start. Returns whether this call created it.
('InsertMembershipVersionKey', $q$
WITH created AS
(
    INSERT INTO orleans_cluster_version (cluster_id)
    VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created";
$q$),

-- All members plus the table version. The outer join yields one row with NULL member columns when
-- the cluster has no members yet; the provider reads the version from the first row.
('MembershipReadAllKey', $q$
SELECT
    v.version        AS "Version",
    m.address        AS "Address",
    m.port           AS "Port",
    m.generation     AS "Generation",
    m.silo_name      AS "SiloName",
    m.host_name      AS "HostName",
    m.status         AS "Status",
    m.proxy_port     AS "ProxyPort",
    m.suspect_times  AS "SuspectTimes",
    m.started_at     AS "StartTime",
    m.i_am_alive_at  AS "IAmAliveTime"
FROM orleans_cluster_version AS v
LEFT JOIN orleans_cluster_member AS m
    ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId;
$q$),

-- One member plus the table version, same shape as above.
('MembershipReadRowKey', $q$
SELECT
    v.version        AS "Version",
    m.address        AS "Address",
    m.port           AS "Port",
    m.generation     AS "Generation",
    m.silo_name      AS "SiloName",
    m.host_name      AS "HostName",
    m.status         AS "Status",
    m.proxy_port     AS "ProxyPort",
    m.suspect_times  AS "SuspectTimes",
    m.started_at     AS "StartTime",
    m.i_am_alive_at  AS "IAmAliveTime"
FROM orleans_cluster_version AS v
LEFT JOIN orleans_cluster_member AS m
    ON  m.cluster_id = v.cluster_id
    AND m.address    = @Address
    AND m.port       = @Port
    AND m.generation = @Generation
WHERE v.cluster_id = @DeploymentId;
$q$),

-- Adds a member if the caller saw the current version and the member is new; bumps the version in
-- the same statement. Two callers with the same version cannot both pass: the second one waits on
-- the version row lock and then no longer matches. A duplicate key raises instead of half-applying.
('InsertMembershipKey', $q$
WITH bumped AS
(
    UPDATE orleans_cluster_version AS v
    SET version = v.version + 1,
        changed_at = now()
    WHERE v.cluster_id = @DeploymentId
      AND v.version = @Version
      AND NOT EXISTS
      (
          SELECT 1
          FROM orleans_cluster_member AS m
          WHERE m.cluster_id = @DeploymentId
            AND m.address    = @Address
            AND m.port       = @Port
            AND m.generation = @Generation
      )
    RETURNING v.cluster_id
),
inserted AS
(
    INSERT INTO orleans_cluster_member
        (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, started_at, i_am_alive_at)
    SELECT b.cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped AS b
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted";
$q$),

-- Changes a member's status and suspicions if the caller saw the current version; bumps the version.
-- The member row is locked first so a concurrent dead-row cleanup cannot leave a bumped version
-- with no updated row. IAmAlive only moves forward.
('UpdateMembershipKey', $q$
WITH target AS
(
    SELECT m.cluster_id
    FROM orleans_cluster_member AS m
    WHERE m.cluster_id = @DeploymentId
      AND m.address    = @Address
      AND m.port       = @Port
      AND m.generation = @Generation
    FOR UPDATE
),
bumped AS
(
    UPDATE orleans_cluster_version AS v
    SET version = v.version + 1,
        changed_at = now()
    FROM target AS t
    WHERE v.cluster_id = t.cluster_id
      AND v.version = @Version
    RETURNING v.cluster_id
),
updated AS
(
    UPDATE orleans_cluster_member AS m
    SET status        = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_at = GREATEST(m.i_am_alive_at, @IAmAliveTime)
    FROM bumped AS b
    WHERE m.cluster_id = b.cluster_id
      AND m.address    = @Address
      AND m.port       = @Port
      AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS "Updated";
$q$),

-- Heartbeat. Deliberately outside the version protocol; a late, older heartbeat never moves time back.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_cluster_member
SET i_am_alive_at = GREATEST(i_am_alive_at, @IAmAliveTime)
WHERE cluster_id = @DeploymentId
  AND address    = @Address
  AND port       = @Port
  AND generation = @Generation;
$q$),

-- Active members that run a gateway; read by clients. @Status is 3 (Active).
('GatewaysQueryKey', $q$
SELECT
    address    AS "Address",
    proxy_port AS "ProxyPort",
    generation AS "Generation"
FROM orleans_cluster_member
WHERE cluster_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
$q$),

-- Forgets a whole cluster; member rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_cluster_version
WHERE cluster_id = @DeploymentId;
$q$),

-- Bulk purge of long-dead members (status 6) that nobody has suspected since the cut-off.
-- Orleans only falls back to this when CleanupDefunctSiloEntryKey is missing, but it must exist.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_cluster_member
WHERE cluster_id = @DeploymentId
  AND status = 6
  AND i_am_alive_at < @IAmAliveTime
  AND started_at < @IAmAliveTime
  AND coalesce(suspect_times, '') = '';
$q$),

-- Per-member purge used by Orleans 10.4+: the provider picks dead members from its own read and
-- deletes each one only if the row still holds exactly the values it saw.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_cluster_member
WHERE cluster_id = @DeploymentId
  AND address    = @Address
  AND port       = @Port
  AND generation = @Generation
  AND status = 6
  AND i_am_alive_at = @IAmAliveTime
  AND started_at = @StartTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$q$),

-- Grain state of one grain: no row when never written, NULL payload after a clear.
('ReadFromStorageKey', $q$
SELECT
    payload AS "PayloadBinary",
    version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash   = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0     = @GrainIdN0
  AND grain_id_n1     = @GrainIdN1
  AND service_id      = @ServiceId
  AND grain_type      = @GrainTypeString
  AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

-- Optimistic write. With an ETag (@GrainStateVersion) the row must still carry that version; without
-- one the row must not exist yet. Returns the new version, or no row when the check fails, which the
-- provider turns into an InconsistentStateException.
('WriteToStorageKey', $q$
WITH updated AS
(
    UPDATE orleans_grain_state
    SET payload     = @PayloadBinary,
        version     = version + 1,
        modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND grain_id_hash   = @GrainIdHash
      AND grain_type_hash = @GrainTypeHash
      AND grain_id_n0     = @GrainIdN0
      AND grain_id_n1     = @GrainIdN1
      AND service_id      = @ServiceId
      AND grain_type      = @GrainTypeString
      AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version
),
inserted AS
(
    INSERT INTO orleans_grain_state
        (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_key_ext, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted;
$q$),

-- ClearStateAsync (default): drop the payload, keep the row, bump the version.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload     = NULL,
    version     = version + 1,
    modified_at = now()
WHERE grain_id_hash   = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0     = @GrainIdN0
  AND grain_id_n1     = @GrainIdN1
  AND service_id      = @ServiceId
  AND grain_type      = @GrainTypeString
  AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion";
$q$),

-- ClearStateAsync with DeleteStateOnClear = true: remove the row. The provider only needs a value
-- that differs from the old ETag to know it worked (it then forgets the ETag), hence version + 1.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE grain_id_hash   = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0     = @GrainIdN0
  AND grain_id_n1     = @GrainIdN1
  AND service_id      = @ServiceId
  AND grain_type      = @GrainTypeString
  AND grain_key_ext IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion";
$q$)

ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

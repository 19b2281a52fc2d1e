import GRDB

/// The store's tables, built by numbered steps recorded in `grdb_migrations` (the table GRDB's
/// migrator kept, which ran them until 2026-12-07; `SQLiteStore.upgrade` runs them now); the
/// schema version is also kept in `store_meta` for tools that read the file without GRDB.
///
/// Entries are generic so Secrets Manager secrets and Vault KV paths live beside parameters:
/// `entries` (one per name and kind), `entry_versions` (one per version: the sealed value and the
/// version's attributes), `entry_labels` (SSM labels, Secrets Manager staging labels),
/// `entry_tags`. Parameter attributes have their own columns because filters read them; kinds
/// added later keep theirs in the `attributes` JSON or in new columns.
enum StoreSchema {
  static let version = 10
  static let lastMigration = "v10-audit-version-ids"

  /// One schema step: its identifier, as `grdb_migrations` records it, and the change it makes.
  struct Step: Sendable {
    let identifier: String
    let apply: @Sendable (Database) throws -> Void

    init(_ identifier: String, _ apply: @escaping @Sendable (Database) throws -> Void) {
      self.identifier = identifier
      self.apply = apply
    }
  }

  /// The steps' identifiers, in the order they apply.
  static let identifiers = steps.map(\.identifier)

  /// Every step, in the order they apply (`SQLiteStore.upgrade` runs the ones a store lacks).
  static let steps: [Step] = {
    var schema: [Step] = []
    func step(_ identifier: String, _ apply: @escaping @Sendable (Database) throws -> Void) {
      schema.append(Step(identifier, apply))
    }
    step("v1-store") { db in
      try db.execute(
        sql: """
          CREATE TABLE store_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL
          ) WITHOUT ROWID;

          CREATE TABLE kms_keys (
            key_id TEXT PRIMARY KEY NOT NULL,
            key_id_bytes BLOB NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            key_manager TEXT NOT NULL,
            key_state TEXT NOT NULL DEFAULT 'Enabled',
            key_usage TEXT NOT NULL DEFAULT 'ENCRYPT_DECRYPT',
            key_spec TEXT NOT NULL DEFAULT 'SYMMETRIC_DEFAULT',
            origin TEXT NOT NULL DEFAULT 'AWS_KMS',
            created_at REAL NOT NULL,
            material BLOB NOT NULL
          );

          CREATE TABLE kms_key_tags (
            key_id TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
            tag_key TEXT NOT NULL,
            tag_value TEXT NOT NULL,
            PRIMARY KEY (key_id, tag_key)
          ) WITHOUT ROWID;

          CREATE TABLE kms_aliases (
            alias_name TEXT PRIMARY KEY NOT NULL,
            key_id TEXT NOT NULL REFERENCES kms_keys(key_id),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
          ) WITHOUT ROWID;

          CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            lookup_name TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at REAL NOT NULL,
            last_version INTEGER NOT NULL DEFAULT 0,
            attributes TEXT NOT NULL DEFAULT '{}',
            UNIQUE (kind, lookup_name)
          );

          CREATE TABLE entry_versions (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            version_id TEXT,
            created_at REAL NOT NULL,
            created_by TEXT,
            key_ref TEXT,
            sealed BLOB,
            type TEXT,
            description TEXT,
            allowed_pattern TEXT,
            tier TEXT,
            data_type TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (entry_id, version)
          ) WITHOUT ROWID;

          CREATE UNIQUE INDEX entry_versions_version_id
            ON entry_versions(entry_id, version_id) WHERE version_id IS NOT NULL;

          CREATE TABLE entry_labels (
            entry_id INTEGER NOT NULL,
            label TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (entry_id, label),
            FOREIGN KEY (entry_id, version)
              REFERENCES entry_versions(entry_id, version) ON DELETE CASCADE
          ) WITHOUT ROWID;

          CREATE INDEX entry_labels_version ON entry_labels(entry_id, version);

          CREATE TABLE entry_tags (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            tag_key TEXT NOT NULL,
            tag_value TEXT NOT NULL,
            PRIMARY KEY (entry_id, tag_key)
          ) WITHOUT ROWID;

          CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            operation TEXT NOT NULL,
            kind TEXT,
            name TEXT,
            version INTEGER,
            result TEXT NOT NULL,
            caller TEXT,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL
          );

          CREATE INDEX audit_log_name ON audit_log(name);
          """)
      try db.execute(
        sql: "INSERT INTO store_meta (key, value) VALUES ('schema_version', ?)",
        arguments: [String(1)])
    }
    // Command rotators (`cinch rotation register NAME -- COMMAND …`): the command line as a JSON
    // array of strings. Never a secret: rotators read secrets through the store.
    step("v2-rotators") { db in
      try db.execute(
        sql: """
          CREATE TABLE rotators (
            name TEXT PRIMARY KEY NOT NULL,
            command TEXT NOT NULL,
            timeout_seconds REAL,
            created_at REAL NOT NULL
          ) WITHOUT ROWID;
          UPDATE store_meta SET value = '2' WHERE key = 'schema_version';
          """)
    }
    // `cinch serve`'s credentials: access keys (the secret sealed under a key derived from the
    // store key, bound to the key id) and IAM-style inline policies per user. A key without a
    // user belongs to the account root and is not limited by policies.
    step("v3-access-keys") { db in
      try db.execute(
        sql: """
          CREATE TABLE iam_access_keys (
            access_key_id TEXT PRIMARY KEY NOT NULL,
            user_name TEXT,
            status TEXT NOT NULL DEFAULT 'Active',
            created_at REAL NOT NULL,
            sealed_secret BLOB NOT NULL
          ) WITHOUT ROWID;

          CREATE INDEX iam_access_keys_user ON iam_access_keys(user_name);

          CREATE TABLE iam_user_policies (
            user_name TEXT NOT NULL,
            policy_name TEXT NOT NULL,
            document TEXT NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (user_name, policy_name)
          ) WITHOUT ROWID;
          UPDATE store_meta SET value = '3' WHERE key = 'schema_version';
          """)
    }
    // The Vault-compatible surface (Docs/Vault.md): secrets-engine mounts (`secret/` is KV v2
    // from the start, as on a Vault dev server), tokens (only a keyed hash of each token id is
    // kept; the root token is also sealed so `cinch token root` can print it), leases of dynamic
    // credentials, and audit devices (each with its sealed HMAC salt). KV paths, transit keys
    // and database connections are entries of their own kinds in `entries`.
    step("v3-vault") { db in
      try db.execute(
        sql: """
          CREATE TABLE vault_mounts (
            path TEXT PRIMARY KEY NOT NULL,
            type TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            accessor TEXT NOT NULL UNIQUE,
            uuid TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            config TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL
          ) WITHOUT ROWID;

          CREATE TABLE vault_tokens (
            token_hash BLOB PRIMARY KEY NOT NULL,
            accessor TEXT NOT NULL UNIQUE,
            policies TEXT NOT NULL,
            display_name TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL,
            ttl_seconds INTEGER NOT NULL,
            expires_at REAL,
            renewable INTEGER NOT NULL,
            is_root_token INTEGER NOT NULL DEFAULT 0,
            sealed BLOB
          ) WITHOUT ROWID;

          CREATE TABLE vault_leases (
            lease_id TEXT PRIMARY KEY NOT NULL,
            mount TEXT NOT NULL,
            role TEXT NOT NULL,
            issued_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            max_expires_at REAL NOT NULL,
            last_renewal REAL,
            renewable INTEGER NOT NULL,
            token_accessor TEXT,
            attributes TEXT NOT NULL DEFAULT '{}'
          ) WITHOUT ROWID;

          CREATE INDEX vault_leases_expiry ON vault_leases(expires_at);

          CREATE TABLE vault_audit_devices (
            path TEXT PRIMARY KEY NOT NULL,
            type TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            options TEXT NOT NULL DEFAULT '{}',
            salt BLOB NOT NULL,
            created_at REAL NOT NULL
          ) WITHOUT ROWID;

          INSERT INTO vault_mounts (path, type, description, accessor, uuid, options, created_at)
          VALUES ('secret/', 'kv', 'key/value secret storage',
            'kv_' || lower(hex(randomblob(4))), lower(hex(randomblob(16))), '{"version":"2"}',
            CAST(strftime('%s', 'now') AS REAL));
          """)
    }
    // A counter that every change to access keys or user policies moves (triggers, so no write
    // path can forget it). `cinch serve` keeps the credentials it authenticated with and checks
    // the counter inside each request's first transaction instead of looking the key up again
    // in a transaction of its own (Docs/Serve.md, "Credentials").
    step("v4-iam-generation") { db in
      var sql = """
        CREATE TABLE iam_generation (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          generation INTEGER NOT NULL
        );
        INSERT INTO iam_generation (id, generation) VALUES (1, 0);
        UPDATE store_meta SET value = '4' WHERE key = 'schema_version';

        """
      for table in ["iam_access_keys", "iam_user_policies"] {
        for event in ["INSERT", "UPDATE", "DELETE"] {
          sql += """
            CREATE TRIGGER \(table)_\(event.lowercased())_moves_generation
            AFTER \(event) ON \(table)
            BEGIN UPDATE iam_generation SET generation = generation + 1; END;

            """
        }
      }
      try db.execute(sql: sql)
    }
    // Every read appends an audit row, so the audit log is the store's hottest write. An index on
    // `name` put each row's key at the tail of that name's run, a different B-tree leaf for each
    // name: a transaction that reads 100 names wrote ~100 index pages to the WAL besides the
    // rows' own. Without it, batched decrypted reads went from ~20,000 to ~50,000 a second on a
    // store with 200,000 audit rows; `cinch audit list --name` scans instead (155 ms for the
    // whole command on a log of 362,790 rows). Docs/Store.md, "The audit log's index".
    step("v5-audit-log-unindexed") { db in
      try db.execute(
        sql: """
          DROP INDEX IF EXISTS audit_log_name;
          UPDATE store_meta SET value = '5' WHERE key = 'schema_version';
          """)
    }
    // Every Secrets Manager operation first purges the secrets whose recovery window has ended
    // (`purgeExpiredSecrets`), which read every secret's attributes JSON to find the few with a
    // deletion date: one `GetSecretValue` scanned them all, and `cinch sync` of 2,000 secrets
    // became quadratic. This index holds only the entries that have a deletion date, so the
    // purge's query (`kind = ? AND json_extract(attributes, '$.deletionDate') <= ?`, which
    // implies the index's condition) reads nothing when nothing is scheduled.
    // Docs/Store.md, "Finding expired secrets".
    step("v6-pending-deletions-indexed") { db in
      try db.execute(
        sql: """
          CREATE INDEX entries_pending_deletion
            ON entries(kind, json_extract(attributes, '$.deletionDate'))
            WHERE json_extract(attributes, '$.deletionDate') IS NOT NULL;
          UPDATE store_meta SET value = '6' WHERE key = 'schema_version';
          """)
    }
    // A lease belongs to the token that created it: Vault revokes a token's leases when the
    // token is revoked or expires, so the lease's `token_accessor` (a column since v3, never
    // filled before) is indexed to find them, and the tokens' expiry to sweep them. Tokens gain
    // Vault's use limit (`num_uses`, the uses left; 0 is unlimited), explicit maximum TTL, and
    // parent (a child token is revoked with its parent). Docs/Vault.md, "Tokens".
    step("v7-token-leases") { db in
      try db.execute(
        sql: """
          CREATE INDEX vault_leases_token ON vault_leases(token_accessor)
            WHERE token_accessor IS NOT NULL;
          ALTER TABLE vault_tokens ADD COLUMN num_uses INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE vault_tokens ADD COLUMN explicit_max_ttl INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE vault_tokens ADD COLUMN parent_accessor TEXT;
          CREATE INDEX vault_tokens_parent ON vault_tokens(parent_accessor)
            WHERE parent_accessor IS NOT NULL;
          CREATE INDEX vault_tokens_expiry ON vault_tokens(expires_at)
            WHERE expires_at IS NOT NULL;
          UPDATE store_meta SET value = '7' WHERE key = 'schema_version';
          """)
    }
    // Vault's token lookup reports the TTL a token was created with (`creation_ttl`) and, once
    // renewed, when (`last_renewal`, `last_renewal_time`); a renewal overwrites `ttl_seconds`
    // (the TTL last granted, which the next renewal without an increment grants again), so
    // neither could be told afterwards. A token renewed before this step keeps its last TTL as
    // its creation TTL, the nearest known value. Docs/Vault.md, "Tokens".
    step("v8-token-renewals") { db in
      try db.execute(
        sql: """
          ALTER TABLE vault_tokens ADD COLUMN creation_ttl INTEGER NOT NULL DEFAULT 0;
          UPDATE vault_tokens SET creation_ttl = ttl_seconds;
          ALTER TABLE vault_tokens ADD COLUMN last_renewal REAL;
          UPDATE store_meta SET value = '8' WHERE key = 'schema_version';
          """)
    }
    // Parameter Store's quotas (10,000 standard, 100,000 advanced parameters) are checked when
    // a parameter is created: past 10,000 entries, the advanced parameters are counted, which
    // without an index read every version of every entry, values included. This index holds
    // only the advanced versions. Docs/Store.md, "Parameters".
    step("v9-advanced-parameters-indexed") { db in
      try db.execute(
        sql: """
          CREATE INDEX entry_versions_advanced ON entry_versions(entry_id)
            WHERE tier = 'Advanced';
          UPDATE store_meta SET value = '9' WHERE key = 'schema_version';
          """)
    }
    // An audit row about a secret version recorded only the store's internal number for it
    // (1, 2, …), which nothing a user sees names; the row now carries the version's
    // `VersionId` too. Rows written before keep none, and hash as they did (`AuditChain`).
    // Docs/Store.md, "Audit log".
    step("v10-audit-version-ids") { db in
      try db.execute(
        sql: """
          ALTER TABLE audit_log ADD COLUMN version_id TEXT;
          UPDATE store_meta SET value = '10' WHERE key = 'schema_version';
          """)
    }
    return schema
  }()
}

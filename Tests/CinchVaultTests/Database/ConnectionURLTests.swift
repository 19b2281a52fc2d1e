import CinchStore
import Testing

@testable import CinchVault

/// A connection's password is given as `password=`, sealed in the store; one written into the
/// URL would be stored unsealed, shown by `read database/config/NAME` and put in psql's
/// arguments, so it is refused.
@Suite struct ConnectionURLTests {
  static func connection(_ url: String) -> DatabaseConnection {
    DatabaseConnection(
      name: "pg", pluginName: "postgresql-database-plugin", connectionURL: url,
      username: "vaultadmin", allowedRoles: ["*"])
  }

  @Test(arguments: [
    "postgresql://vaultadmin:hunter2@db:5432/postgres",
    "postgresql://{{username}}:{{password}}@db:5432/postgres?password=hunter2",
    "postgres://{{username}}@db/postgres?sslmode=disable&PASSWORD=hunter2",
  ])
  func aPasswordInTheURLIsRefused(_ url: String) {
    #expect(throws: VaultError.self) { try PostgresExecutor.target(Self.connection(url)) }
  }

  @Test func theTemplatedFormGivesConninfoWithoutAPassword() throws {
    let target = try PostgresExecutor.target(
      Self.connection("postgresql://{{username}}:{{password}}@db:5433/app?sslmode=disable"))
    #expect(
      target.conninfo == [
        "host=db port=5433 dbname=app user=vaultadmin sslmode=disable connect_timeout=10"
      ])
  }
}

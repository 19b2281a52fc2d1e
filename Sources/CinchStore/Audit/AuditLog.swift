/// Reading and checking the audit log.
public protocol AuditLog: Sendable {
  /// Rows in order, optionally only those about one entry name, optionally the last `limit`.
  func auditRecords(name: String?, limit: Int?) async throws -> [AuditRecord]
  /// Walks the hash chain and the sealed head; reports every break, naming the row.
  func verifyAuditLog() async throws -> AuditVerification
}

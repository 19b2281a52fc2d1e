/// Reading and checking the audit log.
public protocol AuditLog: Sendable {
  /// Rows in order, optionally only those about one entry name, optionally the last `limit`.
  func auditRecords(name: String?, limit: Int?) async throws -> [AuditRecord]
  /// Walks the hash chain and the sealed head; reports every break, naming the row. With a
  /// `witness` (a head printed by an earlier `verify` and kept outside the store), also that
  /// the log still holds that row with that hash: a store put back from an older copy, whose
  /// log and head agree with each other, fails there.
  func verifyAuditLog(witness: AuditHead?) async throws -> AuditVerification
}

extension AuditLog {
  public func verifyAuditLog() async throws -> AuditVerification {
    try await verifyAuditLog(witness: nil)
  }
}

/// One row of the audit log: who did what to which entry, and how it ended. Never a value.
public struct AuditRecord: Codable, Sendable, Hashable {
  /// Position in the log, from 1.
  public var seq: Int
  /// UTC, ISO 8601 with milliseconds.
  public var time: String
  /// The AWS operation name (`PutParameter`, `GetParameter`, `CreateKey`, …) or a store
  /// operation (`Init`, `Rekey`).
  public var operation: String
  /// The entry kind (`ssm-parameter`, `kms-key`, …), when the row concerns an entry.
  public var kind: String?
  public var name: String?
  /// The store's number of the version concerned: a parameter's `Version`; for a secret,
  /// whose versions AWS names by `VersionId` only, the store's internal count (1 for the
  /// version `CreateSecret` made, 2 for the next, …), with `versionID` beside it.
  public var version: Int?
  /// `ok`, or the error code the operation failed with.
  public var result: String
  /// The caller (access key id, user) when known.
  public var caller: String?
  /// The `VersionId` of the secret version concerned (schema step `v10-audit-version-ids`);
  /// nil for other entries and for rows written before it.
  public var versionID: String?

  public init(
    seq: Int, time: String, operation: String, kind: String? = nil, name: String? = nil,
    version: Int? = nil, result: String, caller: String? = nil, versionID: String? = nil
  ) {
    self.seq = seq
    self.time = time
    self.operation = operation
    self.kind = kind
    self.name = name
    self.version = version
    self.result = result
    self.caller = caller
    self.versionID = versionID
  }

  enum CodingKeys: String, CodingKey {
    case seq, time, operation, kind, name, version, result, caller
    case versionID = "versionId"
  }
}

/// What `verify` found: the rows checked and every problem, each naming the row, and the
/// sealed head when its seal held.
public struct AuditVerification: Sendable, Hashable {
  public var rowsChecked: Int
  public var problems: [AuditProblem]
  public var head: AuditHead?
  public var isIntact: Bool { problems.isEmpty }

  public init(rowsChecked: Int, problems: [AuditProblem], head: AuditHead? = nil) {
    self.rowsChecked = rowsChecked
    self.problems = problems
    self.head = head
  }
}

/// The last row of the audit log by number and hash, `57:3f2a…` (64 hex digits). It holds no
/// value, only a hash of rows that hold none: safe to print, and to keep outside the store as
/// a witness that a later `verify --witness` holds the store to.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
  public var seq: Int
  public var hash: [UInt8]

  public init(seq: Int, hash: [UInt8]) {
    self.seq = seq
    self.hash = hash
  }

  /// `SEQ:HASH` as `description` writes it; nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let seq = Int(parts[0]), seq >= 1, parts[1].utf8.count == 64
    else { return nil }
    var hash: [UInt8] = []
    var digits = parts[1].utf8.makeIterator()
    while let high = digits.next(), let low = digits.next() {
      guard let high = Self.nibble(high), let low = Self.nibble(low) else { return nil }
      hash.append(high << 4 | low)
    }
    self.init(seq: seq, hash: hash)
  }

  private static func nibble(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  public var description: String { "\(seq):\(hash.hex)" }
}

/// A break in the audit log's hash chain.
public enum AuditProblem: Sendable, Hashable, CustomStringConvertible {
  /// The row's content no longer hashes to its recorded hash.
  case edited(seq: Int)
  /// The row does not link to the row before it: one of the two was edited.
  case unlinked(seq: Int, previous: Int?)
  /// Rows between two surviving rows (or before the first) are gone.
  case removed(after: Int?, before: Int)
  /// The row links to a row other than the one before it.
  case reordered(seq: Int, follows: Int)
  /// The log ends before the row its sealed head records.
  case truncated(lastSeq: Int?, headSeq: Int)
  /// The chain is consistent but does not end where the sealed head says: rows were edited and
  /// every later hash recomputed.
  case rewritten(headSeq: Int)
  /// Rows follow the sealed head: they were added by something that does not hold the store key.
  case appendedWithoutKey(after: Int)
  case headMissing
  /// The sealed head itself was changed.
  case headForged
  /// The log ends before a head recorded earlier: the store was put back from an older copy,
  /// or its log was cut and its head sealed again.
  case behindWitness(witness: Int, lastSeq: Int?)
  /// The row a recorded head names has another hash now: the log was rewritten from there.
  case divergesFromWitness(witness: Int)

  public var description: String {
    switch self {
    case .edited(let seq):
      "row \(seq) was edited: its hash does not match its content"
    case .removed(let after?, let before):
      "rows were removed between row \(after) and row \(before)"
    case .removed(nil, let before):
      "rows were removed before row \(before)"
    case .unlinked(let seq, let previous?):
      "row \(seq) does not follow row \(previous): one of them was edited"
    case .unlinked(let seq, nil):
      "row \(seq) does not start the log: it or the log's start was edited"
    case .reordered(let seq, let follows):
      "row \(seq) is out of order: it was written after row \(follows)"
    case .truncated(let last?, let head):
      "rows were removed from the end: the log stops at row \(last), its sealed head is row \(head)"
    case .truncated(nil, let head):
      "every row was removed: the sealed head is row \(head)"
    case .rewritten(let head):
      "the log was rewritten: its rows no longer end in the sealed head (row \(head))"
    case .appendedWithoutKey(let after):
      "rows after row \(after) were added without the store key"
    case .headMissing:
      "the sealed head of the audit log is missing"
    case .headForged:
      "the sealed head of the audit log was altered"
    case .behindWitness(let witness, let last?):
      "the log ends at row \(last), before row \(witness) that the witness recorded: the store "
        + "was put back from an older copy"
    case .behindWitness(let witness, nil):
      "the log is empty, but the witness recorded row \(witness): the store was put back from "
        + "an older copy"
    case .divergesFromWitness(let witness):
      "row \(witness) is not the row the witness recorded: the log was rewritten from there"
    }
  }
}

/// An AWS partition: the first field of every ARN, and the DNS suffix of its endpoints
/// (CloudFormation's `AWS::Partition` and `AWS::URLSuffix`). One table for the evaluator, the
/// policy generator, the embedded store's ARNs and the AWS backend's endpoints.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
/// https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html
public struct Partition: Sendable, Hashable {
  public var name: String
  public var urlSuffix: String

  public init(name: String, urlSuffix: String) {
    self.name = name
    self.urlSuffix = urlSuffix
  }

  public static let standard = Partition(name: "aws", urlSuffix: "amazonaws.com")

  /// The partitions other than `aws`, with the prefix of their regions' names. `us-isob-` comes
  /// before `us-iso-`, which is also its prefix.
  private static let byRegionPrefix: [(prefix: String, partition: Partition)] = [
    ("cn-", Partition(name: "aws-cn", urlSuffix: "amazonaws.com.cn")),
    ("us-gov-", Partition(name: "aws-us-gov", urlSuffix: "amazonaws.com")),
    ("us-isob-", Partition(name: "aws-iso-b", urlSuffix: "sc2s.sgov.gov")),
    ("us-iso-", Partition(name: "aws-iso", urlSuffix: "c2s.ic.gov")),
    ("eu-isoe-", Partition(name: "aws-iso-e", urlSuffix: "cloud.adc-e.uk")),
    ("us-isof-", Partition(name: "aws-iso-f", urlSuffix: "csp.hci.ic.gov")),
    // The AWS European Sovereign Cloud.
    ("eusc-", Partition(name: "aws-eusc", urlSuffix: "amazonaws.eu")),
  ]

  /// Whether `region` is named as the `aws` partition's regions are (`us-east-1`,
  /// `ap-southeast-7`, `mx-central-1`): an area, a direction and a number, and no other
  /// partition's prefix. Such a region is `aws`'s, whatever partition is asked for; a region
  /// named otherwise may be one of a partition cinch does not know.
  public static func isStandardRegion(_ region: String) -> Bool {
    guard of(region: region) == .standard else { return false }
    let parts = region.split(separator: "-", omittingEmptySubsequences: false)
    let areas: Set<Substring> = ["us", "eu", "ap", "ca", "sa", "me", "af", "il", "mx"]
    let directions: Set<Substring> = [
      "east", "west", "north", "south", "central", "northeast", "southeast", "northwest",
      "southwest",
    ]
    return parts.count == 3 && areas.contains(parts[0]) && directions.contains(parts[1])
      && !parts[2].isEmpty && parts[2].allSatisfy(\.isNumber)
  }

  /// The partition `region` belongs to; `aws` for a region of no other (or none).
  public static func of(region: String) -> Partition {
    byRegionPrefix.first { region.hasPrefix($0.prefix) }?.partition ?? .standard
  }

  /// The shape of every region name (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`): a
  /// lowercase letter, then lowercase letters, digits and single hyphens, ending in a digit. It
  /// goes into ARNs and endpoints, where `*`, `:` or capitals would grant or reach nothing meant.
  public static func isRegionName(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, let last = bytes.last, isLower(first), isDigit(last),
      bytes.count <= 64
    else { return false }
    return zip(bytes, [0] + bytes).allSatisfy { byte, previous in
      isLower(byte) || isDigit(byte) || (byte == UInt8(ascii: "-") && previous != byte)
    }
  }

  /// The shape of a partition name: `aws`, or `aws-` and lowercase words joined by hyphens
  /// (`aws-cn`, `aws-iso-b`).
  public static func isPartitionName(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    return parts.first == "aws"
      && parts.dropFirst().allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isLower) }
  }

  private static func isLower(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
  private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

  /// The partition called `name`, or nil for a name cinch does not know.
  public static func named(_ name: String) -> Partition? {
    name == standard.name ? standard : byRegionPrefix.first { $0.partition.name == name }?.partition
  }
}

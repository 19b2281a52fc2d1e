/// The `Type`s a template parameter may have: CloudFormation rejects a template with any other
/// ("Template format error: Unrecognized parameter type"), and one without a `Type` at all.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties-type
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html
extension Template {
  public enum ParameterTypes {
    /// `String`, `Number`, `List<Number>`, `CommaDelimitedList`.
    static let basic = ["String", "Number", "List<Number>", "CommaDelimitedList"]

    /// The AWS-specific types, each also allowed as `List<…>` except the key pair name, which has
    /// no list form.
    static let awsSpecific = [
      "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
      "AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName",
      "AWS::EC2::SecurityGroup::Id", "AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id",
      "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
    ]

    /// Every type CloudFormation accepts. The Systems Manager types wrap `String`, a list of
    /// strings, or an AWS-specific type or a list of one (the key pair name included).
    public static let all: Set<String> = {
      var types = Set(basic)
      types.insert("AWS::SSM::Parameter::Name")
      for inner in ["String", "List<String>", "CommaDelimitedList"] {
        types.insert("AWS::SSM::Parameter::Value<\(inner)>")
      }
      for type in awsSpecific {
        types.insert(type)
        if type != "AWS::EC2::KeyPair::KeyName" { types.insert("List<\(type)>") }
        types.insert("AWS::SSM::Parameter::Value<\(type)>")
        types.insert("AWS::SSM::Parameter::Value<List<\(type)>>")
      }
      return types
    }()

    public static func isValid(_ type: String) -> Bool { all.contains(type) }

    /// The type an invalid one was probably meant to be: a list of Systems Manager values is
    /// written `AWS::SSM::Parameter::Value<List<…>>`, not the other way round; otherwise the
    /// nearest by spelling.
    public static func suggestion(for type: String) -> String? {
      let ssm = "AWS::SSM::Parameter::Value<"
      if type.hasPrefix("List<\(ssm)"), type.hasSuffix(">>") {
        let inner = type.dropFirst("List<\(ssm)".count).dropLast(2)
        let swapped = "\(ssm)List<\(inner)>>"
        if isValid(swapped) { return swapped }
      }
      return NearestName.closest(to: type, among: all)
    }
  }
}

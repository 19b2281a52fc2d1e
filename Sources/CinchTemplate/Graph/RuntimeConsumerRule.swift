/// One resource property that reads the store at run time, and where the role that reads it is.
///
/// Paths are relative to the resource's `Properties`; `*` stands for every element of a list
/// or every value of a mapping. A role path's `*`s take the elements the value's path went
/// through, in order (`EcsProperties/TaskProperties/*/ExecutionRoleArn` for a secret of
/// `EcsProperties/TaskProperties/*/Containers/*/Secrets/*/ValueFrom`).
struct RuntimeConsumerRule: Sendable {
  enum Field: Sendable {
    /// The element itself is the value.
    case itself(StoreLocator.Format)
    /// The element's key `key`.
    case key(String, StoreLocator.Format)
    /// The element's `valueKey`, when its `typeKey` is one of `formats`' keys (CodeBuild's
    /// `Type: PARAMETER_STORE`, an event source's `Type: BASIC_AUTH`).
    case typed(typeKey: String, valueKey: String, formats: [String: StoreLocator.Format])
  }

  enum Role: Sendable {
    /// A property that holds the role's ARN or name.
    case property([String])
    /// A property that holds a function's name or ARN; the read happens as the function's role.
    case function([String])
    /// The resource is a SAM function or state machine (`AWS::Serverless::Function`,
    /// `AWS::Serverless::StateMachine`): its `Role`, or the `<LogicalId>Role` SAM generates.
    case samResource
    /// No role property: the service reads as itself, or as whoever uses the resource.
    case none
  }

  var resourceType: String
  var path: [String]
  var field: Field
  var role: Role

  init(_ resourceType: String, _ path: String, _ field: Field, role: Role) {
    self.resourceType = resourceType
    self.path = path.split(separator: "/").map(String.init)
    self.field = field
    self.role = role
  }
}

extension RuntimeConsumerRule.Role {
  static func property(_ path: String) -> Self {
    .property(path.split(separator: "/").map(String.init))
  }
  static func function(_ path: String) -> Self {
    .function(path.split(separator: "/").map(String.init))
  }
}

extension RuntimeConsumerRule {
  /// The properties cinch knows, from the CloudFormation resource reference
  /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/):
  ///
  /// - `AWS::ECS::TaskDefinition`: `ContainerDefinitions[].Secrets[].ValueFrom`,
  ///   `ContainerDefinitions[].RepositoryCredentials.CredentialsParameter`,
  ///   `ContainerDefinitions[].LogConfiguration.SecretOptions[].ValueFrom`; as `ExecutionRoleArn`.
  /// - `AWS::CodeBuild::Project`: `Environment.EnvironmentVariables[]` of `Type`
  ///   `PARAMETER_STORE` (a parameter name) and `SECRETS_MANAGER`
  ///   (`secret-id:json-key:version-stage:version-id`), `Environment.RegistryCredential.Credential`,
  ///   and an inline `Source.BuildSpec`'s `env` `parameter-store` and `secrets-manager`
  ///   (`BuildSpecEnvironment`, outside these rules: the names are inside a YAML string);
  ///   as `ServiceRole`.
  /// - `AWS::Batch::JobDefinition`: `Secrets[].ValueFrom`, `RepositoryCredentials.CredentialsParameter`
  ///   and `LogConfiguration.SecretOptions[].ValueFrom` of `ContainerProperties`, of each
  ///   `EcsProperties.TaskProperties[].Containers[]`, and of both inside each
  ///   `NodeProperties.NodeRangeProperties[]`; as the matching `ExecutionRoleArn`. (EKS
  ///   properties have no store-backed fields: their `Env` takes values only.)
  /// - `AWS::AppRunner::Service`: `RuntimeEnvironmentSecrets[].Value` under both
  ///   `SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues` and
  ///   `SourceConfiguration.ImageRepository.ImageConfiguration`; as
  ///   `InstanceConfiguration.InstanceRoleArn`.
  /// - `AWS::RDS::DBProxy`: `Auth[].SecretArn`; as `RoleArn`.
  /// - `AWS::Lambda::EventSourceMapping`: `SourceAccessConfigurations[].URI` of types
  ///   `BASIC_AUTH`, `SASL_SCRAM_256_AUTH`, `SASL_SCRAM_512_AUTH`, `CLIENT_CERTIFICATE_TLS_AUTH`,
  ///   `SERVER_ROOT_CA_CERTIFICATE`; as the `Role` of the function `FunctionName` names.
  /// - `AWS::Serverless::Function` (SAM): the same under `Events.*.Properties` (MQ, MSK and
  ///   self-managed Kafka events); as its `Role`, or the `<Function>Role` SAM generates.
  /// - `AWS::Pipes::Pipe`: the `Credentials` of `SourceParameters` `SelfManagedKafkaParameters`,
  ///   `ManagedStreamingKafkaParameters`, `ActiveMQBrokerParameters`, `RabbitMQBrokerParameters`,
  ///   `SelfManagedKafkaParameters.ServerRootCaCertificate`,
  ///   `TargetParameters.RedshiftDataParameters.SecretManagerArn`; as `RoleArn`.
  /// - `AWS::DMS::Endpoint`: `SecretsManagerSecretId` of each `…Settings`, as its
  ///   `SecretsManagerAccessRoleArn`; `OracleSettings.SecretsManagerOracleAsmSecretId` as
  ///   `SecretsManagerOracleAsmAccessRoleArn`.
  /// - `AWS::AppSync::DataSource`: `RelationalDatabaseConfig.RdsHttpEndpointConfig.AwsSecretStoreArn`;
  ///   as `ServiceRoleArn`.
  /// - `AWS::Events::Rule`: `Targets[].RedshiftDataParameters.SecretManagerArn`; as the target's
  ///   `RoleArn`.
  /// - `AWS::SecretsManager::RotationSchedule`: `SecretId`, which the rotation function reads and
  ///   writes; as the `Role` of `RotationLambdaARN`'s function.
  /// - `AWS::Glue::Connection`: `ConnectionInput.ConnectionProperties.SECRET_ID`,
  ///   `ConnectionInput.AuthenticationConfiguration.SecretArn`; no role of its own (the job or
  ///   crawler that uses the connection reads it).
  /// - `AWS::MSK::BatchScramSecret`: `SecretArnList[]`; read by Amazon MSK itself.
  static let all: [RuntimeConsumerRule] = ecs + codeBuild + batch + appRunner + others

  private static let ecs = containerRules(
    "AWS::ECS::TaskDefinition", "ContainerDefinitions/*", role: .property("ExecutionRoleArn"))

  private static let codeBuild: [RuntimeConsumerRule] = [
    RuntimeConsumerRule(
      "AWS::CodeBuild::Project", "Environment/EnvironmentVariables/*",
      .typed(
        typeKey: "Type", valueKey: "Value",
        formats: ["PARAMETER_STORE": .parameterName, "SECRETS_MANAGER": .secretIDWithOptions]),
      role: .property("ServiceRole")),
    RuntimeConsumerRule(
      "AWS::CodeBuild::Project", "Environment/RegistryCredential",
      .key("Credential", .secretID), role: .property("ServiceRole")),
  ]

  private static let batch: [RuntimeConsumerRule] =
    containerRules(
      "AWS::Batch::JobDefinition", "ContainerProperties",
      role: .property("ContainerProperties/ExecutionRoleArn"))
    + containerRules(
      "AWS::Batch::JobDefinition", "EcsProperties/TaskProperties/*/Containers/*",
      role: .property("EcsProperties/TaskProperties/*/ExecutionRoleArn"))
    + containerRules(
      "AWS::Batch::JobDefinition", "NodeProperties/NodeRangeProperties/*/Container",
      role: .property("NodeProperties/NodeRangeProperties/*/Container/ExecutionRoleArn"))
    + containerRules(
      "AWS::Batch::JobDefinition",
      "NodeProperties/NodeRangeProperties/*/EcsProperties/TaskProperties/*/Containers/*",
      role: .property(
        "NodeProperties/NodeRangeProperties/*/EcsProperties/TaskProperties/*/ExecutionRoleArn"))

  private static let appRunner: [RuntimeConsumerRule] = [
    "SourceConfiguration/CodeRepository/CodeConfiguration/CodeConfigurationValues/RuntimeEnvironmentSecrets/*",
    "SourceConfiguration/ImageRepository/ImageConfiguration/RuntimeEnvironmentSecrets/*",
  ].map {
    RuntimeConsumerRule(
      "AWS::AppRunner::Service", $0, .key("Value", .valueFrom),
      role: .property("InstanceConfiguration/InstanceRoleArn"))
  }

  private static let eventSourceSecretTypes: [String: StoreLocator.Format] = [
    "BASIC_AUTH": .secretID, "SASL_SCRAM_256_AUTH": .secretID, "SASL_SCRAM_512_AUTH": .secretID,
    "CLIENT_CERTIFICATE_TLS_AUTH": .secretID, "SERVER_ROOT_CA_CERTIFICATE": .secretID,
  ]

  private static let dmsSettings = [
    "DocDbSettings", "IbmDb2Settings", "MicrosoftSqlServerSettings", "MongoDbSettings",
    "MySqlSettings", "OracleSettings", "PostgreSqlSettings", "RedshiftSettings", "SybaseSettings",
  ]

  private static let others: [RuntimeConsumerRule] =
    [
      RuntimeConsumerRule(
        "AWS::RDS::DBProxy", "Auth/*", .key("SecretArn", .secretID), role: .property("RoleArn")),
      RuntimeConsumerRule(
        "AWS::Lambda::EventSourceMapping", "SourceAccessConfigurations/*",
        .typed(typeKey: "Type", valueKey: "URI", formats: eventSourceSecretTypes),
        role: .function("FunctionName")),
      RuntimeConsumerRule(
        "AWS::Serverless::Function", "Events/*/Properties/SourceAccessConfigurations/*",
        .typed(typeKey: "Type", valueKey: "URI", formats: eventSourceSecretTypes),
        role: .samResource),
    ]
    + [
      "SourceParameters/SelfManagedKafkaParameters/Credentials/*",
      "SourceParameters/SelfManagedKafkaParameters/ServerRootCaCertificate",
      "SourceParameters/ManagedStreamingKafkaParameters/Credentials/*",
      "SourceParameters/ActiveMQBrokerParameters/Credentials/*",
      "SourceParameters/RabbitMQBrokerParameters/Credentials/*",
      "TargetParameters/RedshiftDataParameters/SecretManagerArn",
    ].map {
      RuntimeConsumerRule("AWS::Pipes::Pipe", $0, .itself(.secretID), role: .property("RoleArn"))
    }
    + dmsSettings.map {
      RuntimeConsumerRule(
        "AWS::DMS::Endpoint", $0, .key("SecretsManagerSecretId", .secretID),
        role: .property("\($0)/SecretsManagerAccessRoleArn"))
    }
    + [
      RuntimeConsumerRule(
        "AWS::DMS::Endpoint", "OracleSettings", .key("SecretsManagerOracleAsmSecretId", .secretID),
        role: .property("OracleSettings/SecretsManagerOracleAsmAccessRoleArn")),
      RuntimeConsumerRule(
        "AWS::AppSync::DataSource", "RelationalDatabaseConfig/RdsHttpEndpointConfig",
        .key("AwsSecretStoreArn", .secretID), role: .property("ServiceRoleArn")),
      RuntimeConsumerRule(
        "AWS::Events::Rule", "Targets/*/RedshiftDataParameters",
        .key("SecretManagerArn", .secretID), role: .property("Targets/*/RoleArn")),
      RuntimeConsumerRule(
        "AWS::SecretsManager::RotationSchedule", "SecretId", .itself(.secretID),
        role: .function("RotationLambdaARN")),
      RuntimeConsumerRule(
        "AWS::Glue::Connection", "ConnectionInput/ConnectionProperties",
        .key("SECRET_ID", .secretID), role: .none),
      RuntimeConsumerRule(
        "AWS::Glue::Connection", "ConnectionInput/AuthenticationConfiguration",
        .key("SecretArn", .secretID), role: .none),
      RuntimeConsumerRule(
        "AWS::MSK::BatchScramSecret", "SecretArnList/*", .itself(.secretID), role: .none),
    ]

  /// The three store-backed fields of an ECS-style container definition.
  private static func containerRules(_ type: String, _ container: String, role: Role)
    -> [RuntimeConsumerRule]
  {
    [
      RuntimeConsumerRule(
        type, "\(container)/Secrets/*", .key("ValueFrom", .valueFrom), role: role),
      RuntimeConsumerRule(
        type, "\(container)/RepositoryCredentials", .key("CredentialsParameter", .secretID),
        role: role),
      RuntimeConsumerRule(
        type, "\(container)/LogConfiguration/SecretOptions/*", .key("ValueFrom", .valueFrom),
        role: role),
    ]
  }
}

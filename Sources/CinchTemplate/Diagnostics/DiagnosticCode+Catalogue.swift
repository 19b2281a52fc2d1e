// The catalogue of every diagnostic cinch reports. Add a code here (and to `all`), never inline;
// `Docs/Diagnostics.md` is generated from this list (`cinch diagnostics --markdown`) and a test
// fails when the committed file is stale.

extension DiagnosticCode {
  // MARK: 0 — input and parsing

  public static let fileUnreadable = DiagnosticCode(
    "E0001", "file-unreadable",
    "The file could not be read: it does not exist, is a directory, or is not readable.")
  public static let invalidUTF8 = DiagnosticCode(
    "E0002", "invalid-utf8",
    "The file is not valid UTF-8; the diagnostic gives the offset of the first bad byte.")
  public static let yamlSyntax = DiagnosticCode(
    "E0003", "yaml-syntax",
    "The YAML is malformed; libyaml's reason and the position where it stopped are given.")
  public static let jsonSyntax = DiagnosticCode(
    "E0004", "json-syntax",
    "The JSON is malformed (RFC 8259); the position of the first error is given.")
  public static let duplicateKey = DiagnosticCode(
    "E0005", "duplicate-key",
    "A mapping has the same key twice; CloudFormation rejects such templates, and which value wins is undefined elsewhere."
  )
  public static let nestingTooDeep = DiagnosticCode(
    "E0006", "nesting-too-deep",
    "Collections are nested deeper than the limit (`--max-depth`), in the text or once YAML aliases are expanded (a copy nests as deep as what it copies); real templates nest a few dozen levels."
  )
  public static let tooManyNodes = DiagnosticCode(
    "E0007", "too-many-nodes", "The document has more nodes than the limit (`--max-nodes`).")
  public static let aliasExpansionLimit = DiagnosticCode(
    "E0008", "alias-expansion-limit",
    "YAML aliases expand to more nodes than the limit (`--max-alias-nodes`), or copy more bytes of text than a file may hold (`--max-file-size`): the shape of a billion-laughs attack."
  )
  public static let fileTooLarge = DiagnosticCode(
    "E0009", "file-too-large",
    "The file is larger than the limit (`--max-file-size`); CloudFormation itself accepts at most 1 MB."
  )
  public static let scalarTooLong = DiagnosticCode(
    "E0010", "scalar-too-long", "A single scalar is longer than the limit (`--max-scalar-length`).")
  public static let unknownTag = DiagnosticCode(
    "W0011", "unknown-tag",
    "A YAML tag that is neither a CloudFormation short form nor a standard YAML tag; CloudFormation rejects it."
  )
  public static let multipleDocuments = DiagnosticCode(
    "E0012", "multiple-documents",
    "The file holds more than one YAML document; a template is exactly one.")
  public static let nonScalarKey = DiagnosticCode(
    "E0013", "non-scalar-key",
    "A mapping key is a collection or an alias; template keys are strings.")
  public static let undefinedAlias = DiagnosticCode(
    "E0014", "undefined-alias", "An alias refers to an anchor that is not defined before it.")
  public static let emptyDocument = DiagnosticCode(
    "W0015", "empty-document", "The file holds no document at all.")
  public static let yamlAlias = DiagnosticCode(
    "W0016", "yaml-alias",
    "A YAML alias: CloudFormation rejects templates with aliases; `aws cloudformation package` and SAM expand them before a deploy, as cinch does."
  )
  public static let mergeKey = DiagnosticCode(
    "W0017", "merge-key",
    "A YAML merge key (`<<`): CloudFormation does not merge mappings; `aws cloudformation package` and SAM apply merge keys before a deploy, as cinch does."
  )
  public static let invalidMerge = DiagnosticCode(
    "E0018", "invalid-merge",
    "A merge key (`<<`) whose value is not a mapping or a list of mappings."
  )
  public static let jsonReadAsYAML = DiagnosticCode(
    "W0019", "json-read-as-yaml",
    "The file opens like JSON (`{` or `[`) but is not well-formed JSON (a trailing comma, a comment, a tab or a line break in a string, a single-quoted string, an unquoted key…); it reads as YAML, so cinch checks it as YAML, but CloudFormation reads a template that opens like JSON as JSON and refuses it (`Template format error: JSON not well-formed`). The diagnostic gives the first JSON error."
  )

  // MARK: 1 — template structure and intrinsic functions

  public static let unknownIntrinsic = DiagnosticCode(
    "E1001", "unknown-intrinsic",
    "A one-key mapping whose key starts with `Fn::` names no intrinsic function CloudFormation defines."
  )
  public static let malformedIntrinsic = DiagnosticCode(
    "E1002", "malformed-intrinsic",
    "An intrinsic function's argument has the wrong shape (for example `!GetAtt` without a `.`, or a function as `Fn::Join`'s delimiter, where CloudFormation allows only a string), or the function is where CloudFormation does not take it. For `Fn::ForEach` (`AWS::LanguageExtensions`): a loop in `Parameters` or `Mappings`, more than 5 loops nested, a loop's identifier that is also a parameter's name, and a key of a loop's body without `${Identifier}` or `&{Identifier}` when the loop has more than one element (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html)."
  )

  public static let sectionNotMapping = DiagnosticCode(
    "E1003", "section-not-mapping",
    "A template section (`Parameters`, `Resources`, …) is not a mapping.")
  public static let resourceWithoutType = DiagnosticCode(
    "E1004", "resource-without-type", "A resource has no `Type`.")

  public static let mappingKeyNotFound = DiagnosticCode(
    "E1005", "mapping-key-not-found",
    "`Fn::FindInMap` looks up a key its mapping does not have, and gives no `DefaultValue`.")
  public static let parameterConstraint = DiagnosticCode(
    "E1006", "parameter-constraint",
    "A parameter value breaks the parameter's `AllowedValues`, `AllowedPattern`, length or value limits, or its type. An `AllowedPattern` cinch cannot read as a (Java) regular expression is a warning of the same code: the values are then not held to it."
  )
  public static let undeclaredParameter = DiagnosticCode(
    "W1007", "undeclared-parameter",
    "A value is given for a parameter the template does not declare.")
  public static let parameterFile = DiagnosticCode(
    "E1008", "parameter-file",
    "A parameters file (or a `--parameter-overrides file://` one) is not CloudFormation's list of `ParameterKey`/`ParameterValue`, a list of `\"Key=Value\"` strings or a plain object of values, or it gives a value as null or beside `UsePreviousValue`."
  )
  public static let previousValue = DiagnosticCode(
    "W1010", "previous-value",
    "A parameters file says `UsePreviousValue: true`: the value is the deployed stack's, which cinch does not know, so the parameter is evaluated without it (its default, or waiting on a value)."
  )
  public static let invalidParameterType = DiagnosticCode(
    "E1011", "invalid-parameter-type",
    "A parameter has no `Type`, or one CloudFormation does not define (`String`, `Number`, `List<Number>`, `CommaDelimitedList`, the AWS-specific types and their lists, the Systems Manager types); CloudFormation rejects the template."
  )
  public static let unknownSection = DiagnosticCode(
    "E1012", "unknown-section",
    "A top-level key of a template is not one of CloudFormation's sections (`AWSTemplateFormatVersion`, `Description`, `Metadata`, `Parameters`, `Rules`, `Mappings`, `Conditions`, `Transform`, `Resources`, `Outputs`, and `Hooks`; `Globals` under a transform): CloudFormation rejects the template (`Invalid template property or properties`), and a misspelt section such as `Output` would otherwise go unchecked. A file with neither a format version nor a transform is held to this only for near misses of a section's name; one whose `Resources` is itself misspelt (`resources:`, `Resource:`) is read as a template when every top-level key is a section or a near miss of one and the misspelt key holds entries with a `Type` (a Serverless Framework file's `resources` sits beside `service` and `provider`, and is not judged)."
  )
  public static let noResources = DiagnosticCode(
    "E1013", "no-resources",
    "A template has no `Resources`, or an empty one: CloudFormation requires at least one resource (`At least one Resources member must be defined`)."
  )
  public static let invalidLogicalID = DiagnosticCode(
    "E1014", "invalid-logical-id",
    "A logical ID (of a resource, parameter, condition, mapping or output) is not made of letters and digits only, or is longer than 255 characters: CloudFormation rejects the template (`Template format error: … is non alphanumeric`; https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html). So is a resource with the logical ID of a parameter: `Ref` names either, and logical IDs are unique within a template. A loop of `Fn::ForEach` makes logical IDs from its keys (`Topic${Name}`, `Topic&{Name}`: the element's letters and digits only) once its collection is known with the inputs given (written out, a parameter's value or default; one known only at deploy is not judged): each must be letters and digits, made once, and no resource, condition or output written beside it; nor may a loop be named as a resource (`Fn::ForEach::Hy` beside `Hy`)."
  )
  public static let unknownSuppression = DiagnosticCode(
    "W1009", "unknown-suppression",
    "`Metadata: {cinch: {ignore: [...]}}` (on the template or a resource) names no diagnostic code, names an input error (E0xxx, which cannot be suppressed), or is not a list of codes or names; nothing is suppressed by it."
  )

  // MARK: 2 — reference syntax and placement

  public static let unknownService = DiagnosticCode(
    "E2001", "unknown-service",
    "The service of a dynamic reference is not `ssm`, `ssm-secure` or `secretsmanager` (case matters)."
  )
  public static let invalidName = DiagnosticCode(
    "E2002", "invalid-name",
    "A parameter name or secret id that AWS refuses: characters outside its alphabet (`a-zA-Z0-9_.-/` for parameters, `a-zA-Z0-9/_+=.@-` for secrets), a parameter name prefixed with `aws` or `ssm` in any case (outside AWS's own `/aws/…`), or a parameter hierarchy without its leading `/`, with an empty level, over 15 levels or over 1,011 characters."
  )
  public static let versionNotANumber = DiagnosticCode(
    "E2003", "version-not-a-number",
    "An `ssm`/`ssm-secure` version is not a positive integer (a label, `0`, or out of range); CloudFormation accepts no parameter labels in dynamic references."
  )
  public static let tooManySegments = DiagnosticCode(
    "E2004", "too-many-segments",
    "A reference has more `:`-separated segments than its kind allows (`ssm`: a name and a version; `secretsmanager`: a secret id and four more)."
  )
  public static let emptyName = DiagnosticCode(
    "E2005", "empty-name",
    "A reference names no parameter or secret: the name segment is empty or missing (`{{resolve:ssm}}`, `{{resolve:secretsmanager::SecretString}}`)."
  )
  public static let secretStringSegment = DiagnosticCode(
    "E2006", "secret-string-segment",
    "The second secretsmanager segment must be `SecretString` or empty; `SecretBinary` cannot be referenced."
  )
  public static let stageAndVersionId = DiagnosticCode(
    "E2007", "stage-and-version-id",
    "A secretsmanager reference gives both a version stage and a version id; AWS documents them as exclusive."
  )
  public static let nestedReference = DiagnosticCode(
    "E2008", "nested-reference",
    "A reference contains another reference; CloudFormation does not resolve references inside references."
  )
  public static let spacesInReference = DiagnosticCode(
    "E2009", "spaces-in-reference",
    "Spaces inside `{{ … }}`: CloudFormation does not recognise the text as a reference and leaves it literal."
  )
  public static let trailingBackslash = DiagnosticCode(
    "E2010", "trailing-backslash",
    "A reference ends with a backslash; AWS documents that such references fail to resolve.")
  public static let unterminatedReference = DiagnosticCode(
    "E2011", "unterminated-reference",
    "`{{resolve:` (or `<<resolve:`) is never closed; where an `Fn::Sub` variable or an `Fn::Join` piece known only after evaluation follows the opener (a pseudo-parameter aside), its value may write the `}}` (`!Sub '{{resolve:ssm:${N}'` with `N` = `/x}}`), and the evaluated text is judged instead (`W2015` while the parameter has no value)."
  )
  public static let emptyVersion = DiagnosticCode(
    "E2012", "empty-version",
    "An `ssm`/`ssm-secure` reference ends with `:` and no version; CloudFormation reports 'Incorrect format'."
  )
  public static let invalidSecretARN = DiagnosticCode(
    "E2013", "invalid-secret-arn",
    "A secret id that starts with `arn:` is not a Secrets Manager secret ARN (`arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`), or names another partition than the deploy's region (`--region`): a stack reads secrets of its own partition only."
  )
  public static let composedReference = DiagnosticCode(
    "I2014", "composed-reference",
    "A reference assembled from several `Fn::Join` pieces; its text is known only after evaluation with parameter values."
  )
  public static let referenceNotEvaluated = DiagnosticCode(
    "W2015", "reference-not-evaluated",
    "A reference's name depends on an input that is not set: a parameter with no value (`--parameter-overrides`) or the stack name (`--stack-name`), and it is checked and pinned once the input is given; or the region or account (`--region` or `AWS_REGION`, `--account-id` or `CINCH_ACCOUNT_ID`), and it is read with the default (`us-east-1`, `123456789012`), which the deploy may not use; or a condition decided with that default leaves the reference out, so it is not checked. A name that only a deploy knows (a resource of the stack, an import, `AWS::StackId`) is not reported: it is correct as written, cannot be checked or pinned beforehand, and `cinch refs` shows what it waits on. A reference in the body of an `Fn::ForEach` loop whose name uses the loop's identifier is reported too: cinch does not expand loops, so what each iteration reads is not checked, locked or granted (and `render --frozen` refuses it, E4007); a name without the identifier reads the same entry in every iteration and is read like any other."
  )
  public static let ssmSecurePlacement = DiagnosticCode(
    "E2020", "ssm-secure-placement",
    "`ssm-secure` is accepted only in the 11 resource properties AWS lists; elsewhere the change set fails. It cannot read AWS's public parameters (`/aws/service/…`), which are String parameters read with `ssm`, nor anything in the China Regions (`cn-north-1`, `cn-northwest-1`), where Systems Manager has no SecureString parameters."
  )
  public static let referenceInInit = DiagnosticCode(
    "E2021", "reference-in-init",
    "Dynamic references are not supported in `AWS::CloudFormation::Init` metadata.")
  public static let referenceInUserData = DiagnosticCode(
    "E2022", "reference-in-userdata",
    "Dynamic references are not supported in EC2 `UserData` (instances, launch templates, launch configurations and Spot Fleet launch specifications, `Fn::Base64` included); CloudFormation does not resolve them there, so nothing is read (nor checked against the store, locked or granted)."
  )
  public static let secretInMetadata = DiagnosticCode(
    "E2023", "secret-in-metadata",
    "A `secretsmanager` reference in resource `Metadata`, which would expose the value in the console, or in the template's other text the console shows: its `Description` and `Metadata`, a parameter's `Description` or `ConstraintDescription`, an output's `Description`."
  )
  public static let versionRequiredInParameters = DiagnosticCode(
    "E2024", "version-required-in-parameters",
    "An `ssm`/`ssm-secure` reference in the `Parameters` section must name a version.")
  public static let secureInParametersOrOutputs = DiagnosticCode(
    "E2025", "secure-in-parameters-or-outputs",
    "`ssm-secure` is not accepted in `Parameters` or `Outputs`.")
  public static let secretInOutputs = DiagnosticCode(
    "W2026", "secret-in-outputs",
    "A `secretsmanager` reference in `Outputs` is not resolved: CloudFormation returns the literal text."
  )
  public static let referenceInLogicalID = DiagnosticCode(
    "E2027", "reference-in-logical-id",
    "A reference in a logical ID, another mapping key, or a value that names a logical ID (`Ref`, `Fn::GetAtt`, `DependsOn`, `Condition`), where nothing is resolved, so nothing is read (nor checked against the store, locked or granted)."
  )
  public static let secretWhereARNExpected = DiagnosticCode(
    "W2028", "secret-where-arn-expected",
    "A `secretsmanager` reference in a property that expects the secret's ARN or id; the reference resolves to the secret's value."
  )
  public static let tooManyReferences = DiagnosticCode(
    "E2029", "too-many-references",
    "More than 60 dynamic references in one template, CloudFormation's limit (those in `Mappings` are not counted: CloudFormation resolves only the entries a template selects)."
  )
  public static let insecurePassword = DiagnosticCode(
    "W2030", "insecure-password",
    "A password-like property takes a plain `ssm` reference or a parameter without `NoEcho` instead of an `ssm-secure` or `secretsmanager` reference; the value shows in clear in Parameter Store or in the stack's parameters."
  )
  public static let secretInCustomResource = DiagnosticCode(
    "E2031", "secret-in-custom-resource",
    "A `secretsmanager` reference in a custom resource's properties; CloudFormation passes no secure values to custom resources."
  )
  public static let passwordInTemplate = DiagnosticCode(
    "E2032", "password-in-template",
    "A password-like property is given a value written in the template, where anyone who reads the template or the stack sees it; use an `ssm-secure` or `secretsmanager` reference. A placeholder (no letter or digit, as `<>`, or text marked `EXAMPLE`) is left alone. The value is never shown."
  )
  public static let noEchoDefault = DiagnosticCode(
    "E2033", "noecho-default",
    "A `NoEcho` parameter has a `Default`: the value it hides is written in the template. Pass it at deploy, or read it with a secure reference. A placeholder (no letter or digit, as `<>`, or text marked `EXAMPLE`) is left alone, as in E2032. The value is never shown."
  )
  public static let credentialInTemplate = DiagnosticCode(
    "E2034", "credential-in-template",
    "Text shaped like a credential (an AWS access key id and secret key, a private key block, a GitHub, Slack, Stripe, Google or npm token, a JWT, a password in a URL) is written in the template, comments included; AWS's documented example keys and text marked `EXAMPLE` are left alone. Move it to the store, reference it, and rotate it. The text is never shown."
  )
  public static let noEchoInReference = DiagnosticCode(
    "E2035", "noecho-in-reference",
    "A dynamic reference's name is built from a `NoEcho` parameter: its value would be part of the name cinch shows (`refs`, `graph`, diagnostics) and records (the lockfile, the plan, the manifest), so the reference is not read. Build the name from a parameter that is not `NoEcho`; the secret belongs in the store, behind the reference."
  )
  public static let referenceInSAMLocation = DiagnosticCode(
    "E2036", "reference-in-sam-location",
    "A dynamic reference in a SAM property that names code or an application by a string (`CodeUri`, `ContentUri`, `Location/ApplicationId`): the SAM transform rejects the template. Give an S3 location as an object (`Bucket`, `Key`, `Version`) instead."
  )
  public static let resolveNotLowerCase = DiagnosticCode(
    "E2037", "resolve-not-lower-case",
    "`{{RESOLVE:…}}`, `{{Resolve:…}}`: CloudFormation recognises a dynamic reference only by `resolve` in lower case, so the text is deployed as written."
  )
  public static let referenceInResourceAttribute = DiagnosticCode(
    "E2038", "reference-in-resource-attribute",
    "A dynamic reference in a resource's `Type`, `DeletionPolicy`, `UpdateReplacePolicy`, `CreationPolicy` or `UpdatePolicy`: CloudFormation resolves dynamic references in resource properties, and reads these attributes as they are written (a resource type, one of the policy's words, a policy's settings) before any property is resolved."
  )
  public static let referenceTextTransformed = DiagnosticCode(
    "E2039", "reference-text-transformed",
    "A dynamic reference inside `Fn::Base64`, split apart by the delimiter of an `Fn::Split` (or used as that delimiter) and not joined again as it was (a piece picked by `Fn::Select`, or the pieces joined with another delimiter, which makes other text: the message says which): CloudFormation runs intrinsic functions on the template's text before it resolves the references the result still holds, so the function encodes or splits the reference's text and the reference as written is not read (nor checked against the store, locked or granted) (cfn-lint's E1018 for `Fn::Split`; aws-cdk issue 14476). Read the value where it is used instead."
  )
  public static let referenceValueNotSplit = DiagnosticCode(
    "W2040", "reference-value-not-split",
    "A dynamic reference as the whole string an `Fn::Split` splits (written alone, or as an `Fn::Sub` string), with a delimiter its text does not contain: CloudFormation splits before it resolves, so the reference stays one item of the list, the whole value (a `StringList` parameter comes back comma-joined, not as a list; aws-cdk issue 19349). Use a template parameter of type `AWS::SSM::Parameter::Value<List<String>>` for a list."
  )

  // MARK: 3 — graph

  public static let cycle = DiagnosticCode(
    "E3001", "cycle",
    "Resources, conditions or outputs depend on each other in a circle; the cycle is named in order."
  )
  public static let danglingReference = DiagnosticCode(
    "E3002", "dangling-reference",
    "`Ref`, `Fn::GetAtt`, `${…}`, `DependsOn`, `Condition` or `Fn::FindInMap` names something the template does not define."
  )
  public static let unusedParameter = DiagnosticCode(
    "W3003", "unused-parameter",
    "A parameter nothing in the template uses; deploys must still give it a value (or rely on its default)."
  )
  public static let unusedMapping = DiagnosticCode(
    "W3004", "unused-mapping", "A mapping no `Fn::FindInMap` reads.")
  public static let resourceNotCreated = DiagnosticCode(
    "E3006", "resource-not-created",
    "A resource or output the deploy creates uses (`Ref`, `Fn::GetAtt`, `${…}`, `DependsOn`) a resource whose `Condition` is false on this deploy: CloudFormation fails the deploy with `Unresolved resource dependencies`. Said only when the condition is false with the inputs given, whatever a defaulted region or account would be; a use in an `Fn::If` branch not taken is fine. Uses into or out of an `Fn::ForEach` loop are not judged: cinch does not expand loops."
  )
  public static let definitionNotRead = DiagnosticCode(
    "W3005", "definition-not-read",
    "A state machine's `DefinitionString` that is not JSON cinch can read (malformed, or nested deeper than its parse limits): the Parameter Store and Secrets Manager calls of its tasks are not checked, and no policy grants them."
  )

  // MARK: 4 — store, lockfile and resolution

  public static let entryNotFound = DiagnosticCode(
    "E4001", "entry-not-found",
    "A reference names a parameter or secret the store does not have. A secret's full ARN of another region or account than the deploy's (`--region`, `--account-id`) is never found, as the store is read from the deploy's region and account; the message names both."
  )
  public static let versionNotFound = DiagnosticCode(
    "E4002", "version-not-found",
    "The version, version id or staging label a reference (or its pin) names does not exist: Parameter Store keeps 100 versions, and Secrets Manager may delete versions without labels."
  )
  public static let typeMismatch = DiagnosticCode(
    "E4003", "type-mismatch",
    "An `ssm` reference names a SecureString, or an `ssm-secure` reference a String or StringList; CloudFormation refuses both."
  )
  public static let scheduledForDeletion = DiagnosticCode(
    "E4004", "scheduled-for-deletion",
    "A referenced secret is scheduled for deletion: reads fail until it is restored.")
  public static let jsonKeyNotFound = DiagnosticCode(
    "E4005", "json-key-not-found",
    "The secret has no such JSON key (or is not a JSON object); CloudFormation fails with 'Could not find a value associated with JSONKey in SecretString'."
  )
  public static let storeFailure = DiagnosticCode(
    "E4006", "store-failure",
    "The store could not answer for a reference (an error other than a missing entry).")
  public static let notInLock = DiagnosticCode(
    "E4007", "not-in-lock",
    "A reference is not in the lockfile: run `cinch lock`. Offline, or with `--frozen`, an error (nothing else vouches for it); checked against a store, a warning. `cinch render` without `--frozen` pins it at the store's version and says so, as a warning, marking it `\"locked\": false` in `manifest.json`; `cinch policy --lock` says so too, as a warning, and grants a secret at the version id the store has now (the one render pins), or any version of it when no store says."
  )
  public static let lockEntryUnused = DiagnosticCode(
    "W4008", "lock-entry-unused",
    "A lockfile entry that no template uses any more (an error with `--frozen`): run `cinch lock` to drop it."
  )
  public static let pinBehind = DiagnosticCode(
    "W4009", "pin-behind",
    "A pin is behind the store: a newer parameter version exists, the secret's AWSCURRENT moved, or the pinned version is close to Parameter Store's 100-version roll-off (an error with `--frozen`)."
  )
  public static let referenceNotLockable = DiagnosticCode(
    "E4010", "reference-not-lockable",
    "A reference's name is not known (it waits on a parameter), or it reads a secret through Parameter Store (`{{resolve:ssm-secure:/aws/reference/secretsmanager/ID}}`), whose versions no parameter version can name: it cannot be resolved or pinned. Reference the secret as `{{resolve:secretsmanager:ID}}` to lock it."
  )
  public static let jsonKeyUnverified = DiagnosticCode(
    "I4011", "json-key-unverified",
    "A `secretsmanager` reference reads a JSON key that no lock entry records as verified. Only a value shows its keys, so `cinch check` never reads one: `cinch lock` verifies the key and records it, and `check` trusts the lock."
  )
  public static let fingerprintKeyMismatch = DiagnosticCode(
    "W4012", "fingerprint-key-mismatch",
    "The lockfile was fingerprinted under another key than this store's (made against another store, with another `CINCH_FINGERPRINT_KEY`, or by a cinch from before fingerprints were bound to their entry): `cinch plan` cannot say whether any value changed, nor `cinch render` whether the pins it reads (`--mode inline`, `--frozen`) hold the values locked: with `--frozen` that is an error and nothing is written. The lock records which key made its fingerprints; one from before it did is judged by its pins at the store's own version, none of which match. `cinch lock` fingerprints the same pins again (`--update` would also move them to the latest versions). `cinch check` says it beside the pins an embedded store lacks (E4001, E4002): the lock was most likely made against another store."
  )
  public static let pinnedValueChanged = DiagnosticCode(
    "E4014", "pinned-value-changed",
    "A pinned version is still in the store, but with another value than the one locked: its fingerprint differs under the same key. A version's value never changes, so the parameter was deleted and created again, and its versions started over at 1. `cinch render --frozen` and `render --mode inline` refuse the pin (the deploy would read a value the lock never vouched for); `cinch plan` lists it with `*`; `cinch lock` takes the new value and says so."
  )
  public static let checkNotRun = DiagnosticCode(
    "E4013", "check-not-run",
    "`cinch check` could not run: the store or the lockfile it needs could not be read, or none is there for `--offline` or `--frozen`; the message says which. Nothing was checked. In `--format sarif` this is the run's tool execution notification (`executionSuccessful: false`), located at the lockfile's line when a broken entry or a merge's conflict marker is the cause, never a result in code, so a CI job that uploads the log still has one; the exit status is 2."
  )
  public static let partialARNLikeComplete = DiagnosticCode(
    "W4015", "partial-arn-like-complete",
    "A secret named by a partial ARN (without the `-` and six characters Secrets Manager adds) whose name itself ends in `-` and six letters or digits (`…:secret:prod/db-config`): the store found the secret by its name, but Secrets Manager may take the ARN for a complete one and not find it (troubleshoot.html#ARN_secretnamehyphen). Name the secret by its name or by its full ARN. Said of references and of what resources read when they run (an ECS task's `ValueFrom`, …), whose failure comes only after the deploy. `cinch policy` grants both readings of such an ARN."
  )

  // MARK: 5 — rendering

  public static let parameterTypeNotPinned = DiagnosticCode(
    "I5001", "parameter-type-not-pinned",
    "An `AWS::SSM::Parameter::Value<…>` parameter names its parameter as an input; CloudFormation resolves it at deploy. The lock records the version; the template cannot carry it."
  )
  public static let notRendered = DiagnosticCode(
    "E5002", "not-rendered",
    "A reference could not be written in its rendered form where it sits (a version that would fall into an `Fn::Join` piece known only at deploy, a value that would change how an `Fn::Sub` string reads); the message says why."
  )
  public static let outputCollision = DiagnosticCode(
    "E5003", "output-collision",
    "Two templates would be rendered to the same file in the output folder (the templates keep their own relative paths, or, when one is outside the current folder, their paths from the lockfile's folder or from the folder that holds them all, so two distinct templates rarely meet), or a template to `manifest.json`, the manifest's own file; nothing is written. Render them from a folder that holds both, one at a time, or (a template named `manifest.json`) from its parent folder or to standard output (`-o -`)."
  )
  public static let leftForTheDeploy = DiagnosticCode(
    "W5004", "left-for-the-deploy",
    "`render --mode inline` met a reference whose name waits on a resource of the stack or an import (a secret the stack creates, `!ImportValue`): no value exists before the deploy, so the reference is written as it is, for CloudFormation to resolve. A target that resolves nothing itself gets its text."
  )

  // MARK: 6 — IAM policies

  public static let crossAccountSecret = DiagnosticCode(
    "W6001", "cross-account-secret",
    "A secret of another account: the identity policy alone is not enough, the secret's resource policy must allow the reader and the secret must be encrypted with a customer-managed key whose key policy allows `kms:Decrypt`; the identity's own policy must allow `kms:Decrypt` on that key too (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html). The policy grants it when a lock records the key of the pinned version (`keyId`); otherwise the warning says no statement grants it, since no store holds another account's secrets."
  )
  public static let encryptionKeyUnknown = DiagnosticCode(
    "I6002", "encryption-key-unknown",
    "The store does not say which KMS key protects a parameter or secret, so no `kms:Decrypt` statement is generated for it; one is needed if the key is customer-managed."
  )
  public static let encryptionKeyUndescribed = DiagnosticCode(
    "W6012", "encryption-key-undescribed",
    "The store names the KMS key of a parameter or secret, but KMS would not describe it (no `kms:DescribeKey` for the identity running cinch, or the key is gone), so whether it is customer-managed is not known and no `kms:Decrypt` statement is generated for it: the policy may be short of one."
  )
  public static let readNotInPolicy = DiagnosticCode(
    "W6003", "read-not-in-policy",
    "A read whose parameter or secret is not known before deploy (it waits on an input, an import or an attribute), so no statement names it; set the input or grant it by hand."
  )
  public static let consumerWithoutRole = DiagnosticCode(
    "W6004", "consumer-without-role",
    "A resource reads the store at run time but names no role to read as (an ECS task definition without `ExecutionRoleArn`), or reads as a role cinch cannot name; the policy is not attached to anything."
  )
  public static let consumerReadsAsItsUser = DiagnosticCode(
    "I6006", "consumer-reads-as-its-user",
    "A resource that reads the store as whatever uses it (a Glue connection, an MSK SCRAM secret) rather than a role of its own: grant the read to that user's role."
  )
  public static let entryNamedByTemplate = DiagnosticCode(
    "I6005", "entry-named-by-template",
    "A parameter or secret the template creates without a fixed name: only CloudFormation output can name it (`!Ref`), the IAM JSON leaves it out. A `Name` built from an input cinch was not given (`${AWS::StackName}` without `--stack-name`, a parameter without a value) is said with the flag that names it."
  )
  public static let roleLacksRead = DiagnosticCode(
    "E6007", "role-lacks-read",
    "A resource reads a parameter or secret when it runs (an ECS container's `Secrets`, a CodeBuild `SECRETS_MANAGER` variable, …) as a role of the template whose statements do not allow that read, or explicitly deny it: the deploy succeeds and the read fails at run time. Only what cinch can see is judged: the template's statements and those of a few AWS managed policies it knows (`AmazonECSTaskExecutionRolePolicy`, `AmazonSSMManagedInstanceCore`, …); a role with any other managed policy from outside the template, or a statement cinch cannot evaluate (a condition, a value waiting on an input), is never reported."
  )
  public static let readGrantedOnAny = DiagnosticCode(
    "W6008", "read-granted-on-any",
    "A statement allows `secretsmanager:GetSecretValue` or an `ssm:GetParameter*` action (`ssm:*`, `*` and the like included) on every secret or parameter (`*`, or an ARN whose name is `*`): whoever holds it reads every one in the account. Name the entries read instead; `cinch policy --profile consumers` writes them."
  )
  public static let policyTooLarge = DiagnosticCode(
    "W6009", "policy-too-large",
    "A generated policy is longer than IAM takes: a managed policy holds at most 6,144 characters and a role's inline policies 10,240 together, whitespace not counted (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). `aws iam create-policy` and the stack would fail; `--collapse-prefix` grants a path's entries with one wildcard, or split the templates."
  )
  public static let nameFixedByInputs = DiagnosticCode(
    "W6010", "name-fixed-by-inputs",
    "A name a resource reads at run time depends on where the stack is deployed or on its parameters in a way `!Sub` cannot write (an `Fn::If` on a condition, a mapping, a list): the consumers' CloudFormation policy grants the name evaluated with these inputs, which a stack deployed with other values does not read (and another environment's role would be granted this one's). Generate the policy per environment (`--parameter-overrides`), or build the name with `!Sub` from the parameter."
  )
  public static let readOutlivesItsCondition = DiagnosticCode(
    "W6011", "read-outlives-its-condition",
    "A resource with a `Condition` reads at run time as a role with another `Condition`: the consumers' CloudFormation policy is attached whenever the role exists (a policy may have one condition), so the role keeps the grant in stacks without the resource, another environment's role granted this one's names. Give the role the resource's condition, or generate the policy per environment. (A role with no condition gets a policy of its own under the resource's.)"
  )

  /// Every code, in catalogue order.
  public static let all: [DiagnosticCode] = [
    fileUnreadable, invalidUTF8, yamlSyntax, jsonSyntax, duplicateKey, nestingTooDeep,
    tooManyNodes, aliasExpansionLimit, fileTooLarge, scalarTooLong, unknownTag,
    multipleDocuments, nonScalarKey, undefinedAlias, emptyDocument, yamlAlias, mergeKey,
    invalidMerge, jsonReadAsYAML,
    unknownIntrinsic, malformedIntrinsic, sectionNotMapping, resourceWithoutType,
    mappingKeyNotFound, parameterConstraint, undeclaredParameter, parameterFile, unknownSuppression,
    previousValue, invalidParameterType, unknownSection, noResources, invalidLogicalID,
    unknownService, invalidName, versionNotANumber, tooManySegments, emptyName,
    secretStringSegment, stageAndVersionId, nestedReference, spacesInReference,
    trailingBackslash, unterminatedReference, emptyVersion, invalidSecretARN, composedReference,
    referenceNotEvaluated,
    ssmSecurePlacement, referenceInInit, referenceInUserData, secretInMetadata,
    versionRequiredInParameters, secureInParametersOrOutputs, secretInOutputs,
    referenceInLogicalID, secretWhereARNExpected, tooManyReferences, insecurePassword,
    secretInCustomResource, passwordInTemplate, noEchoDefault, credentialInTemplate,
    noEchoInReference, referenceInSAMLocation, resolveNotLowerCase, referenceInResourceAttribute,
    referenceTextTransformed, referenceValueNotSplit,
    cycle, danglingReference, unusedParameter, unusedMapping, definitionNotRead, resourceNotCreated,
    entryNotFound, versionNotFound, typeMismatch, scheduledForDeletion, jsonKeyNotFound,
    storeFailure, notInLock, lockEntryUnused, pinBehind, referenceNotLockable, jsonKeyUnverified,
    fingerprintKeyMismatch, checkNotRun, pinnedValueChanged, partialARNLikeComplete,
    parameterTypeNotPinned, notRendered, outputCollision, leftForTheDeploy,
    crossAccountSecret, encryptionKeyUnknown, readNotInPolicy, consumerWithoutRole,
    entryNamedByTemplate, consumerReadsAsItsUser, roleLacksRead, readGrantedOnAny,
    policyTooLarge, nameFixedByInputs, readOutlivesItsCondition, encryptionKeyUndescribed,
  ]
}

// swift-tools-version:6.1
// cinch: a compiler for infrastructure templates. The module graph is DESIGN §2:
// cinch → CinchCLI → (CinchCompiler →) CinchTemplate → (CYAMLEvents →) CYAML and
// CinchStore → GRDB, COpenSSL, CChildSpawn, CStoreVFS, dependencies pointing one way.
import PackageDescription

let strict: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "cinch",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "cinch", targets: ["cinch"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // libyaml's events, made on a thread of their own for a large template (its header says
    // why): C for the batch hand-over between threads, a few hundred lines of Swift otherwise.
    .target(
      name: "CYAMLEvents",
      dependencies: ["CYAML"],
      linkerSettings: [.linkedLibrary("pthread", .when(platforms: [.linux]))]
    ),
    // libcrypto, dlopened on first use (include/COpenSSL.h says why); compiled against the
    // OpenSSL headers of libssl-dev for its types and constants.
    .target(
      name: "COpenSSL",
      linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
    ),
    // libcurl, dlopened when the AWS backend sends its first request (not linked: a process
    // that never calls AWS loads none of libcurl's ~30 libraries). Compiled against
    // <curl/curl.h> from libcurl4-openssl-dev for constants and types only. dlopen is in libc
    // from glibc 2.34; before, it is in libdl (from 2.34 -ldl links an empty archive).
    .target(
      name: "CCurlLoader",
      linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
    ),
    // A rotator command's fork and exec (include/CChildSpawn.h says why C): on Linux it dies
    // with the thread of cinch that started it, even when cinch is killed by SIGKILL.
    .target(name: "CChildSpawn"),
    // SQLite's "unix" VFS with each region of the store's -shm faulted in writable as SQLite
    // maps it (include/CStoreVFS.h says why): a full disk is an error, not SIGBUS.
    .target(
      name: "CStoreVFS",
      dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
      linkerSettings: [.linkedLibrary("pthread", .when(platforms: [.linux]))]
    ),
    // AWS's partitions (ARN prefix and endpoint suffix by region), one table for every stage.
    .target(name: "CinchPartitions", swiftSettings: strict),
    .target(
      name: "CinchStore",
      dependencies: [
        "COpenSSL", "CChildSpawn", "CStoreVFS", "CinchJSON", "CinchPartitions",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API, for the read path's statements (Database/SteppedStatement.swift).
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "CinchAWS",
      dependencies: ["CinchStore", "COpenSSL", "CinchJSON", "CCurlLoader", "CinchPartitions"],
      swiftSettings: strict
    ),
    // The Vault-compatible surface (Docs/Vault.md): Vault's HTTP API as transport-independent
    // handlers over the embedded store, used by `cinch serve` and, in process, by the
    // `cinch kv` / `cinch transit` commands.
    .target(
      name: "CinchVault",
      dependencies: ["CinchStore", "CinchJSON", "COpenSSL"],
      swiftSettings: strict
    ),
    .target(
      name: "CinchJSON",
      swiftSettings: strict
    ),
    // `cinch serve`: the store over AWS JSON 1.1 (SigV4, IAM-style policies), with a route
    // table other surfaces (the Vault API) mount on. Its HTTP/1.1 server is its own
    // (Server/CinchHTTPServer.swift): FlyingFox's request parsing was half of a request's cost.
    .target(
      name: "CinchServer",
      dependencies: ["CinchStore", "CinchAWS", "CinchJSON", "CinchPartitions"],
      swiftSettings: strict
    ),
    .target(
      name: "CinchTemplate",
      dependencies: ["CYAML", "CYAMLEvents", "CinchJSON", "CinchPartitions"],
      swiftSettings: strict
    ),
    .target(
      name: "CinchCompiler",
      dependencies: ["CinchTemplate", "CinchStore", "CinchJSON", "CinchPartitions"],
      swiftSettings: strict
    ),
    .target(
      name: "CinchCLI",
      dependencies: [
        "CinchTemplate", "CinchJSON", "CinchStore", "CinchCompiler", "CinchAWS", "CinchServer",
        "CinchVault", "CinchPartitions",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "cinch",
      dependencies: ["CinchCLI"],
      swiftSettings: strict
    ),
    .target(
      name: "_CinchTestSupport",
      dependencies: [
        "CinchAWS", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchTemplateTests",
      dependencies: [
        "CinchTemplate", "CinchJSON", "CYAML", "CYAMLEvents", "_CinchTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchStoreTests",
      dependencies: [
        "CinchStore", "CStoreVFS", "CinchJSON", "_CinchTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchAWSTests",
      dependencies: [
        "CinchAWS", "CinchStore", "CinchJSON", "_CinchTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    // The store protocols' behaviour, one suite run against every backend: the embedded store
    // and the AWS backend talking to moto_server (with moto's known divergences marked).
    .testTarget(
      name: "StoreConformanceTests",
      dependencies: [
        "CinchStore", "CinchAWS", "_CinchTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchCompilerTests",
      dependencies: [
        "CinchCompiler", "CinchStore", "CinchTemplate", "CinchJSON", "CinchPartitions",
        "_CinchTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchVaultTests",
      dependencies: ["CinchVault", "CinchStore", "CinchJSON", "_CinchTestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchJSONTests",
      dependencies: ["CinchJSON", "_CinchTestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchServerTests",
      dependencies: ["CinchServer", "CinchAWS", "CinchStore", "CinchJSON", "_CinchTestSupport"],
      exclude: ["Clients/serve_clients.py"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CinchCLITests",
      dependencies: [
        "CinchCLI", "CinchTemplate", "CinchJSON", "CinchStore", "_CinchTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Store/Servers/tls_front.py"],
      swiftSettings: strict
    ),
  ]
)

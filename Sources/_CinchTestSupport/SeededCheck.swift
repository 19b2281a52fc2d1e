public import PropertyBased

/// Property checks run over a fixed sequence of inputs: the generators of PropertyBased driven
/// by a Xoshiro generator with a constant seed, so every run sees the same cases.
public func seededCheck<Value, Shrinks>(
  _ generator: Generator<Value, Shrinks>, count: Int = 400,
  seed: (UInt64, UInt64, UInt64, UInt64) = (0x6369_6e63_6801, 2, 3, 4),
  _ body: (Value) throws -> Void
) rethrows {
  var rng = Xoshiro(seed: seed)
  for _ in 0..<count { try body(generator.run(using: &rng)) }
}

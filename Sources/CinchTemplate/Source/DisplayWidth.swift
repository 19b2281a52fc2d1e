/// How many columns text takes where it is drawn on a grid of cells, by East Asian Width
/// (`EastAsianWidth`, generated from Unicode's data).
///
/// Two grids draw it differently: a terminal gives wide and fullwidth characters (CJK, emoji)
/// two cells and an ambiguous one (`é`, `…`, `°`) one, as `wcwidth` does, which is where the
/// human diagnostics put their carets; the aws CLI's tables give ambiguous characters two.
package enum DisplayWidth {
  /// Cells a terminal draws `scalar` in, as `wcwidth` counts them: 0 for combining marks and
  /// zero-width format characters (U+0301, a zero-width joiner or space, a variation
  /// selector), 2 for East Asian wide and fullwidth, else 1.
  package static func terminal(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value >= 0x300, isZeroWidth(scalar) { return 0 }
    return contains(EastAsianWidth.wideBounds, value) ? 2 : 1
  }

  /// Nonspacing and enclosing marks, and format characters but the soft hyphen (which
  /// `wcwidth` draws).
  private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: true
    case .format: scalar.value != 0xAD
    default: false
    }
  }

  /// Columns `text` takes in the aws CLI's tables: 2 for each East Asian wide, fullwidth or
  /// ambiguous character, 1 for the rest.
  package static func awsTable(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars {
      let value = scalar.value
      let double =
        contains(EastAsianWidth.wideBounds, value)
        || contains(EastAsianWidth.ambiguousBounds, value)
      width += double ? 2 : 1
    }
    return width
  }

  /// Whether `value` lies in one of `bounds`' ranges (sorted pairs of inclusive bounds).
  private static func contains(_ bounds: [UInt32], _ value: UInt32) -> Bool {
    guard value >= 0xA1 else { return false }
    var low = 0
    var high = bounds.count / 2 - 1
    while low <= high {
      let middle = (low + high) / 2
      if value < bounds[middle * 2] {
        high = middle - 1
      } else if value > bounds[middle * 2 + 1] {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }
}

// Integer codes for class names, with scikit-learn's `LabelEncoder` semantics.

/// Maps class names to codes `0..<k` in sorted order, like scikit-learn's `LabelEncoder`.
///
/// `classes` are the distinct labels sorted by Unicode code points (NumPy's order for strings), so
/// `["secreted", "cytoplasm", "membrane"]` gives `cytoplasm = 0, membrane = 1, secreted = 2` no matter
/// the order of the input. This is the encoding Exercise 1 leaks into the features.
public struct LabelEncoder: Sendable, Equatable {
    /// The distinct labels in code order.
    public private(set) var classes: [String]
    private var codes: [String: Int]

    /// Learns the classes of `labels`.
    /// - Complexity: O(n + k log k) for n labels with k distinct values.
    public init(labels: [String]) {
        classes = Set(labels).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        codes = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    }

    /// The code of `label`, or nil for a label not seen when fitting.
    public func encode(_ label: String) -> Int? { codes[label] }

    /// The codes of `labels`, or nil if any label is unknown.
    /// - Complexity: O(n).
    public func encode(_ labels: [String]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(labels.count)
        for l in labels {
            guard let c = codes[l] else { return nil }
            out.append(c)
        }
        return out
    }

    /// The label of `code`, or nil when out of range.
    public func decode(_ code: Int) -> String? { classes.indices.contains(code) ? classes[code] : nil }
}

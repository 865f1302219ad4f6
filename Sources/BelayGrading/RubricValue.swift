/// A parameter value from a rubric: a YAML scalar, list or map with its type resolved.
///
/// Integers and floats are both ``number(_:)``; quoted scalars are always ``string(_:)``.
public enum RubricValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([RubricValue])
    case map([String: RubricValue])

    /// The value as a number, if it is one.
    public var numberValue: Double? { if case .number(let v) = self { v } else { nil } }
    /// The value as a string, if it is one.
    public var stringValue: String? { if case .string(let v) = self { v } else { nil } }
    /// The value as a Boolean, if it is one.
    public var boolValue: Bool? { if case .bool(let v) = self { v } else { nil } }
    /// The value as a list, if it is one.
    public var listValue: [RubricValue]? { if case .list(let v) = self { v } else { nil } }
    /// The value as a map, if it is one.
    public var mapValue: [String: RubricValue]? { if case .map(let v) = self { v } else { nil } }

    /// A value typed on the command line (`--param key=value`): `true`/`false` are Booleans, anything Swift reads
    /// as a finite `Double` is a number, anything else (`clusters`, `0.8x`) a string, which a rule then refuses
    /// with a clear message.
    public init(commandLine text: String) {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        if trimmed == "true" || trimmed == "false" {
            self = .bool(trimmed == "true")
        } else if let number = Double(trimmed), number.isFinite {
            self = .number(number)
        } else {
            self = .string(text)
        }
    }

    /// The kind of value, as error messages name it ("a number", "a list", ...).
    public var kind: String {
        switch self {
        case .number: "a number"
        case .string: "a string"
        case .bool: "a Boolean"
        case .list: "a list"
        case .map: "a map"
        }
    }

    /// YAML-like flow text (`[a, b]`, `{k: v}`), with map keys sorted.
    public var description: String {
        switch self {
        case .number(let v): Self.format(v)
        case .string(let v): v
        case .bool(let v): v ? "true" : "false"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let map):
            "{" + map.keys.sorted().map { "\($0): \(map[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }

    static func format(_ v: Double) -> String {
        if v.rounded() == v, abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// Typed, line-aware look-ups in a parameter map (shared by ``CheckSpec`` and ``Rubric``).
struct ParameterReader: Sendable {
    var file: String
    /// How errors name the owner: "check 'ex3.x'" or "rubric".
    var owner: String
    var values: [String: RubricValue]
    var lines: [String: Int]
    var fallbackLine: Int

    func error(_ key: String, _ problem: String) -> RubricError {
        RubricError(file: file, line: lines[key] ?? fallbackLine, message: (owner.isEmpty ? "" : owner + " ") + "param '\(key)' \(problem)")
    }

    func required(_ key: String) throws -> RubricValue {
        guard let value = values[key] else {
            throw RubricError(file: file, line: fallbackLine, message: (owner.isEmpty ? "" : owner + " ") + "is missing param '\(key)'")
        }
        return value
    }

    func number(_ key: String) throws -> Double {
        let value = try required(key)
        guard let number = value.numberValue else { throw error(key, "must be a number, not \(value.kind)") }
        return number
    }

    func int(_ key: String) throws -> Int {
        let number = try number(key)
        guard number.rounded() == number, abs(number) < 9e15 else {
            throw error(key, "must be a whole number, not \(RubricValue.format(number))")
        }
        return Int(number)
    }

    func string(_ key: String) throws -> String {
        let value = try required(key)
        guard let string = value.stringValue else { throw error(key, "must be a string, not \(value.kind)") }
        return string
    }

    func bool(_ key: String) throws -> Bool {
        let value = try required(key)
        guard let bool = value.boolValue else { throw error(key, "must be true or false, not \(value.kind)") }
        return bool
    }

    func numbers(_ key: String) throws -> [Double] {
        let value = try required(key)
        // A single number is a one-element list (`--param thresholds=0.9`).
        if let single = value.numberValue { return [single] }
        guard let list = value.listValue else { throw error(key, "must be a list of numbers, not \(value.kind)") }
        return try list.map { item in
            guard let number = item.numberValue else {
                throw error(key, "must be a list of numbers, but holds \(item.kind) (\(item))")
            }
            return number
        }
    }

    func strings(_ key: String) throws -> [String] {
        let value = try required(key)
        return try strings(of: value, key: key)
    }

    func stringLists(_ key: String) throws -> [[String]] {
        let value = try required(key)
        guard let list = value.listValue else { throw error(key, "must be a list of lists of strings, not \(value.kind)") }
        return try list.map { item in
            // A bare string inside is a one-element group: [[a, b], c] == [[a, b], [c]].
            if let single = item.stringValue { return [single] }
            return try strings(of: item, key: key)
        }
    }

    private func strings(of value: RubricValue, key: String) throws -> [String] {
        guard let list = value.listValue else { throw error(key, "must be a list of strings, not \(value.kind)") }
        return try list.map { item in
            guard let string = item.stringValue else {
                throw error(key, "must be a list of strings, but holds \(item.kind) (\(item))")
            }
            return string
        }
    }
}

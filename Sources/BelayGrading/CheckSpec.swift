/// One exercise of a route, as the rubric declares it.
public struct ExerciseSpec: Sendable, Codable, Equatable {
    /// Stable id used in check specs and report names, e.g. `ex3`.
    public var id: String
    /// Human title, e.g. `Exercise 3: clustered split`.
    public var title: String

    /// Creates an exercise.
    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}

/// One check as the rubric declares it: identity, points, visibility, prerequisites and parameters.
///
/// Parameter accessors throw a ``RubricError`` naming the check id, the key and its line, so a check
/// implementation can read `try spec.number("tolerance")` and get a precise message for a bad rubric.
public struct CheckSpec: Sendable {
    /// Stable id, unique in the rubric, e.g. `ex0.features.columns`.
    public var id: String
    /// One-line human title.
    public var title: String
    /// The id of the exercise this check belongs to.
    public var exercise: String
    /// Points possible (>= 0).
    public var points: Double
    /// Who may see the check.
    public var visibility: Visibility
    /// Ids of earlier checks that must pass before this one runs.
    public var requires: [String]
    /// Check-specific parameters.
    public var params: [String: RubricValue]
    /// 1-based line of the check in the rubric (0 for checks built in code).
    public var line: Int
    /// The submission file the check reads (`features.csv`), when it reads one: CI annotations point at it.
    public var artifact: String?

    var file: String
    var paramLines: [String: Int]

    /// Creates a check spec in code (rubrics normally come from ``Rubric/parse(_:fileName:)``).
    public init(
        id: String, title: String, exercise: String, points: Double, visibility: Visibility = .visible,
        requires: [String] = [], params: [String: RubricValue] = [:], line: Int = 0
    ) {
        self.id = id
        self.title = title
        self.exercise = exercise
        self.points = points
        self.visibility = visibility
        self.requires = requires
        self.params = params
        self.line = line
        self.file = "rubric"
        self.paramLines = [:]
    }

    var reader: ParameterReader {
        ParameterReader(file: file, owner: "check '\(id)'", values: params, lines: paramLines, fallbackLine: line)
    }

    /// The raw value of `key`, if present.
    public func value(_ key: String) -> RubricValue? { params[key] }
    /// A required number.
    public func number(_ key: String) throws -> Double { try reader.number(key) }
    /// A required whole number.
    public func int(_ key: String) throws -> Int { try reader.int(key) }
    /// A required string.
    public func string(_ key: String) throws -> String { try reader.string(key) }
    /// A required Boolean.
    public func bool(_ key: String) throws -> Bool { try reader.bool(key) }
    /// A required list of strings.
    public func strings(_ key: String) throws -> [String] { try reader.strings(key) }
    /// A required list of string groups, e.g. concept synonyms `[[leak, leakage], [test set, held-out]]`;
    /// a bare string item is a one-element group.
    public func stringLists(_ key: String) throws -> [[String]] { try reader.stringLists(key) }

    /// A number, or `defaultValue` when absent (still throws when present with the wrong type).
    public func number(_ key: String, default defaultValue: Double) throws -> Double {
        params[key] == nil ? defaultValue : try number(key)
    }
    /// A whole number, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int) throws -> Int {
        params[key] == nil ? defaultValue : try int(key)
    }
    /// A string, or `defaultValue` when absent.
    public func string(_ key: String, default defaultValue: String) throws -> String {
        params[key] == nil ? defaultValue : try string(key)
    }
    /// A Boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        params[key] == nil ? defaultValue : try bool(key)
    }
    /// A list of strings, or `defaultValue` when absent.
    public func strings(_ key: String, default defaultValue: [String]) throws -> [String] {
        params[key] == nil ? defaultValue : try strings(key)
    }
    /// A list of string groups, or `defaultValue` when absent.
    public func stringLists(_ key: String, default defaultValue: [[String]]) throws -> [[String]] {
        params[key] == nil ? defaultValue : try stringLists(key)
    }
}

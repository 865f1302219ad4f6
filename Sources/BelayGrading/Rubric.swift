import BelayChecksum
public import Foundation

/// A route's rubric: its exercises and checks in run order, with points, visibility and parameters.
///
/// Rubrics are YAML files (see ``parse(_:fileName:)`` for the format). Every problem is a ``RubricError``
/// that names the file and line.
public struct Rubric: Sendable {
    /// The route id, e.g. `019-leaky-pipeline`.
    public var route: String
    /// The route's human title.
    public var title: String
    /// The rubric's own version (recorded in reports).
    public var version: String
    /// Exercises in rubric order.
    public var exercises: [ExerciseSpec]
    /// Checks in run order.
    public var checks: [CheckSpec]
    /// Route-wide parameters (e.g. `seed`).
    public var params: [String: RubricValue]
    /// SHA-256 of the rubric file's bytes (of the UTF-8 text for rubrics parsed from a string).
    public var sha256: String
    /// The file name errors mention.
    public var fileName: String

    var paramLines: [String: Int] = [:]

    /// Creates a rubric in code and checks its structure (unique ids, known exercises, earlier prerequisites).
    public init(
        route: String, title: String, version: String, exercises: [ExerciseSpec], checks: [CheckSpec],
        params: [String: RubricValue] = [:], sha256: String = "", fileName: String = "rubric"
    ) throws {
        self.route = route
        self.title = title
        self.version = version
        self.exercises = exercises
        self.checks = checks
        self.params = params
        self.sha256 = sha256
        self.fileName = fileName
        try validateStructure()
    }

    /// Total points of all checks.
    public var pointsPossible: Double { checks.reduce(0) { $0 + $1.points } }

    /// The check with `id`, if any.
    /// - Complexity: O(n) in the number of checks.
    public func check(_ id: String) -> CheckSpec? { checks.first { $0.id == id } }

    var reader: ParameterReader {
        ParameterReader(file: fileName, owner: "rubric", values: params, lines: paramLines, fallbackLine: 0)
    }

    /// A required route-wide number.
    public func number(_ key: String) throws -> Double { try reader.number(key) }
    /// A required route-wide whole number (e.g. `seed`).
    public func int(_ key: String) throws -> Int { try reader.int(key) }
    /// A required route-wide string.
    public func string(_ key: String) throws -> String { try reader.string(key) }
    /// A required route-wide Boolean.
    public func bool(_ key: String) throws -> Bool { try reader.bool(key) }
    /// A required route-wide list of strings.
    public func strings(_ key: String) throws -> [String] { try reader.strings(key) }
    /// A required route-wide list of numbers (a single number is a one-element list).
    public func numbers(_ key: String) throws -> [Double] { try reader.numbers(key) }

    /// Reads and parses a rubric file; ``sha256`` is the digest of the file's bytes.
    public static func load(contentsOf url: URL) throws -> Rubric {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RubricError(file: url.path, line: 0, message: "cannot read the rubric: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RubricError(file: url.lastPathComponent, line: 0, message: "the rubric is not valid UTF-8")
        }
        var rubric = try parse(text, fileName: url.lastPathComponent)
        rubric.sha256 = SHA256.hex(data)
        return rubric
    }

    /// Parses rubric YAML.
    ///
    /// ```yaml
    /// route: 019-leaky-pipeline          # required string
    /// title: The Leaky Pipeline          # required string
    /// version: "1"                       # required scalar
    /// params: {seed: 42}                 # optional map
    /// exercises:                         # required list of {id, title}
    ///   - {id: ex0, title: "Exercise 0: features and labels"}
    /// checks:                            # required list, run in this order
    ///   - id: ex0.features.columns       # unique; letters, digits, '.', '_', '-'
    ///     exercise: ex0                  # a declared exercise
    ///     title: features.csv has the 21 feature columns
    ///     points: 2                      # number >= 0
    ///     visibility: visible            # visible (default) | hidden
    ///     requires: [ex0.files.present]  # earlier checks; a visible check may not require a hidden one
    ///     params: {tolerance: 0.02}      # optional map, read by the check implementation
    /// ```
    /// Unknown keys, wrong types, duplicate ids, unknown exercises and bad prerequisites are errors with lines.
    /// - Complexity: O(n) in the size of the text (prerequisite checks are O(checks x requires)).
    public static func parse(_ text: String, fileName: String) throws -> Rubric {
        var rubric = try RubricYAMLParser(file: fileName).parse(text)
        rubric.sha256 = SHA256.hex(text)
        return rubric
    }

    /// Structural rules that hold whether a rubric came from YAML or from code.
    func validateStructure() throws {
        func fail(_ line: Int, _ message: String) -> RubricError {
            RubricError(file: fileName, line: line, message: message)
        }
        var exerciseIDs = Set<String>()
        for exercise in exercises {
            guard Self.isValidID(exercise.id) else {
                throw fail(0, "exercise id '\(exercise.id)' must be letters, digits, '.', '_' or '-'")
            }
            guard exerciseIDs.insert(exercise.id).inserted else { throw fail(0, "duplicate exercise id '\(exercise.id)'") }
        }
        var seen: [String: CheckSpec] = [:]
        for check in checks {
            guard Self.isValidID(check.id) else {
                throw fail(check.line, "check id '\(check.id)' must be letters, digits, '.', '_' or '-'")
            }
            if let first = seen[check.id] {
                throw fail(check.line, "duplicate check id '\(check.id)' (first defined on line \(first.line))")
            }
            guard exerciseIDs.contains(check.exercise) else {
                let known = exercises.map(\.id).joined(separator: ", ")
                throw fail(check.line, "check '\(check.id)' names unknown exercise '\(check.exercise)' (declared: \(known))")
            }
            guard check.points.isFinite, check.points >= 0 else {
                throw fail(check.line, "check '\(check.id)' has points \(RubricValue.format(check.points)); points must be >= 0")
            }
            for prerequisite in check.requires {
                guard let earlier = seen[prerequisite] else {
                    let reason = prerequisite == check.id
                        ? "itself" : checks.contains { $0.id == prerequisite } ? "a later check" : "no check"
                    throw fail(
                        check.line,
                        "check '\(check.id)' requires '\(prerequisite)', which is \(reason); requires must name an earlier check"
                    )
                }
                if check.visibility == .visible, earlier.visibility == .hidden {
                    throw fail(
                        check.line,
                        "visible check '\(check.id)' requires hidden check '\(prerequisite)'; a student's self-check could not run it"
                    )
                }
            }
            seen[check.id] = check
        }
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0) }
    }
}

/// What a route accepts for one rubric parameter: its type and range. Checked when the rubric is loaded, so a
/// bad value is a ``RubricError`` with file and line rather than a crash deep inside grading.
public struct ParameterRule: Sendable {
    /// The kinds of value a parameter can take.
    public enum Kind: Sendable {
        /// A finite number in the range.
        case number(ClosedRange<Double>)
        /// A whole number in the range.
        case wholeNumber(ClosedRange<Double>)
        case string
        case bool
        case strings
        /// A non-empty list of finite numbers, each in the range.
        case numbers(ClosedRange<Double>)
    }

    /// The parameter's name.
    public var key: String
    /// What it must be.
    public var kind: Kind
    /// Whether the rubric must give it.
    public var required: Bool
    /// One line for `--help` (what the param does, its default); empty when undocumented.
    public var help: String

    /// A rule for `key`.
    public init(_ key: String, _ kind: Kind, required: Bool = false, help: String = "") {
        self.key = key
        self.kind = kind
        self.required = required
        self.help = help
    }

    /// Throws unless `reader`'s value for this key (when present) fits the rule.
    func check(_ reader: ParameterReader) throws {
        guard reader.values[key] != nil else {
            if required { _ = try reader.required(key) }
            return
        }
        switch kind {
        case .number(let range):
            let value = try reader.number(key)
            guard value.isFinite, range.contains(value) else {
                throw reader.error(key, "must be a number from \(Self.text(range)), not \(RubricValue.format(value))")
            }
        case .wholeNumber(let range):
            let value = try reader.number(key)
            guard value.isFinite, value.rounded() == value, range.contains(value) else {
                throw reader.error(key, "must be a whole number from \(Self.text(range)), not \(RubricValue.format(value))")
            }
        case .string: _ = try reader.string(key)
        case .bool: _ = try reader.bool(key)
        case .strings: _ = try reader.strings(key)
        case .numbers(let range):
            let values = try reader.numbers(key)
            guard !values.isEmpty else { throw reader.error(key, "must list at least one number") }
            for value in values where !(value.isFinite && range.contains(value)) {
                throw reader.error(key, "must hold numbers from \(Self.text(range)), not \(RubricValue.format(value))")
            }
        }
    }

    /// Throws for the first key (in sorted order) that no rule names, with a "did you mean" for a near miss.
    static func checkKnown(_ keys: some Collection<String>, against rules: [ParameterRule], reader: ParameterReader) throws {
        let known = Set(rules.map(\.key))
        for key in keys.sorted() where !known.contains(key) {
            let nearest = rules.map(\.key).min { editDistance($0, key) < editDistance($1, key) }
            let hint = nearest.flatMap { editDistance($0, key) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            throw reader.error(key, "is not known\(hint) (known: \(rules.map(\.key).joined(separator: ", ")))")
        }
    }

    /// Checks params given outside a rubric (e.g. `belay reference --param threshold=0.9`) against `rules`:
    /// every key known (with a "did you mean"), every value of the rule's type and range.
    /// - Throws: ``RubricError`` whose file is `source` (e.g. `--param`), without a line.
    public static func validate(_ values: [String: RubricValue], against rules: [ParameterRule], source: String) throws {
        let reader = ParameterReader(file: source, owner: "", values: values, lines: [:], fallbackLine: 0)
        try checkKnown(values.keys, against: rules, reader: reader)
        for rule in rules { try rule.check(reader) }
    }

    private static func text(_ range: ClosedRange<Double>) -> String {
        func whole(_ v: Double) -> String { v.rounded() == v && abs(v) < 9e18 ? String(Int64(v)) : "\(v)" }
        return "\(whole(range.lowerBound)) to \(whole(range.upperBound))"
    }
}

extension Rubric {
    /// Checks the route-wide params against `route` (an unknown route-wide param is an error too: a typo would
    /// otherwise silently fall back to a default) and every check's params against the rule of the same name in
    /// `checks` (check params without a rule are left to their check).
    ///
    /// - Throws: ``RubricError`` naming the file, the param's line and the allowed values.
    /// - Complexity: O(params).
    public func validateParameters(route: [ParameterRule], checks checkRules: [ParameterRule] = []) throws {
        try ParameterRule.checkKnown(params.keys, against: route, reader: reader)
        for rule in route { try rule.check(reader) }
        for check in checks {
            for rule in checkRules { try rule.check(check.reader) }
        }
    }
}

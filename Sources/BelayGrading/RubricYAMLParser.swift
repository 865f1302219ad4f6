import Foundation
import Yams

/// Turns rubric YAML into a ``Rubric`` with Yams' node API, so every error can name a line.
struct RubricYAMLParser {
    var file: String

    private typealias Entry = (key: String, line: Int, value: Node)

    func parse(_ text: String) throws -> Rubric {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw error(0, "the rubric is empty") }
            root = node
        } catch let yamlError as YamlError {
            throw translate(yamlError, text: text)
        }
        let top = try mapping(root, "the rubric")
        try checkKeys(top, allowed: ["route", "title", "version", "params", "exercises", "checks"], in: "the rubric")
        let route = try string(required("route", top, root, "the rubric"), "route")
        let title = try string(required("title", top, root, "the rubric"), "title")
        let version = try scalarText(required("version", top, root, "the rubric"), "version")
        var params: [String: RubricValue] = [:]
        var paramLines: [String: Int] = [:]
        if let node = find("params", top) {
            (params, paramLines) = try parameters(node, "rubric params")
        }
        let exerciseNode = try required("exercises", top, root, "the rubric")
        var exercises: [ExerciseSpec] = []
        var exerciseLines: [String: Int] = [:]
        for item in try sequence(exerciseNode, "exercises") {
            let entries = try mapping(item, "an exercise")
            try checkKeys(entries, allowed: ["id", "title"], in: "exercise")
            let id = try string(required("id", entries, item, "an exercise"), "exercise id")
            let title = try string(required("title", entries, item, "exercise '\(id)'"), "exercise '\(id)' title")
            guard Rubric.isValidID(id) else {
                throw error(line(item), "exercise id '\(id)' must be letters, digits, '.', '_' or '-'")
            }
            if let first = exerciseLines[id] {
                throw error(line(item), "duplicate exercise id '\(id)' (first defined on line \(first))")
            }
            exerciseLines[id] = line(item)
            exercises.append(ExerciseSpec(id: id, title: title))
        }
        var checks: [CheckSpec] = []
        let checkNode = try required("checks", top, root, "the rubric")
        for item in try sequence(checkNode, "checks") {
            checks.append(try check(item))
        }
        var rubric = try Rubric(
            route: route, title: title, version: version, exercises: exercises, checks: checks, params: params,
            fileName: file)
        rubric.paramLines = paramLines
        return rubric
    }

    private func check(_ node: Node) throws -> CheckSpec {
        let entries = try mapping(node, "a check")
        let id = try string(required("id", entries, node, "a check"), "check id")
        let what = "check '\(id)'"
        try checkKeys(
            entries, allowed: ["id", "title", "exercise", "points", "visibility", "requires", "params", "artifact"], in: what)
        let title = try string(required("title", entries, node, what), "\(what) title")
        let exercise = try string(required("exercise", entries, node, what), "\(what) exercise")
        let pointsNode = try required("points", entries, node, what)
        let points = try number(pointsNode, "\(what) points")
        guard points.isFinite, points >= 0 else {
            throw error(line(pointsNode), "\(what) has points \(RubricValue.format(points)); points must be >= 0")
        }
        var visibility = Visibility.visible
        if let v = find("visibility", entries) {
            let text = try string(v, "\(what) visibility")
            guard let parsed = Visibility(rawValue: text) else {
                throw error(line(v), "\(what) has visibility '\(text)'; use visible or hidden")
            }
            visibility = parsed
        }
        var requires: [String] = []
        if let r = find("requires", entries) {
            // A single id may be written without brackets.
            if case .scalar = r {
                requires = [try string(r, "\(what) requires")]
            } else {
                requires = try sequence(r, "\(what) requires").map { try string($0, "\(what) requires") }
            }
        }
        var params: [String: RubricValue] = [:]
        var paramLines: [String: Int] = [:]
        if let p = find("params", entries) {
            (params, paramLines) = try parameters(p, "\(what) params")
        }
        var spec = CheckSpec(
            id: id, title: title, exercise: exercise, points: points, visibility: visibility, requires: requires,
            params: params, line: line(node))
        spec.file = file
        spec.paramLines = paramLines
        if let a = find("artifact", entries) { spec.artifact = try string(a, "\(what) artifact") }
        return spec
    }

    // MARK: Node helpers

    private func error(_ line: Int, _ message: String) -> RubricError {
        RubricError(file: file, line: line, message: message)
    }

    private func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    private func mapping(_ node: Node, _ what: String) throws -> [Entry] {
        guard case .mapping(let map) = node else {
            throw error(line(node), "\(what) must be a map of keys to values, not \(kind(node))")
        }
        return try map.map { pair in
            guard case .scalar(let key) = pair.key else {
                throw error(line(pair.key), "keys in \(what) must be plain names")
            }
            return (key.string, line(pair.key), pair.value)
        }
    }

    private func sequence(_ node: Node, _ what: String) throws -> [Node] {
        guard case .sequence(let items) = node else {
            throw error(line(node), "\(what) must be a list, not \(kind(node))")
        }
        return Array(items)
    }

    private func find(_ key: String, _ entries: [Entry]) -> Node? {
        entries.first { $0.key == key }?.value
    }

    private func required(_ key: String, _ entries: [Entry], _ owner: Node, _ what: String) throws -> Node {
        guard let node = find(key, entries) else { throw error(line(owner), "\(what) is missing required key '\(key)'") }
        return node
    }

    private func checkKeys(_ entries: [Entry], allowed: [String], in what: String) throws {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = allowed.min { editDistance($0, entry.key) < editDistance($1, entry.key) }
            let hint = suggestion.flatMap { editDistance($0, entry.key) <= 2 ? " (did you mean '\($0)'?)" : nil }
            throw error(
                entry.line,
                "unknown key '\(entry.key)' in \(what)\(hint ?? ""); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    private func tagName(_ node: Node) -> String { node.tag.rawValue }

    private func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch tagName(node) {
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "a number"
            case Tag.Name.bool.rawValue: return "a Boolean"
            case Tag.Name.null.rawValue: return "an empty value"
            default: return "a string"
            }
        }
    }

    private func string(_ node: Node, _ what: String) throws -> String {
        guard case .scalar(let scalar) = node, tagName(node) == Tag.Name.str.rawValue else {
            throw error(line(node), "\(what) must be a string, not \(kind(node))")
        }
        guard !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(line(node), "\(what) must not be empty")
        }
        return scalar.string
    }

    /// Any non-empty scalar's text (for `version`, where `1` and `"1"` mean the same).
    private func scalarText(_ node: Node, _ what: String) throws -> String {
        guard case .scalar(let scalar) = node, tagName(node) != Tag.Name.null.rawValue else {
            throw error(line(node), "\(what) must be a single value, not \(kind(node))")
        }
        return scalar.string
    }

    private func number(_ node: Node, _ what: String) throws -> Double {
        let tag = tagName(node)
        guard case .scalar = node, tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue,
            let value = node.float ?? node.int.map(Double.init)
        else {
            throw error(line(node), "\(what) must be a number, not \(kind(node))")
        }
        return value
    }

    private func parameters(_ node: Node, _ what: String) throws -> ([String: RubricValue], [String: Int]) {
        var values: [String: RubricValue] = [:]
        var lines: [String: Int] = [:]
        for entry in try mapping(node, what) {
            values[entry.key] = try value(entry.value, "\(what) '\(entry.key)'")
            lines[entry.key] = entry.line
        }
        return (values, lines)
    }

    private func value(_ node: Node, _ what: String) throws -> RubricValue {
        switch node {
        case .mapping:
            var map: [String: RubricValue] = [:]
            for entry in try mapping(node, what) { map[entry.key] = try value(entry.value, "\(what).\(entry.key)") }
            return .map(map)
        case .sequence(let items):
            return .list(try items.map { try value($0, what) })
        case .alias:
            throw error(line(node), "\(what) uses a YAML alias; write the value out")
        case .scalar(let scalar):
            switch tagName(node) {
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return .number(try number(node, what))
            case Tag.Name.bool.rawValue:
                guard let bool = node.bool else { throw error(line(node), "\(what) is not a valid Boolean") }
                return .bool(bool)
            case Tag.Name.null.rawValue: throw error(line(node), "\(what) has no value")
            default: return .string(scalar.string)
            }
        }
    }

    private func translate(_ yamlError: YamlError, text: String) -> RubricError {
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
            return error(mark.line, "YAML syntax error: \(prefix)\(problem) (column \(mark.column))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return error(context.mark.line, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a map")
        case .reader(let problem, let offset, _, _):
            var lineNumber = 0
            if let offset {
                lineNumber = 1 + text.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            }
            return error(lineNumber, "cannot read the YAML: \(problem)")
        default:
            return error(0, "cannot read the YAML: \(yamlError)")
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions on short keys.
/// - Complexity: O(m x n).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}

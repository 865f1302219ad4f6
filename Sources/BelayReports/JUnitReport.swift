public import BelayGrading

/// JUnit XML in the profile of the Jenkins xunit-plugin `junit-10.xsd` (the schema pytest validates against).
///
/// Shape: `<testsuites>` → one `<testsuite>` per exercise → one `<testcase>` per check.
/// - `classname` is `route019.ex3` (the digits of the route id, then the exercise id). Jenkins splits a
///   classname at its last dot into package and class, so the route becomes the package and the exercise the
///   class; GitLab groups by classname.
/// - `name` is the stable check id (`ex3.no_cluster_spans`). Consumers key test history and de-duplication
///   on classname + name, so it must not change when a title is reworded; the human title opens the
///   failure message, the failure text and `<system-out>`.
/// - Each testcase has at most one result element: `<failure>` (wrong, possibly partial credit),
///   `<error>` (could not evaluate), `<skipped>` (prerequisite failed or manual), or none (passed).
/// - Points live in suite `<properties>` (`belay.points.earned`, `belay.points.possible`,
///   `belay.check.<id>.points` = `earned/possible`) and in failure messages (`[0/2 pts] ...`); junit-10
///   forbids testcase properties. Report properties (hashes, versions, seed) are repeated in every suite.
/// - Hidden checks not run for a student appear nowhere by name; every suite's properties and
///   `<system-out>` state only their count and points.
/// - Untrusted text is stripped of ANSI sequences, characters illegal in XML 1.0 become visible `\u{..}`
///   escapes, everything is entity-escaped (no CDATA), message attributes are capped at 500 characters and
///   text fields at 64 KiB (head and tail kept).
public enum JUnitReport {
    /// Maximum UTF-8 bytes of one text field (failure text, system-out).
    public static let maxFieldBytes = 64 * 1024
    /// Maximum characters of a `message` attribute.
    public static let maxMessageCharacters = 500

    /// One submission's report as JUnit XML.
    ///
    /// - Parameters:
    ///   - student: when given (a class's per-student files), the student prefixes every suite name and
    ///     classname as in ``renderCombined(_:name:reproducible:)``, so that per-student files uploaded together
    ///     (GitLab merges every `reports:junit` file) keep every student's cases apart.
    ///   - reproducible: write `time="0.000"` everywhere, so identical results give identical bytes.
    /// - Complexity: O(total text size), with every field capped.
    public static func render(_ report: GradeReport, student: String? = nil, reproducible: Bool = false) -> String {
        var writer = XMLWriter()
        let all = suites(for: report, student: student, reproducible: reproducible)
        write(all, name: "belay \(report.route) \(report.submissionName)", into: &writer)
        return writer.text
    }

    /// A whole class in one file: one suite per student and exercise, classnames prefixed with the student
    /// (`alice.route019.ex3`) so names stay unique across students. Reports are written in the given order.
    /// - Complexity: O(total text size).
    public static func renderCombined(_ reports: [GradeReport], name: String? = nil, reproducible: Bool = false)
        -> String
    {
        var writer = XMLWriter()
        let all = reports.flatMap { suites(for: $0, student: $0.submissionName, reproducible: reproducible) }
        let title = name ?? "belay " + (Array(Set(reports.map(\.route))).sorted().joined(separator: ", "))
        write(all, name: title, into: &writer)
        return writer.text
    }

    // MARK: Model

    struct Case {
        var result: CheckResult
        var classname: String
        var milliseconds: Int
    }

    struct Suite {
        var name: String
        var cases: [Case]
        var properties: [Property]
        var systemOut: String
        var milliseconds: Int { cases.reduce(0) { $0 + $1.milliseconds } }
        var failures: Int { cases.count { $0.result.outcome == .failed } }
        var errors: Int { cases.count { $0.result.outcome == .error } }
        var skipped: Int { cases.count { $0.result.outcome == .skipped } }
    }

    /// `019-leaky-pipeline` → `route019`; a route without leading digits keeps its (sanitised) id.
    static func routeClass(_ route: String) -> String {
        let digits = route.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? sanitizeComponent(route) : "route" + digits
    }

    /// Keeps a classname component free of dots and spaces, so consumers split it where we mean.
    static func sanitizeComponent(_ text: String) -> String {
        let mapped = String(text.map { $0 == "." || $0.isWhitespace ? "_" : $0 })
        return mapped.isEmpty ? "_" : mapped
    }

    static func milliseconds(_ seconds: Double, reproducible: Bool) -> Int {
        guard !reproducible, seconds.isFinite, seconds > 0 else { return 0 }
        return Int((seconds * 1000).rounded())
    }

    /// Milliseconds as `S.mmm` (POSIX digits, exactly three decimals; never locale-dependent).
    static func time(_ milliseconds: Int) -> String {
        let ms = max(milliseconds, 0)
        let fraction = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func hiddenNote(_ report: GradeReport) -> String? {
        guard report.hidden.count > 0 else { return nil }
        let checks = report.hidden.count == 1 ? "1 hidden check" : "\(report.hidden.count) hidden checks"
        return "\(checks) worth \(Points.format(report.hidden.points)) points were not run in this self-check; "
            + "they run when the instructor grades, so this is not a final grade."
    }

    static func suites(for report: GradeReport, student: String?, reproducible: Bool) -> [Suite] {
        let route = routeClass(report.route)
        let prefix = student.map { sanitizeComponent($0) + "." } ?? ""
        var common: [Property] = [
            Property("belay.route", report.route),
            Property("belay.submission", report.submissionName),
            Property("belay.audience", report.audience),
            Property("belay.total.points.earned", Points.format(report.pointsEarned)),
            Property("belay.total.points.possible", Points.format(report.pointsPossible)),
        ]
        if report.hidden.count > 0 || report.audience == Audience.student.rawValue {
            common.append(Property("belay.hidden.count", String(report.hidden.count)))
            common.append(Property("belay.hidden.points", Points.format(report.hidden.points)))
        }
        common += report.properties
        let note = hiddenNote(report)
        var suites: [Suite] = []
        for exercise in report.exerciseOrder {
            let results = report.results.filter { $0.exercise == exercise }
            let classname = prefix + route + "." + sanitizeComponent(exercise)
            let earned = Points.sum(results.map(\.pointsEarned))
            let possible = Points.sum(results.map(\.pointsPossible))
            var properties = [
                Property("belay.exercise", exercise),
                Property("belay.points.earned", Points.format(earned)),
                Property("belay.points.possible", Points.format(possible)),
            ]
            properties += results.map {
                Property("belay.check.\($0.id).points", "\(Points.format($0.pointsEarned))/\(Points.format($0.pointsPossible))")
            }
            var out = "\(report.exerciseTitle(exercise)): \(Points.format(earned))/\(Points.format(possible)) points"
            if let note { out += "\n" + note }
            let suiteName = (student.map { "\($0): " } ?? "") + route + "." + exercise + ": " + report.exerciseTitle(exercise)
            suites.append(
                Suite(
                    name: suiteName,
                    cases: results.map {
                        Case(result: $0, classname: classname, milliseconds: milliseconds($0.durationSeconds, reproducible: reproducible))
                    },
                    properties: properties + common, systemOut: out))
        }
        if suites.isEmpty {
            // Nothing ran (e.g. every check is hidden): still say so, in an empty suite.
            suites.append(
                Suite(
                    name: (student.map { "\($0): " } ?? "") + route, cases: [], properties: common,
                    systemOut: note ?? "No checks ran."))
        }
        return suites
    }

    // MARK: Writing

    static func write(_ suites: [Suite], name: String, into writer: inout XMLWriter) {
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        writer.open(
            "testsuites",
            [
                ("name", name), ("tests", String(tests)), ("failures", String(suites.reduce(0) { $0 + $1.failures })),
                ("errors", String(suites.reduce(0) { $0 + $1.errors })),
                ("time", time(suites.reduce(0) { $0 + $1.milliseconds })),
            ], indent: 0)
        for suite in suites {
            writer.open(
                "testsuite",
                [
                    ("name", suite.name), ("tests", String(suite.cases.count)), ("failures", String(suite.failures)),
                    ("errors", String(suite.errors)), ("skipped", String(suite.skipped)),
                    ("time", time(suite.milliseconds)),
                ], indent: 1)
            writer.open("properties", [], indent: 2)
            for property in suite.properties {
                writer.open(
                    "property", [("name", property.name), ("value", clip(property.value))], indent: 3,
                    selfClosing: true)
            }
            writer.close("properties", indent: 2)
            for testCase in suite.cases { write(testCase, into: &writer) }
            writer.element("system-out", text: ReportText.truncated(suite.systemOut, maxBytes: maxFieldBytes), indent: 2)
            writer.close("testsuite", indent: 1)
        }
        writer.close("testsuites", indent: 0)
    }

    /// Caps an attribute value at ``maxMessageCharacters`` characters as written (after visible escapes).
    static func clip(_ text: String) -> String {
        let safe = ReportText.xmlSafe(ReportText.truncated(text, maxBytes: 8 * maxMessageCharacters))
        return ReportText.clipped(safe, maxCharacters: maxMessageCharacters)
    }

    static func write(_ testCase: Case, into writer: inout XMLWriter) {
        let r = testCase.result
        let points = "[\(Points.format(r.pointsEarned))/\(Points.format(r.pointsPossible)) pts]"
        // The message is one line: the first line of what the check said.
        let firstLine = ReportText.truncated(r.message, maxBytes: 8 * maxMessageCharacters)
            .split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let message = clip("\(points) \(r.title): \(firstLine)")
        var body = "\(r.title)\n\(points) \(r.message)"
        if !r.details.isEmpty { body += "\n\n" + r.details }
        if let hint = r.hint, !hint.isEmpty { body += "\n\nhint: " + hint }
        var out = "\(r.title)\n\(points) \(r.outcome.rawValue): \(r.message)"
        if r.outcome == .passed, !r.details.isEmpty { out += "\n\n" + r.details }
        if let hint = r.hint, !hint.isEmpty, r.outcome == .passed { out += "\n\nhint: " + hint }
        if !r.flags.isEmpty { out += "\nflags: " + r.flags.joined(separator: ", ") }

        writer.open(
            "testcase", [("classname", testCase.classname), ("name", r.id), ("time", time(testCase.milliseconds))],
            indent: 2)
        let capped = ReportText.truncated(body, maxBytes: maxFieldBytes)
        switch r.outcome {
        case .passed:
            break
        case .failed:
            let type = r.pointsEarned > 0 ? "belay.PartialCredit" : "belay.WrongAnswer"
            writer.element("failure", [("type", type), ("message", message)], text: capped, indent: 3)
        case .error:
            writer.element("error", [("type", "belay.CouldNotEvaluate"), ("message", message)], text: capped, indent: 3)
        case .skipped:
            writer.element("skipped", [("message", clip("\(r.title): \(firstLine)"))], text: capped, indent: 3)
        }
        writer.element("system-out", text: ReportText.truncated(out, maxBytes: maxFieldBytes), indent: 3)
        writer.close("testcase", indent: 2)
    }
}

public import BelayGrading

/// One way of writing a graded report to a file. `belay grade` writes every format of ``all`` into each student's
/// folder; `belay check` writes the ones asked for (`--report NAME=PATH`, or a format's own flag such as `--junit`).
///
/// A new format is one new file (`extension ReportFormat { public static let html = ReportFormat(...) }`, rendering
/// with its own type) plus one line in ``all``.
public struct ReportFormat: Sendable {
    /// How the format is asked for: `belay check --report NAME=PATH`.
    public var name: String
    /// The file each student's folder holds under `belay grade --out`.
    public var fileName: String
    /// Renders one report.
    public var render: @Sendable (GradeReport, ReportFormatOptions) -> String

    /// Creates a format.
    public init(name: String, fileName: String, render: @escaping @Sendable (GradeReport, ReportFormatOptions) -> String) {
        self.name = name
        self.fileName = fileName
        self.render = render
    }

    /// Every format, in the order `belay grade` writes them (one line per format).
    public static let all: [ReportFormat] = [
        .junit,
        .terminal,
        .json,
        .gradescope,
        .html,
    ]

    /// The format named `name`, if any.
    public static func named(_ name: String) -> ReportFormat? { all.first { $0.name == name } }
}

/// What a rendering may depend on besides the report.
public struct ReportFormatOptions: Sendable {
    /// Byte-identical output for identical input (no timestamps, zero durations).
    public var reproducible: Bool
    /// The student's name when the report is one of a class (`belay grade`); nil for `belay check`.
    public var student: String?

    /// Creates options.
    public init(reproducible: Bool, student: String? = nil) {
        self.reproducible = reproducible
        self.student = student
    }
}

extension ReportFormat {
    /// JUnit XML (`junit.xml`), for CI systems.
    public static let junit = ReportFormat(name: "junit", fileName: "junit.xml") { report, options in
        JUnitReport.render(report, student: options.student, reproducible: options.reproducible)
    }
    /// The terminal report without colour (`report.txt`).
    public static let terminal = ReportFormat(name: "text", fileName: "report.txt") { report, _ in
        TerminalReport.render(report, color: false)
    }
    /// Belay's JSON (`report.json`), which `belay grade` also reads back for its cache and merges.
    public static let json = ReportFormat(name: "json", fileName: "report.json") { report, options in
        JSONReport.render(report, reproducible: options.reproducible)
    }
    /// Gradescope's `results.json`.
    public static let gradescope = ReportFormat(name: "gradescope", fileName: "results.json") { report, options in
        GradescopeReport.render(report, reproducible: options.reproducible)
    }
}

extension ReportFormat {
    /// The self-contained HTML page with the student's figures (`report.html`).
    public static let html = ReportFormat(name: "html", fileName: "report.html") { report, _ in
        HTMLReport.render(report)
    }
}

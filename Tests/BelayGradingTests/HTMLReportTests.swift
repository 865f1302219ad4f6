import BelayGrading
import BelayReports
import BelayTestSupport
import Foundation
import Testing

/// A report with hostile text everywhere a student can put some, and one figure of each kind.
enum HTMLFixture {
    static let hostile = "<script>alert('x')</script> & \u{202E}evil\u{0} \"quoted\" </svg><svg onload=alert(1)>"

    static func figures() -> [ReportFigure] {
        [
            .histogram(
                id: "ex1.similarity", exercise: "ex1", title: "Similarity " + hostile, xLabel: "cosine similarity",
                yLabel: "pairs (log scale)", caption: "caption " + hostile,
                edges: (0...40).map { 0.5 + Double($0) * 0.0125 },
                series: [FigureSeries(name: "", counts: (0..<40).map { Double(($0 * 37) % 11 * 1000 + $0) })],
                markers: [FigureMarker(value: 0.9, label: "your threshold 0.9")], scale: .log),
            .barChart(
                id: "ex1.sizes", exercise: "ex1", title: "Cluster sizes", xLabel: "clusters", yLabel: "",
                caption: "Sizes.",
                bars: [FigureBar(label: "size 1", value: 120, note: "120 (120 proteins)"),
                       FigureBar(label: "size 2", value: 30), FigureBar(label: hostile, value: 2)]),
            .intervalPlot(
                id: "ex1.accuracies", exercise: "ex1", title: "Accuracies", xLabel: "test accuracy", yLabel: "",
                caption: "Dots are yours.",
                intervals: [
                    FigureInterval(label: "leakage", value: 0.99, reference: 0.98, low: 0.96, high: 0.995, rangeLabel: "Wilson"),
                    FigureInterval(label: "random", value: .nan, reference: 0.7, low: 0.65, high: 0.75, rangeLabel: "sd"),
                    FigureInterval(label: "clustered", value: nil, reference: nil, low: 0.5, high: 0.7, rangeLabel: "sd"),
                ], valueRange: 0...1),
            .histogram(
                id: "audit", exercise: nil, title: "Audit", xLabel: "highest similarity", yLabel: "test proteins",
                caption: "Two series.", edges: [0.6, 0.7, 0.8, 0.9, 1.0],
                series: [FigureSeries(name: "random", counts: [1, 5, 20, 40]),
                         FigureSeries(name: "clustered", counts: [10, 30, 20, 0])],
                markers: [FigureMarker(value: 0.85, label: "threshold")]),
        ]
    }

    static func report(name: String = hostile) -> GradeReport {
        GradeReport(
            submissionName: name, route: "019-leaky-pipeline", routeTitle: "The Leaky Pipeline",
            results: [
                CheckResult(
                    id: "ex0.files", title: "files exist", exercise: "ex0", outcome: .passed, pointsEarned: 1,
                    pointsPossible: 1, message: "all there"),
                CheckResult(
                    id: "ex0.cols", title: "columns", exercise: "ex0", outcome: .failed, pointsEarned: 1,
                    pointsPossible: 2, message: "bad column " + hostile, details: "line 3: " + hostile,
                    hint: "hint " + hostile),
                CheckResult(
                    id: "ex1.reflect", title: "reflection", exercise: "ex1", outcome: .passed, pointsEarned: 2,
                    pointsPossible: 2, message: "ok", visibility: .hidden, flags: ["reflection-needs-read"]),
                CheckResult(
                    id: "ex1.nb", title: "notebook", exercise: "ex1", outcome: .skipped, pointsEarned: 0,
                    pointsPossible: 0, message: "no notebook", flags: [Verdict.notApplicableFlag]),
            ],
            hidden: HiddenSummary(count: 1, points: 3), properties: [Property("seed", "42")],
            exercises: [ExerciseSpec(id: "ex0", title: "Exercise 0"), ExerciseSpec(id: "ex1", title: "Exercise 1 " + hostile)],
            audience: "student", figures: figures())
    }

    static func students() -> [StudentResult] {
        let names = ["alice", "bob", "carol d'Arc", hostile]
        var out = names.enumerated().map { i, name in
            var r = report(name: name)
            r.results[1].pointsEarned = Double(i % 3)
            r.results[1].outcome = i % 2 == 0 ? .passed : .failed
            return StudentResult(name: name, status: .graded, report: r, message: "\(r.pointsEarned)/5")
        }
        out.append(StudentResult(name: "zed", status: .timeout, report: nil, message: "grading did not finish"))
        return out
    }
}

@Suite struct HTMLReportTests {
    @Test func escapesHostileStudentText() {
        let html = HTMLReport.render(HTMLFixture.report())
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"))
        #expect(!html.unicodeScalars.contains("\u{202E}") && !html.unicodeScalars.contains("\u{0}"))
        #expect(html.contains("\\u{202E}evil\\u{0}"))
        #expect(html.contains("&quot;quoted&quot;"))
        // A student's `</svg>` neither closes a chart early nor opens one of theirs.
        #expect(!html.contains("<svg onload") && html.contains("&lt;/svg&gt;&lt;svg onload=alert(1)&gt;"))
        #expect(html.components(separatedBy: "<svg ").count == html.components(separatedBy: "</svg>").count)
        let page = HTMLReport.renderClass(HTMLFixture.students(), title: "Class " + HTMLFixture.hostile)
        #expect(!page.contains("<script"))
        #expect(!page.unicodeScalars.contains("\u{202E}") && !page.unicodeScalars.contains("\u{0}"))
        #expect(!page.contains("<svg onload"))
        #expect(page.components(separatedBy: "<svg ").count == page.components(separatedBy: "</svg>").count)
    }

    @Test func studentPageShowsEveryCheckAndFigure() {
        let report = HTMLFixture.report()
        let html = HTMLReport.render(report)
        for result in report.results { #expect(html.contains("<code>\(result.id)</code>")) }
        #expect(html.contains("Hint: hint &lt;script&gt;"))
        #expect(html.contains("<span class=\"flag\">reflection-needs-read</span>"))
        #expect(html.contains("<td>hidden</td>") && html.contains("<td>visible</td>"))
        #expect(html.contains("1/2</td>"))  // partial points
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        // The threshold marker, the log-scale histogram's bins, the interval plot's dots (NaN and nil are not drawn).
        #expect(html.contains("class=\"marker\"") && html.contains("your threshold 0.9"))
        #expect(html.components(separatedBy: "<circle class=\"value\"").count - 1 == 2)  // one dot + the legend's
        // A figure without an exercise of the report is drawn in its own section.
        #expect(html.contains("<section id=\"figures\">"))
        // Self-contained: no scripts, no external resources, a CSP that forbids loading anything.
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == 4)  // SVG xmlns only
        #expect(!html.contains("https://") && html.contains("default-src 'none'"))
        #expect(HTMLReport.render(report) == html)
    }

    @Test func classPageHasScoresItemsFlagsAndLinks() {
        let html = HTMLReport.renderClass(HTMLFixture.students(), title: "The Leaky Pipeline: class report")
        #expect(html.contains("<a href=\"alice/report.html\">alice</a>"))
        #expect(html.contains("<a href=\"carol%20d%27Arc/report.html\">carol d&#39;Arc</a>"))
        #expect(html.contains("href=\"%3Cscript%3E"))
        #expect(html.contains("Score distribution") && html.contains("Pass rate of every check"))
        #expect(html.contains("<span class=\"flag\">reflection-needs-read</span> 4"))
        #expect(!html.contains(">not-applicable<"))
        #expect(html.contains("1 timeout"))
        #expect(html.contains("<code>ex0.cols</code>") && html.contains("0.500"))  // 2 of 4 passed
        #expect(HTMLReport.pathSegment("..") == "%2E%2E" && HTMLReport.pathSegment("a/b") == "a%2Fb")
    }

    @Test func figuresRoundTripAndOldReportsStillDecode() throws {
        let report = HTMLFixture.report()
        let decoded = try JSONReport.decode(Data(JSONReport.render(report).utf8))
        #expect(decoded.figures?.count == 4)
        #expect(decoded.figures?[0] == report.figures?[0] && decoded.figures?[2].intervals[0] == report.figures?[2].intervals[0])
        #expect(decoded.figures?[2].intervals[1].value?.isNaN == true)
        // A report written before figures existed has no `figures` key; it decodes, and renders without figures.
        var old = report
        old.figures = nil
        let json = JSONReport.render(old)
        #expect(!json.contains("\"figures\""))
        let back = try JSONReport.decode(Data(json.utf8))
        #expect(back.figures == nil && back == old)
        #expect(!HTMLReport.render(back).contains("<svg "))
    }

    @Test func degenerateFiguresDoNotBreakThePage() {
        var report = HTMLFixture.report(name: "x")
        report.figures = [
            .histogram(id: "empty", exercise: "ex0", title: "empty", xLabel: "x", yLabel: "y", caption: "",
                       edges: [], series: []),
            .histogram(id: "flat", exercise: "ex0", title: "flat", xLabel: "x", yLabel: "y", caption: "",
                       edges: [1, 1], series: [FigureSeries(name: "", counts: [0])], markers: [FigureMarker(value: .nan, label: "nan")]),
            .barChart(id: "infinite", exercise: "ex0", title: "infinite", xLabel: "x", yLabel: "", caption: "",
                      bars: [FigureBar(label: "a", value: .infinity), FigureBar(label: "b", value: -3)]),
            .intervalPlot(id: "wide", exercise: "ex0", title: "wide", xLabel: "x", yLabel: "", caption: "",
                          intervals: [FigureInterval(label: "a", value: 5, reference: nil, low: .nan, high: 2, rangeLabel: "")]),
        ]
        let html = HTMLReport.render(report)
        // A figure with nothing to draw is left out; the others draw with every coordinate finite and on the page.
        #expect(!html.contains("fig-empty") && html.contains("fig-flat") && html.contains("fig-infinite"))
        #expect(!html.contains("nan\"") && !html.contains("inf\"") && !html.contains("e+"))
        let coordinates = html.split(separator: "\"").compactMap { Double($0) }
        #expect(coordinates.allSatisfy { abs($0) <= 2000 })
    }

    @Test(.enabled(if: Python.isAvailable(), "needs Python (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func pagesAreWellFormed() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let student = temp.file("report.html"), page = temp.file("class.html")
        try HTMLReport.render(HTMLFixture.report()).write(to: student, atomically: true, encoding: .utf8)
        try HTMLReport.renderClass(HTMLFixture.students(), title: "Class").write(to: page, atomically: true, encoding: .utf8)
        for file in [student, page] {
            let result = try Python.output(script: HTMLPage.wellFormednessScript, arguments: [file.path])
            #expect(result.hasPrefix("ok "), "\(file.lastPathComponent): \(result)")
            #expect(result.contains("svg="))
        }
    }

    /// Opens both pages in headless Chromium: a screenshot of the expected size that is not blank, no console
    /// error (uncaught exceptions, Content-Security-Policy refusals), and the DOM the browser built has the charts
    /// and no script. A canary page with a deliberate console error proves the detection works.
    /// Python counts the screenshot's colours: without it the test would pass having checked less, so it needs both.
    @Test(
        .enabled(if: Chromium.isAvailable, "needs Chromium (CI requires it: BELAY_REQUIRE_CHROMIUM=1)"),
        .enabled(if: Python.isAvailable(), "needs Python to count the screenshot's colours (CI requires it: BELAY_REQUIRE_PYTHON=1)"),
        // A hang guard, not a speed assertion: under a loaded full suite Chromium's start alone can take minutes.
        .timeLimit(.minutes(45)))
    func pagesRenderInHeadlessChromium() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let students = HTMLFixture.students()
        let page = temp.file("class.html")
        try HTMLReport.renderClass(students, title: "The Leaky Pipeline: class report")
            .write(to: page, atomically: true, encoding: .utf8)
        let alice = temp.url.appendingPathComponent("alice", isDirectory: true)
        try FileManager.default.createDirectory(at: alice, withIntermediateDirectories: true)
        let student = alice.appendingPathComponent("report.html")
        try HTMLReport.render(students[0].report!).write(to: student, atomically: true, encoding: .utf8)

        let canary = temp.file("canary.html")
        try "<!DOCTYPE html><html><body><p>x</p><script>console.error('canary'); missing();</script></body></html>"
            .write(to: canary, atomically: true, encoding: .utf8)
        let canaryRun = try Chromium.run(page: canary, mode: ["--dump-dom"], width: 400, height: 300)
        #expect(canaryRun.consoleLines.contains { $0.contains("canary") }, "console detection: \(canaryRun.stderr)")
        #expect(canaryRun.consoleLines.contains { $0.contains("Uncaught") })

        for (name, url) in [("student", student), ("class", page)] {
            let png = temp.file("\(name).png")
            let shot = try Chromium.run(page: url, mode: ["--screenshot=\(png.path)"], width: 1200, height: 2000)
            #expect(shot.status == 0, "\(name): chromium exited \(shot.status): \(shot.stderr.suffix(2000))")
            #expect(shot.consoleLines.isEmpty, "\(name): console: \(shot.consoleLines)")
            let data = try Data(contentsOf: png)
            let size = try #require(Chromium.pngSize(data), "\(name): not a PNG")
            #expect(size.width == 1200 && size.height == 2000)
            #expect(data.count > 20_000, "\(name): \(data.count) bytes looks blank")
            let colours = Int(try Python.output(script: Chromium.distinctColoursScript, arguments: [png.path])
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(colours > 50, "\(name): only \(colours) colours")
            let dom = try Chromium.run(page: url, mode: ["--dump-dom"])
            #expect(dom.consoleLines.isEmpty, "\(name): console: \(dom.consoleLines)")
            #expect(dom.stdout.contains("<svg") && dom.stdout.contains("</html>"))
            #expect(!dom.stdout.contains("<script"))
            if name == "student" { #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == 4) }
            if name == "class" { #expect(dom.stdout.contains("href=\"alice/report.html\"")) }
        }
    }
}

import BelayGrading
import BelayReports
import Foundation
import Testing

/// The Jenkins junit-10 schema, committed beside these tests (see `Schemas/README.md`).
let jenkinsSchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Schemas/jenkins-junit-10.xsd")

/// Validates XML against the Jenkins junit-10 schema with xmllint; returns xmllint's stderr on failure.
func schemaErrors(_ xml: String) throws -> String? {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("belay-junit-\(UUID().uuidString).xml")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(xml.utf8).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["xmllint", "--noout", "--schema", jenkinsSchema.path, file.path]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? nil : String(decoding: stderr, as: UTF8.self)
}

/// Whether xmllint can run here; CI installs it (`scripts/setup`), and `BELAY_REQUIRE_PYTHON=1` (set by
/// `.ci/run`, which requires every cross-check tool) makes its absence a failure rather than a skip.
let schemaAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint")
    || ProcessInfo.processInfo.environment["BELAY_REQUIRE_PYTHON"] == "1"

/// A report with every outcome and hostile student text.
func hostileReport() -> GradeReport {
    let invalidUTF8 = String(decoding: [0x66, 0x6F, 0xFF, 0xFE, 0xC3, 0x28, 0x6F] as [UInt8], as: UTF8.self)
    let hostile = "NUL\u{0} BEL\u{7} ESC\u{1B}[31mred\u{1B}[0m DEL\u{7F} C1\u{85} FFFE\u{FFFE} ]]> <tag attr=\"x\"> & 'q' \(invalidUTF8) tab\there\r\nCRLF"
    let huge = String(repeating: "0123456789abcdef\u{1}", count: 5 * 1024 * 1024 / 17)  // ~5 MB
    let results = [
        CheckResult(id: "ex0.files.present", title: "files are present", exercise: "ex0", outcome: .passed,
                    pointsEarned: 1, pointsPossible: 1, message: "found \(hostile)", durationSeconds: 0.0123456),
        CheckResult(id: "ex0.features.columns", title: "21 columns ]]>", exercise: "ex0", outcome: .failed,
                    pointsEarned: 0.5, pointsPossible: 2, message: huge, details: huge, hint: hostile,
                    flags: ["needs-read"], durationSeconds: 1.5),
        CheckResult(id: "ex1.accuracy", title: "accuracy", exercise: "ex1", outcome: .error, pointsEarned: 0,
                    pointsPossible: 4, message: "could not parse: \(hostile)", details: hostile, durationSeconds: 2),
        CheckResult(id: "ex1.after", title: "after", exercise: "ex1", outcome: .skipped, pointsEarned: 0,
                    pointsPossible: 2, message: "not run: prerequisite 'ex1.accuracy' (accuracy) did not pass (error)"),
        CheckResult(id: "ex1.wrong", title: "wrong", exercise: "ex1", outcome: .failed, pointsEarned: 0,
                    pointsPossible: 1, message: "", details: ""),
    ]
    return GradeReport(
        submissionName: "ålice \u{7}<x>", route: "019-leaky-pipeline", routeTitle: "The Leaky Pipeline",
        results: results, hidden: HiddenSummary(count: 2, points: 5),
        properties: [Property("belay.submission.sha256", "ab12"), Property("belay.seed", "42"),
                     Property("student.note", hostile)],
        exercises: [ExerciseSpec(id: "ex0", title: "Exercise 0"), ExerciseSpec(id: "ex1", title: "Exercise 1 & <more>")],
        audience: "student")
}

/// Counts occurrences of `needle`.
func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

@Suite struct JUnitReportTests {
    @Test(.enabled(if: schemaAvailable)) func hostileReportValidatesAgainstJenkinsSchema() throws {
        let xml = JUnitReport.render(hostileReport())
        #expect(try schemaErrors(xml) == nil)
        #expect(xml.utf8.count < 600 * 1024, "5 MB fields must be truncated; got \(xml.utf8.count) bytes")
        #expect(xml.contains("…[truncated "))
        #expect(!xml.contains("\u{1B}") && !xml.contains("\u{0}") && !xml.contains("\u{7}"))
        #expect(xml.contains("\\u{7}") && xml.contains("\\u{FFFE}"))  // visible stand-ins
        #expect(!xml.contains("]]>"))  // escaped as ]]&gt;
        #expect(xml.contains("\u{FFFD}"))  // invalid UTF-8 became replacement characters
        let combined = JUnitReport.renderCombined([hostileReport(), hostileReport()], reproducible: true)
        #expect(try schemaErrors(combined) == nil)
    }

    @Test func countsMatchTheTestcases() throws {
        let xml = JUnitReport.render(hostileReport())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name="))
        #expect(xml.contains("tests=\"5\" failures=\"2\" errors=\"1\" time=\"3.512\">"))
        #expect(count("<testcase ", in: xml) == 5)
        #expect(count("<testsuite ", in: xml) == 2)
        #expect(xml.contains("tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.512\""))
        #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"2.000\""))
        #expect(count("<failure ", in: xml) == 2 && count("<error ", in: xml) == 1 && count("<skipped ", in: xml) == 1)
        #expect(xml.contains("classname=\"route019.ex0\" name=\"ex0.features.columns\" time=\"1.500\""))
        #expect(xml.contains("type=\"belay.PartialCredit\" message=\"[0.5/2 pts] 21 columns ]]&gt;: 0123456789abcdef\\u{1}"))
        #expect(xml.contains("<property name=\"belay.check.ex0.features.columns.points\" value=\"0.5/2\"/>"))
        #expect(xml.contains("<property name=\"belay.points.earned\" value=\"1.5\"/>"))
        #expect(xml.contains("<property name=\"belay.hidden.count\" value=\"2\"/>"))
        #expect(xml.contains("2 hidden checks worth 5 points were not run in this self-check"))
        // Every message attribute is capped.
        for match in xml.components(separatedBy: "message=\"").dropFirst() {
            var value = String(match.prefix { $0 != "\"" })
            for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#10;", "\n"), ("&#13;", "\r"), ("&#9;", "\t"), ("&amp;", "&")] {
                value = value.replacingOccurrences(of: entity, with: character)
            }
            #expect(value.count <= JUnitReport.maxMessageCharacters)
        }
    }

    @Test func reproducibleOutputIsByteIdentical() {
        var a = hostileReport()
        var b = hostileReport()
        a.results[0].durationSeconds = 0.5
        b.results[0].durationSeconds = 7
        #expect(JUnitReport.render(a, reproducible: true) == JUnitReport.render(b, reproducible: true))
        #expect(JUnitReport.render(a) != JUnitReport.render(b))
        #expect(JUnitReport.render(a, reproducible: true).contains("time=\"0.000\""))
    }

    @Test(.enabled(if: schemaAvailable)) func emptyStudentRunStillValidAndHonest() throws {
        let report = GradeReport(
            submissionName: "bob", route: "019-leaky-pipeline", routeTitle: "T", results: [],
            hidden: HiddenSummary(count: 3, points: 9), exercises: [], audience: "student")
        let xml = JUnitReport.render(report)
        #expect(try schemaErrors(xml) == nil)
        #expect(xml.contains("3 hidden checks worth 9 points"))
    }
}

@Suite struct TextTests {
    @Test func truncationKeepsHeadAndTailWithinBudget() {
        let text = String(repeating: "é", count: 100_000)  // 2 bytes each
        let cut = ReportText.truncated(text, maxBytes: 1000)
        #expect(cut.utf8.count <= 1000)
        #expect(cut.contains("…[truncated 19"))
        #expect(cut.hasPrefix("éé") && cut.hasSuffix("éé"))
        #expect(ReportText.truncated("short", maxBytes: 10) == "short")
    }

    @Test func bidirectionalControlsAreMadeVisible() {
        // "txt.exe" shown as "exe.txt" by a right-to-left override, and an isolate pair.
        let text = ReportText.terminalSafe("name\u{202E}txt.exe \u{2066}x\u{2069} \u{200F}")
        #expect(text == "name\\u{202E}txt.exe \\u{2066}x\\u{2069} \\u{200F}")
        #expect(!text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
    }

    @Test func ansiAndControlsAreRemovedForTerminals() {
        #expect(ReportText.strippingANSI("a\u{1B}[1;31mb\u{1B}[0mc\u{1B}]0;title\u{7}d") == "abcd")
        #expect(ReportText.terminalSafe("x\u{1B}[2Jy\u{8}z\r") == "xy\\u{8}z")
    }
}

@Suite struct TerminalReportTests {
    @Test func summaryIsHonestAboutHiddenAndFailedChecks() {
        let report = hostileReport()
        let text = TerminalReport.render(report, color: false, width: 80)
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("1 of 5 visible checks passed (1.5/10 pts). 2 failed, 1 could not be evaluated, 1 skipped."))
        #expect(flat.contains("2 hidden checks worth 5 more points run only when the instructor grades, so this is not a final grade."))
        #expect(!text.lowercased().contains("all tests passed"))
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("more lines (see report.txt or junit.xml)") || text.contains("…"))
        for line in text.split(separator: "\n") { #expect(line.count <= 81, "line too long: \(line.prefix(40))") }
    }

    @Test func allVisiblePassedStillMentionsHidden() {
        var report = hostileReport()
        report.results = [report.results[0]]
        let summary = TerminalReport.summary(report)
        #expect(summary.hasPrefix("The 1 visible check passed (1/1 pts). 2 hidden checks worth 5 more points"))
        report.hidden = HiddenSummary()
        report.audience = "instructor"
        #expect(TerminalReport.summary(report) == "The 1 check passed (1/1 pts).")
    }

    @Test func colourOnlyWhenAsked() {
        let report = hostileReport()
        #expect(TerminalReport.render(report, color: true).contains("\u{1B}[32m"))
        #expect(!TerminalReport.render(report, color: false).contains("\u{1B}"))
    }
}

@Suite struct MachineReportTests {
    @Test func gradescopeJSONHasTheRequiredKeys() throws {
        var report = hostileReport()
        report.results[3].visibility = .hidden
        let text = GradescopeReport.render(report, reproducible: true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["score"] as? Double == 1.5)
        #expect(json["stdout_visibility"] as? String == "hidden")
        #expect(json["execution_time"] as? Double == 0)
        #expect((json["output"] as? String)?.contains("hidden checks") == true)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 5)
        for test in tests {
            for key in ["name", "score", "max_score", "status", "output", "visibility", "number"] {
                #expect(test[key] != nil, "missing \(key)")
            }
        }
        #expect(tests.map { $0["status"] as? String } == ["passed", "failed", "failed", "failed", "failed"])
        #expect(tests.map { $0["number"] as? String } == ["1.1", "1.2", "2.1", "2.2", "2.3"])
        #expect(tests[1]["score"] as? Double == 0.5 && tests[1]["max_score"] as? Double == 2)
        #expect(tests[3]["visibility"] as? String == "after_published")
        #expect(tests[3]["output"] as? String == "Not run: prerequisite 'ex1.accuracy' (accuracy) did not pass (error)")
        #expect(!text.contains("\\u001b"))  // no ANSI escapes reach Gradescope
    }

    @Test func gradescopeLeavesOutChecksThatDoNotApply() throws {
        var report = hostileReport()
        report.results[4].outcome = .skipped
        report.results[4].pointsPossible = 0
        report.results[4].flags = [Verdict.notApplicableFlag]
        report.results[4].message = "not applicable: only for Swift modules"
        let text = GradescopeReport.render(report, reproducible: true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 4)
        #expect(!text.contains("ex1.wrong"))
        #expect(tests.map { $0["number"] as? String } == ["1.1", "1.2", "2.1", "2.2"])
    }

    @Test func jsonReportRoundTripsAndIsStable() throws {
        let report = hostileReport()
        let text = JSONReport.render(report, reproducible: true)
        #expect(text == JSONReport.render(report, reproducible: true))
        let decoded = try JSONReport.decode(Data(text.utf8))
        #expect(decoded == report.withoutDurations())
        #expect(text.contains("\"audience\" : \"student\""))
    }
}

@Suite struct GradebookTests {
    func students() -> [StudentResult] {
        var bob = hostileReport()
        bob.submissionName = "bob"
        bob.audience = "instructor"
        bob.hidden = HiddenSummary()
        var alice = bob
        alice.submissionName = "alice"
        alice.results[2].outcome = .passed
        alice.results[2].pointsEarned = 4
        return [
            StudentResult(name: "carol", status: .timeout, report: nil, message: "grading did not finish within 30 s"),
            StudentResult(name: "bob", status: .graded, report: bob, message: "1.5/10"),
            StudentResult(name: "=cmd", status: .error, report: nil, message: "bad.zip: entry '../evil': escapes"),
            StudentResult(name: "alice", status: .graded, report: alice, message: "5.5/10"),
        ]
    }

    @Test func rowsSortedWithPointsPossibleFirst() {
        let lines = Gradebook.render(reports: students()).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines[0] == "student,status,total,max,ex0,ex1,ex0.files.present,ex0.features.columns,ex1.accuracy,ex1.after,ex1.wrong,flags,message")
        #expect(lines[1] == "points possible,,10,10,3,7,1,2,4,2,1,,")
        #expect(lines[2] == "'=cmd,error,0,10,,,,,,,,,bad.zip: entry '../evil': escapes")
        #expect(lines[3] == "alice,graded,5.5,10,1.5,4,1,0.5,4,0,0,ex0.features.columns: needs-read,5.5/10")
        #expect(lines[4].hasPrefix("bob,graded,1.5,10,1.5,0,"))
        #expect(lines[5] == "carol,timeout,0,10,,,,,,,,,grading did not finish within 30 s")
        #expect(lines.count == 6)
    }

    @Test func itemAnalysisPassRatesAndMeans() {
        let csv = ItemAnalysis.render(students())
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines[0] == "check,exercise,title,visibility,points_possible,attempted,passed,failed,errors,skipped,pass_rate,mean_points")
        #expect(lines.contains("ex1.accuracy,ex1,accuracy,visible,4,2,1,0,1,0,0.500,2"))
        #expect(lines.contains("ex0.files.present,ex0,files are present,visible,1,2,2,0,0,0,1.000,1"))
        let markdown = ItemAnalysis.renderMarkdown(students())
        #expect(markdown.contains("| ex1.accuracy | ex1 | 0.500 | 2/4 | 1 | 0 | 1 | 0 |"))
    }
}

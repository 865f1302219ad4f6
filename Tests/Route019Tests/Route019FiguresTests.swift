import BelayGrading
import BelayLab
import BelayReports
import BelayRoute
import BelayTestSupport
import Foundation
import Route019
import Testing

@Suite struct Route019FiguresTests {
    /// The reference submission's four pictures: bounded, consistent with the files they draw, deterministic, and
    /// drawn by the HTML page under Exercise 3.
    @Test func referenceSubmissionGetsFourBoundedFigures() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let report = await grade(folder, audience: .student)
        let figures = try #require(report.figures)
        #expect(figures.map(\.id) == ["ex3.similarity", "ex3.cluster-sizes", "ex3.accuracies", "ex3.homology-audit"])
        #expect(figures.allSatisfy { $0.exercise == "ex3" && $0.hasData })
        let proteins = sharedReference.alignedIDs.count

        let similarity = figures[0]
        #expect(similarity.kind == .histogram && similarity.edges.count - 1 <= 50 && similarity.edges.last == 1)
        #expect(zip(similarity.edges, similarity.edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Int(similarity.series[0].counts.reduce(0, +)) == proteins * (proteins - 1) / 2)
        #expect(similarity.markers.map(\.value) == [Double(sharedReference.threshold)])

        let sizes = figures[1]
        let noteProteins = sizes.bars.compactMap { bar in
            bar.note.flatMap { note in Int(note.split(separator: "(")[1].split(separator: " ")[0]) }
        }
        #expect(noteProteins.reduce(0, +) == proteins)
        #expect(Int(sizes.bars.map(\.value).reduce(0, +)) == sharedReference.clustering.stats.count)

        let accuracies = figures[2]
        #expect(accuracies.intervals.map(\.label).count == 4)
        #expect(accuracies.intervals.allSatisfy { $0.low <= $0.high && (0...1).contains($0.low) && (0...1).contains($0.high) })
        #expect(accuracies.intervals[0].value != nil && accuracies.intervals[2].value != nil)
        #expect(accuracies.intervals[3].rangeLabel.contains("over \(Route019Figures.repeatedSeeds.count) seeds"))

        let audit = figures[3]
        #expect(audit.series.count == 2 && audit.edges.count == 41)
        let random = sharedReference.randomIsTest.count { $0 }, clustered = sharedReference.clusteredIsTest.count { $0 }
        #expect(audit.series.map { Int($0.counts.reduce(0, +)) } == [random, clustered])
        // The clustered split has no test protein above the threshold; the bins above it are empty.
        let t = Double(sharedReference.threshold)
        let above = audit.edges.indices.dropLast().filter { audit.edges[$0] > t }
        #expect(above.allSatisfy { audit.series[1].counts[$0] == 0 })
        #expect(above.contains { audit.series[0].counts[$0] > 0 })

        // Deterministic: grading again gives the same figures, and the page the same bytes.
        let again = await grade(folder, audience: .student)
        #expect(again.figures == report.figures)
        #expect(HTMLReport.render(again) == HTMLReport.render(report))
        let decoded = try JSONReport.decode(Data(JSONReport.render(report, reproducible: true).utf8))
        #expect(decoded.figures == report.figures)
        #expect(HTMLReport.render(report).components(separatedBy: "<svg ").count - 1 == 4)
    }

    /// A submission without the files a figure needs loses that figure, never the report.
    @Test func missingFilesLeaveTheirFiguresOut() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        try folder.remove("clusters.csv")
        try folder.remove("metrics.csv")
        let report = await grade(folder, audience: .student)
        // splits.csv still places the proteins: the similarity distribution (reference threshold) and the audit.
        #expect(report.figures?.map(\.id) == ["ex3.similarity", "ex3.homology-audit"])
        try folder.remove("splits.csv")
        #expect(await grade(folder, audience: .student).figures == nil)
    }

    /// The similarity distribution is the course data's, computed once: a student placing fewer proteins gets the
    /// same bins, their own threshold marked, and a caption saying how many proteins their files place.
    @Test func similarityDistributionIsTheDatasets() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let full = try #require(await grade(folder, audience: .student).figures?.first)
        try folder.editCSV("clusters.csv") { _, row, i in i < 10 ? nil : row }
        try folder.editCSV("splits.csv") { _, row, i in i < 10 ? nil : row }
        try folder.setMetric("similarity_threshold", "0.85")
        let fewer = try #require(await grade(folder, audience: .student).figures?.first)
        #expect(fewer.id == "ex3.similarity" && fewer.edges == full.edges && fewer.series == full.series)
        #expect(fewer.markers.first?.value == Double(Float(0.85)) && fewer.markers.first?.label == "your threshold 0.850")
        #expect(fewer.caption.contains("Your files place \(sharedReference.alignedIDs.count - 10) proteins."))
        #expect(!full.caption.contains("Your files place"))
        let n = sharedReference.alignedIDs.count
        #expect(full.caption.hasPrefix("\(n * (n - 1) / 2) pairs among the \(n) labelled proteins"))
    }

    /// An audit served from the cache is exactly a fresh audit, at whatever threshold it is asked for.
    @Test func cachedAuditsEqualFreshOnes() {
        let ids = sharedReference.alignedIDs, isTest = sharedReference.randomIsTest
        let matrix = sharedReference.embeddings(for: ids).matrix
        for t: Float in [0.9, 0.8, 0.95, 0.9, 0.9 + Route019Reference.thresholdSlack] {
            #expect(sharedReference.audit(ids: ids, isTest: isTest, threshold: t) == homologyAudit(matrix, isTest: isTest, threshold: t))
        }
    }

    /// A grader told not to draw figures grades the same checks the same way, and its report has none.
    @Test func figuresCanBeLeftOutWithoutChangingTheGrade() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        var grader = Route019Grader(reference: sharedReference, rubric: sharedRubric, audience: .student, belayVersion: "test")
        grader.drawsFigures = false
        let without = await grader.grade(submissionAt: folder.url, name: "student")
        let with = await grade(folder, audience: .student)
        #expect(without.figures == nil && with.figures?.count == 4)
        #expect(without.results.map { [$0.id, $0.outcome.rawValue, "\($0.pointsEarned)", $0.message] }
            == with.results.map { [$0.id, $0.outcome.rawValue, "\($0.pointsEarned)", $0.message] })
    }

    /// The blockwise pairwise histogram counts exactly what the full similarity matrix holds.
    @Test(arguments: [1, 3, 64]) func pairwiseHistogramMatchesTheFullMatrix(blockRows: Int) {
        var rng = SeededGenerator(seed: 7)
        let n = 37, d = 5
        let values = (0..<(n * d)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
        let m = EmbeddingMatrix(count: n, dimension: d, values: values)
        let full = cosineSimilarityMatrix(m)
        var expected = [Int](repeating: 0, count: 20)
        for i in 0..<n {
            for j in (i + 1)..<n {
                expected[min(19, max(0, Int(((full[i * n + j] + 1) * 10).rounded(.down))))] += 1
            }
        }
        let counts = pairwiseSimilarityHistogram(m, bins: 20, blockRows: blockRows)
        #expect(counts.reduce(0, +) == n * (n - 1) / 2)
        // Float rounding may move a value sitting on a bin edge by one bin; totals per half stay put.
        #expect(zip(counts, expected).map { abs($0 - $1) }.reduce(0, +) <= 2)
    }
}

/// Real reports of a graded submission, drawn as HTML: student-written text escaped wherever it lands, and both
/// pages opened in headless Chromium.
@Suite struct Route019HTMLPageTests {
    /// Text a student controls that tries to end the page's markup: a script, a right-to-left override that would
    /// make `exe.txt` read as `txt.exe`, and a `</svg>` followed by an SVG with an event handler.
    static let hostile = "<script>alert('x')</script> \u{202E}txt.exe \"quoted\" & </svg><svg onload=alert(1)>"

    /// The reference submission with the hostile text in its reflection (which reaches the report's details) and
    /// as an unknown protein id in clusters.csv (which reaches a check's message).
    static func hostileReport() async throws -> GradeReport {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let reflection = try folder.read("reflection.md")
        try folder.write("reflection.md", reflection.replacingOccurrences(of: "## Q1. What is data leakage?\n", with: "## Q1. What is data leakage?\n\(hostile) "))
        try folder.write("clusters.csv", try folder.read("clusters.csv") + "\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\",0\n")
        return await grade(folder, audience: .student)
    }

    @Test func hostileStudentTextIsEscaped() async throws {
        let report = try await Self.hostileReport()
        // The hostile text did reach the report, so the page must cope with it.
        #expect(report.results.contains { $0.details.contains("<script>alert('x')</script>") })
        let html = HTMLReport.render(report)
        #expect(!html.contains("<script") && !html.contains("<svg onload"))
        #expect(!html.unicodeScalars.contains("\u{202E}") && html.contains("\\u{202E}txt.exe"))
        #expect(html.contains("&lt;/svg&gt;&lt;svg onload=alert(1)&gt;"))
        // Only Belay's four charts open and close SVG.
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(html.components(separatedBy: "</svg>").count - 1 == 4)
        let page = HTMLReport.renderClass(
            [StudentResult(name: Self.hostile, status: .graded, report: report, message: "")], title: "Class")
        #expect(!page.contains("<script") && !page.contains("<svg onload") && !page.unicodeScalars.contains("\u{202E}"))
    }

    @Test(.enabled(if: Python.isAvailable(), "needs Python (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func hostileStudentPagesAreWellFormed() async throws {
        let report = try await Self.hostileReport()
        let html = HTMLReport.render(report)
        let page = HTMLReport.renderClass(
            [StudentResult(name: Self.hostile, status: .graded, report: report, message: "")], title: "Class")
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        for (name, text) in [("report.html", html), ("class.html", page)] {
            let file = temp.file(name)
            try Data(text.utf8).write(to: file)
            let result = try Python.output(script: HTMLPage.wellFormednessScript, arguments: [file.path])
            #expect(result.hasPrefix("ok "), "\(name): \(result)")
        }
    }

    /// Both pages of a graded class (the hostile submission and the reference one) in headless Chromium: no
    /// console error, a screenshot that is not blank, the student page's four charts in the browser's DOM, and no
    /// script anywhere.
    @Test(.enabled(if: Chromium.isAvailable), .timeLimit(.minutes(45))) func realPagesRenderInHeadlessChromium() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let hostile = try await Self.hostileReport()
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let good = await grade(folder, audience: .student)
        let students = [
            StudentResult(name: "alice", status: .graded, report: good, message: ""),
            StudentResult(name: "mallory", status: .graded, report: hostile, message: ""),
        ]
        let classPage = temp.file("class.html")
        try Data(HTMLReport.renderClass(students, title: "The Leaky Pipeline: class report").utf8).write(to: classPage)
        var pages = [("class", classPage)]
        for student in students {
            let folder = temp.url.appendingPathComponent(student.name, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let page = folder.appendingPathComponent("report.html")
            try Data(HTMLReport.render(student.report!).utf8).write(to: page)
            pages.append((student.name, page))
        }
        for (name, url) in pages {
            let png = temp.file("\(name).png")
            let shot = try Chromium.run(page: url, mode: ["--screenshot=\(png.path)"], width: 1200, height: 2400)
            #expect(shot.status == 0, "\(name): chromium exited \(shot.status): \(shot.stderr.suffix(2000))")
            #expect(shot.consoleLines.isEmpty, "\(name): console: \(shot.consoleLines)")
            let data = try Data(contentsOf: png)
            #expect(Chromium.pngSize(data).map { $0.width == 1200 && $0.height == 2400 } == true, "\(name): not a PNG")
            #expect(data.count > 20_000, "\(name): \(data.count) bytes looks blank")
            let dom = try Chromium.run(page: url, mode: ["--dump-dom"])
            #expect(dom.consoleLines.isEmpty, "\(name): console: \(dom.consoleLines)")
            #expect(!dom.stdout.contains("<script") && !dom.stdout.contains("<svg onload"))
            #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == (name == "class" ? 2 : 4), "\(name)")
        }
    }
}

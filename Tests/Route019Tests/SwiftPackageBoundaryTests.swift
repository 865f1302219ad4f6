import BelayGrading
import BelayTestSupport
import Foundation
import Route019
import Testing

@Suite("Swift package boundary")
struct SwiftPackageBoundaryTests {
    /// Finding 9 of issue 8: a package whose `Sources` links to another student's was graded as its own (56/61).
    /// It is now refused before anything is compiled, with a failing check that says what and how to fix it.
    @Test func packageBorrowingAnotherStudentsSourcesEarnsNothing() async throws {
        let classDirectory = try TemporaryDirectory(prefix: "belay-class")
        defer { classDirectory.cleanup() }
        try swiftPackage(in: classDirectory.file("bob"))
        let mallory = classDirectory.file("mallory")
        try FileManager.default.createDirectory(at: mallory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: classDirectory.file("bob/Package.swift"), to: mallory.appendingPathComponent("Package.swift"))
        try FileManager.default.createSymbolicLink(
            atPath: mallory.appendingPathComponent("Sources").path, withDestinationPath: "../bob/Sources")

        let report = await grade(SubmissionFolder(url: mallory))
        #expect(report.property("submission.kind") == "swift")
        let builds = try #require(report.result("swift.builds"))
        #expect(builds.outcome == .failed)
        #expect(builds.message.contains("Sources is a symbolic link leading outside your package"), "\(builds.message)")
        #expect(builds.message.contains("`../bob/Sources`"))
        #expect(builds.hint?.contains("Replace each such link") == true, "\(builds.hint ?? "")")
        #expect(!builds.message.contains(classDirectory.path) && !builds.details.contains(classDirectory.path))
        #expect(report.pointsEarned == 0, "\(report.results.filter { $0.pointsEarned > 0 }.map(\.id))")
    }
}

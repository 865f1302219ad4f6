@testable import BelaySandbox
import BelayTestSupport
import ExerciseKit
import Foundation
import Testing

/// A conforming type whose `accuracy` calls `helperAccuracy` (defined in another file) and whose other functions
/// are placeholders.
private let solutionSource = Hostile.solution(accuracyBody: "helperAccuracy(truth, predicted)")

private let helperSource = """
    func helperAccuracy(_ truth: [Int], _ predicted: [Int]) -> Double {
        truth.isEmpty ? 0 : Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }

    """

/// Writes `text` at `relative` under `root`, creating folders.
private func write(_ text: String, _ relative: String, in root: URL) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Makes `relative` under `root` a symbolic link whose text is `destination`.
private func link(_ relative: String, to destination: String, in root: URL) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
}

/// Refusal of packages that reach outside themselves. No compiler runs: `locate` refuses before any build.
@Suite struct PackageBoundaryTests {
    /// A class folder with a victim's complete package and an attacker's folder beside it.
    private func classFolder() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "belay-boundary")
        try write("// swift-tools-version: 6.0\n", "victim/Package.swift", in: root.url)
        try write(solutionSource, "victim/Sources/LeakyPipeline/Solution.swift", in: root.url)
        try write(helperSource, "victim/Sources/LeakyPipeline/Helpers.swift", in: root.url)
        try write("## Q1\nvictim's answer\n", "victim/Reflection.md", in: root.url)
        try write("// swift-tools-version: 6.0\n", "attacker/Package.swift", in: root.url)
        return root
    }

    private func refusal(_ package: URL) -> PackageProblem? {
        if case .failure(let problem) = StudentSources.locate(in: package, track: SwiftTrack(LeakyPipelineCatalogue.self)) { return problem }
        return nil
    }

    @Test func sourcesLinkedToAnotherStudentIsRefused() async throws {
        let root = try classFolder()
        defer { root.cleanup() }
        try link("attacker/Sources", to: "../victim/Sources", in: root.url)
        let problem = try #require(refusal(root.file("attacker")))
        #expect(problem.location == "Sources")
        #expect(problem.message.contains("outside your package"))
        #expect(problem.message.contains("../victim/Sources"))
        #expect(problem.fix.contains("Replace"))
        #expect(!problem.description.contains(root.path), "the grader's own paths stay out of the message")

        // Through the runner: a refusal, never a build of the victim's code, never a thrown error.
        let builder = try #require(sharedBuilder)
        let run = try await SwiftSubmissionRunner(LeakyPipelineCatalogue.self, builder: builder).run(
            package: root.file("attacker"), inputs: [.accuracy(truth: [1], predicted: [1])])
        #expect(run.packageProblem == problem)
        #expect(run.compileError == problem.description)
        #expect(run.typeName == nil)
        if case .failed(let failure)? = run.responses[.accuracy] {
            #expect(failure.message.contains("outside your package"))
        } else {
            Issue.record("a task of a refused package answered: \(String(describing: run.responses[.accuracy]))")
        }
    }

    @Test func targetFolderLinkedOutsideIsRefused() throws {
        let root = try classFolder()
        defer { root.cleanup() }
        try link("attacker/Sources/Mine", to: root.file("victim/Sources/LeakyPipeline").path, in: root.url)
        let problem = try #require(refusal(root.file("attacker")))
        #expect(problem.location == "Sources/Mine")
        #expect(problem.message.contains("outside your package"))
    }

    @Test func innerFolderLinkedOutsideIsRefused() throws {
        let root = try classFolder()
        defer { root.cleanup() }
        try write(solutionSource, "attacker/Sources/Mine/Solution.swift", in: root.url)
        try link("attacker/Sources/Mine/Borrowed", to: "../../../victim/Sources/LeakyPipeline", in: root.url)
        let problem = try #require(refusal(root.file("attacker")))
        #expect(problem.location == "Sources/Mine/Borrowed")
    }

    @Test func swiftFileLinkedOutsideIsRefusedAndEveryBadLinkIsNamed() throws {
        let root = try classFolder()
        defer { root.cleanup() }
        try write(solutionSource, "attacker/Sources/Mine/Solution.swift", in: root.url)
        try link("attacker/Sources/Mine/Helpers.swift", to: "../../../victim/Sources/LeakyPipeline/Helpers.swift", in: root.url)
        try link("attacker/Reflection.md", to: "../victim/Reflection.md", in: root.url)
        let problem = try #require(refusal(root.file("attacker")))
        #expect(problem.location == "Sources/Mine/Helpers.swift and 1 more")
        #expect(problem.message.contains("`Sources/Mine/Helpers.swift` → `../../../victim/Sources/LeakyPipeline/Helpers.swift`"))
        #expect(problem.message.contains("`Reflection.md` → `../victim/Reflection.md`"))
    }

    @Test func linksOutsideToFilesBelayNeverReadsAreIgnored() throws {
        let root = try classFolder()
        defer { root.cleanup() }
        try write(solutionSource, "attacker/Sources/Mine/Solution.swift", in: root.url)
        try write(helperSource, "attacker/Sources/Mine/Helpers.swift", in: root.url)
        try link("attacker/Sources/Mine/notes.txt", to: "/etc/hostname", in: root.url)
        try link("attacker/Sources/Mine/Gone.swift", to: "nowhere/Gone.swift", in: root.url)  // broken: nothing read
        try link("attacker/Sources/Mine/Loop", to: ".", in: root.url)  // inside, walked once
        guard case .success(let sources) = StudentSources.locate(in: root.file("attacker"), track: SwiftTrack(LeakyPipelineCatalogue.self)) else {
            Issue.record("refused: \(String(describing: refusal(root.file("attacker"))))")
            return
        }
        #expect(sources.files.map(\.relative) == ["Helpers.swift", "Solution.swift"])
    }

    @Test func linksInsideThePackageAreFollowedToRealPathsInside() throws {
        let root = try classFolder()
        defer { root.cleanup() }
        let package = root.file("attacker")
        try write(solutionSource, "attacker/src/Mine/Solution.swift", in: root.url)
        try write(helperSource, "attacker/shared/Helpers.swift", in: root.url)
        try write("## Q1\nmine\n", "attacker/docs/reflection.md", in: root.url)
        try link("attacker/Sources/Mine", to: "../src/Mine", in: root.url)
        try link("attacker/src/Mine/Helpers.swift", to: "../../shared/Helpers.swift", in: root.url)
        try link("attacker/src/Mine/Again.swift", to: "Solution.swift", in: root.url)  // the same file: compiled once
        try link("attacker/Reflection.md", to: "docs/reflection.md", in: root.url)
        guard case .success(let sources) = StudentSources.locate(in: package, track: SwiftTrack(LeakyPipelineCatalogue.self)) else {
            Issue.record("refused: \(String(describing: refusal(package)))")
            return
        }
        let real = try #require(Walk.realPath(package.path))
        #expect(sources.files.map(\.relative) == ["Helpers.swift", "Solution.swift"])
        #expect(sources.files.allSatisfy { $0.real.hasPrefix(real + "/") && Walk.realPath($0.real) == $0.real })
        #expect(sources.reflection == Data("## Q1\nmine\n".utf8))
        // The build folder receives plain copies under the target's own name.
        let destination = try TemporaryDirectory(prefix: "belay-copy")
        defer { destination.cleanup() }
        let copied = try sources.copy(into: destination.url)
        #expect(copied == ["Sources/Mine/Helpers.swift", "Sources/Mine/Solution.swift"])
        for path in copied {
            let attributes = try FileManager.default.attributesOfItem(atPath: destination.file(path).path)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        }
    }

    @Test func compileErrorsFromIgnoredTargetsAreExplained() {
        let parts = IgnoredParts(
            target: "Sources/Client", otherTargets: ["Evil", "EvilMacros", "Util"], macros: ["EvilMacros"], plugins: [],
            hasDependencies: false)
        let macro = parts.explanation(ofCompilerOutput: "error: external macro implementation type 'EvilMacros.M' could not be found")
        #expect(macro?.contains("Belay does not support macros") == true)
        let declarations = parts.explanation(ofCompilerOutput: "A.swift:1:8: error: no such module 'Evil'")
        #expect(declarations?.contains("Belay does not support macros") == true)
        #expect(declarations?.contains("`Evil`") == true)
        #expect(parts.explanation(ofCompilerOutput: "error: no such module 'Foundation2'") == nil)
        let plain = IgnoredParts(target: "Sources/Client", otherTargets: ["Util"], macros: [], plugins: [], hasDependencies: false)
        let other = plain.explanation(ofCompilerOutput: "error: no such module 'Util'")
        #expect(other?.contains("Move the code you need into Sources/Client") == true)
        #expect(other?.contains("macros") == false)
    }
}

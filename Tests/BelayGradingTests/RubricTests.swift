import BelayChecksum
import BelayGrading
import Foundation
import Testing

@Suite struct RubricTests {
    @Test func parsesTheFormat() throws {
        let rubric = try Fixture.rubric()
        #expect(rubric.route == "019-leaky-pipeline")
        #expect(rubric.version == "1")
        #expect(try rubric.int("seed") == 42)
        #expect(rubric.exercises.map(\.id) == ["ex0", "ex1"])
        #expect(rubric.checks.map(\.id) == ["ex0.files.present", "ex0.features.columns", "ex1.accuracy", "ex1.secret", "ex1.after"])
        let columns = try #require(rubric.check("ex0.features.columns"))
        #expect(columns.line == 13)
        #expect(columns.points == 2)
        #expect(columns.requires == ["ex0.files.present"])
        #expect(try columns.number("tolerance") == 0.02)
        #expect(try columns.stringLists("concepts") == [["leak", "leakage", "leaked"], ["test set", "held-out"]])
        #expect(try columns.number("missing", default: 7) == 7)
        #expect(rubric.check("ex1.accuracy")?.requires == ["ex0.features.columns"])  // bare scalar form
        #expect(rubric.check("ex1.secret")?.visibility == .hidden)
        #expect(rubric.pointsPossible == 12)
        #expect(rubric.sha256 == SHA256.hex(Fixture.rubricYAML))
    }

    @Test func parameterErrorsNameCheckKeyAndLine() throws {
        let columns = try #require(try Fixture.rubric().check("ex0.features.columns"))
        let error = try #require(throws: RubricError.self) { try columns.string("tolerance") }
        #expect(error.description == "rubric.yaml:18: check 'ex0.features.columns' param 'tolerance' must be a string, not a number")
        let missing = try #require(throws: RubricError.self) { try columns.number("threshold") }
        #expect(missing.line == 13)
        #expect(missing.message.contains("missing param 'threshold'"))
        let notStrings = try #require(throws: RubricError.self) { try columns.strings("concepts") }
        #expect(notStrings.message.contains("holds a list"))
    }

    /// Replaces `old` with `new` in the fixture and returns the parse error.
    func error(replacing old: String, with new: String) throws -> RubricError {
        let text = Fixture.rubricYAML.replacingOccurrences(of: old, with: new)
        #expect(text != Fixture.rubricYAML, "fixture edit did not apply")
        return try #require(throws: RubricError.self) { try Rubric.parse(text, fileName: "rubric.yaml") }
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let e = try error(replacing: "    points: 4\n", with: "    points: 4\n      extra: 1\n")
        #expect(e.line == 23)
        #expect(e.message.contains("YAML syntax error"))
    }

    @Test func wrongTypeNamesTheLine() throws {
        let e = try error(replacing: "    points: 4\n", with: "    points: four\n")
        #expect(e.description == "rubric.yaml:22: check 'ex1.accuracy' points must be a number, not a string")
    }

    @Test func negativePoints() throws {
        let e = try error(replacing: "    points: 4\n", with: "    points: -1\n")
        #expect(e.description == "rubric.yaml:22: check 'ex1.accuracy' has points -1; points must be >= 0")
    }

    @Test func unknownKeySuggestsTheRightOne() throws {
        let e = try error(replacing: "    points: 4\n", with: "    points: 4\n    requries: [x]\n")
        #expect(e.line == 23)
        #expect(e.message.hasPrefix("unknown key 'requries' in check 'ex1.accuracy' (did you mean 'requires'?)"))
    }

    @Test func duplicateIDNamesBothLines() throws {
        let e = try error(replacing: "  - id: ex1.accuracy\n", with: "  - id: ex0.files.present\n")
        #expect(e.line == 19)
        #expect(e.message == "duplicate check id 'ex0.files.present' (first defined on line 9)")
    }

    @Test func unknownAndLaterPrerequisites() throws {
        let unknown = try error(replacing: "requires: [ex0.files.present]", with: "requires: [ex0.nope]")
        #expect(unknown.line == 13)
        #expect(unknown.message.contains("requires 'ex0.nope', which is no check"))
        let later = try error(replacing: "requires: [ex0.files.present]", with: "requires: [ex1.accuracy]")
        #expect(later.message.contains("which is a later check"))
    }

    @Test func visibleMayNotRequireHidden() throws {
        let e = try error(replacing: "    visibility: hidden\n    requires: [ex1.secret]", with: "    requires: [ex1.secret]")
        #expect(e.line == 30)
        #expect(e.message.contains("visible check 'ex1.after' requires hidden check 'ex1.secret'"))
    }

    @Test func unknownExerciseAndDuplicateKey() throws {
        let exercise = try error(replacing: "    exercise: ex1\n    title: leaky", with: "    exercise: ex9\n    title: leaky")
        #expect(exercise.line == 19)
        #expect(exercise.message.contains("unknown exercise 'ex9' (declared: ex0, ex1)"))
        let duplicate = try error(replacing: "    points: 4\n", with: "    points: 4\n    points: 5\n")
        #expect(duplicate.line == 22)
        #expect(duplicate.message.contains("duplicate key 'points'"))
    }

    @Test func missingKeysAndBadVisibility() throws {
        let missing = try error(replacing: "    title: leaky accuracy is near 100%\n", with: "")
        #expect(missing.description == "rubric.yaml:19: check 'ex1.accuracy' is missing required key 'title'")
        let visibility = try error(replacing: "visibility: hidden\n    params", with: "visibility: secret\n    params")
        #expect(visibility.line == 28)
        #expect(visibility.message.contains("use visible or hidden"))
    }

    @Test func loadHashesFileBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("belay-rubric-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Fixture.rubricYAML.utf8).write(to: url)
        let rubric = try Rubric.load(contentsOf: url)
        #expect(rubric.sha256 == SHA256.hex(Data(Fixture.rubricYAML.utf8)))
        #expect(rubric.fileName == url.lastPathComponent)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256KnownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
        var incremental = SHA256()
        for byte in input.utf8 { incremental.update(Data([byte])) }
        #expect(incremental.finalizeHex() == digest)
    }

    @Test func sha256MatchesAcrossChunkingOnLongInput() {
        let data = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var chunked = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 1000, 7] + Array(repeating: 500, count: 20) where offset < data.count {
            let end = min(offset + size, data.count)
            chunked.update(data[offset..<end])
            offset = end
        }
        chunked.update(data[offset...])
        #expect(chunked.finalizeHex() == SHA256.hex(data))
        // Python's hashlib agrees: sha256(bytes((i*31)&255 for i in range(10000))).
        #expect(SHA256.hex(data) == Self.pythonDigest)
    }

    static let pythonDigest = "f49bcd43c1cfa811a95f1535739bdf65ddd4acc99de390a61a0888640b347a3a"
}

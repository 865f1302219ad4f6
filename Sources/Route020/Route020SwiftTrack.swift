// Route 020's Swift track: a student's package conforming to `GoodModelsExercises` (module GoodModelsKit) is built
// and run in Belay's sandbox, and its answers become the same `Route020Submission` the CSV contract gives, so the
// same checks grade both.

import BelayData
import BelayGrading
import BelayLab
import BelayRoute
import BelaySandbox
import ExerciseKit
public import Foundation
import GoodModelsKit

/// Route 020's Swift track: its exercise protocol, catalogue and kit module as the sandbox sees them.
public enum Route020SwiftTrack {
    /// The kit students import (`GoodModelsKit`), compiled by the sandbox from its embedded sources.
    static var kit: SwiftKitModule { SwiftKitModule(name: "GoodModelsKit", files: GoodModelsKitSources.files) }

    /// The track: `GoodModelsExercises` through `GoodModelsCatalogue`, with the kit beside ExerciseKit.
    public static var track: SwiftTrack { SwiftTrack(GoodModelsCatalogue.self, modules: [kit]) }

    /// Whether `directory` holds a Swift package (itself, or its one wrapping folder).
    public static func isSwiftPackage(_ directory: URL) -> Bool { SwiftTrack.packageRoot(in: directory) != nil }

    /// The crafted case the module's `accuracy(truth:predicted:)` must score right (accuracy 0.6) before its
    /// figures are used for the curve.
    static let accuracyProbe = (truth: [0, 1, 2, 1, 0], predicted: [0, 1, 1, 1, 2], accuracy: 0.6)
}

extension GoodModelsRoute {
    /// A submission is this route's when it holds the CSV contract's files (``recognizes(fileNames:)``) or a Swift
    /// package declaring a type conforming to `GoodModelsExercises`. A `Package.swift` alone says nothing: every
    /// route's Swift packages have one.
    public func recognizes(submissionAt directory: URL, fileNames: Set<String>) -> Bool {
        recognizes(fileNames: fileNames)
            || (fileNames.contains("package.swift") && Route020SwiftTrack.track.isDeclared(inPackageAt: directory))
    }
}

/// Turns a student's Swift package into a ``Route020Submission`` by building it and calling its functions in the
/// sandbox on the course's proteins. Only inputs reach the student's code; the grader process never loads it.
struct Route020SwiftGrading {
    let reference: Route020Reference
    /// The seed and test share handed to the module (the rubric's `seed` and `test_fraction`).
    let seed: UInt64
    let testFraction: Double

    /// The module's functions, for the student's messages.
    static func name(_ task: GoodModelsCatalogue.Task) -> String {
        "`\(GoodModelsCatalogue.describe(task).signature)`"
    }

    /// Builds and runs the package at `directory`. Never throws: a machine without Swift, a compile error, a crash
    /// or a wrong answer becomes a problem of the files it stands for, which the checks report.
    func submission(packageAt directory: URL, name: String) async -> Route020Submission {
        let root = SwiftTrack.packageRoot(in: directory) ?? directory
        let builder: SwiftModuleBuilder
        do {
            builder = try SwiftModuleBuilder()
        } catch {
            return unusable(name, FileProblem(location: "the Swift package", message: "cannot be graded on this machine: \(error)"))
        }
        var runner = SwiftSubmissionRunner(GoodModelsCatalogue.self, builder: builder, modules: [Route020SwiftTrack.kit])
        runner.runPolicy.hiddenPaths = SandboxPolicy.graderFolders(
            rubric: try? Route020Grader.defaultRubricURL(), dataFiles: [reference.dataset.sheetPath, reference.dataset.embeddingPath],
            submission: directory, swiftc: await builder.toolchain.swiftc)
        if case .success(let group) = SandboxMemoryGroup.create(limit: SandboxPolicy.studentMemoryTotal) {
            runner.runPolicy.memoryGroup = group
        }
        defer { runner.runPolicy.memoryGroup?.close() }
        do {
            return try await run(runner, package: root, name: name)
        } catch {
            return unusable(name, FileProblem(location: "the Swift package", message: "could not be graded: \(error)"))
        }
    }

    private func run(_ runner: SwiftSubmissionRunner<GoodModelsCatalogue>, package: URL, name: String) async throws
        -> Route020Submission
    {
        let session = try await runner.open(package: package)
        let built = await session.run
        if let error = built.compileError {
            let problem = built.packageProblem.map { FileProblem(location: $0.location, message: $0.message, fix: $0.fix) }
                ?? FileProblem(
                    location: "the Swift module", message: "does not compile: \(error)",
                    fix: "Run `swift build` in your package and fix the first error it shows.")
            return unusable(name, problem)
        }
        func failed(_ task: GoodModelsCatalogue.Task, _ outcome: TaskOutcome<GoodModelsCatalogue.Output>) -> FileProblem {
            if case .failed(let f) = outcome { return FileProblem(location: Self.name(task), message: f.message) }
            return FileProblem(location: Self.name(task), message: "answered with the wrong kind of value")
        }
        let ids = reference.ids, codes = reference.codes, classes = reference.classes
        let n = ids.count, k = classes.count
        var submission = Route020Submission.unusable(name: name, FileProblem(location: "the Swift module", message: "was not asked"))
        submission.kind = "swift"

        // Step 1.
        var isTest: [Bool]?
        let splitOutcome = try await session.answer(.split(classes: codes, testFraction: testFraction, seed: seed))
        if case .answered(.split(let sides), _) = splitOutcome {
            if sides.count == n {
                isTest = sides
                submission.split = .present(
                    SplitFile(rows: ids.indices.map { (ids[$0], sides[$0], $0 + 1) }, badRows: [], badRowCount: 0))
            } else {
                submission.split = .invalid(
                    FileProblem(
                        location: Self.name(.split), message: "returned \(sides.count) sides for \(n) proteins",
                        fix: "Return one Bool per protein of `classes`, true for a test protein."))
            }
        } else {
            submission.split = .invalid(failed(.split, splitOutcome))
        }

        // Step 2: one call per rate, each with its own seed. Without a usable split of the module's own, Belay's
        // reference split stands in, so that one mistake costs once.
        var noisy: [[Int]] = []
        let sides = isTest ?? SeededSplit.random(count: n, testFraction: testFraction, seed: seed, stratifyBy: codes)
        do {
            let isTest = sides
            var rates: [NoisyLabelsFile.Rate] = []
            var problem: FileProblem?
            for (r, rate) in Route020Submission.rateGrid.enumerated() where problem == nil {
                let outcome = try await session.answer(
                    .noisyLabels(classes: codes, isTest: isTest, classCount: k, rate: rate, seed: seed &+ 1 &+ UInt64(r)))
                guard case .answered(.noisyLabels(let labels), _) = outcome else {
                    problem = failed(.noisyLabels, outcome)
                    break
                }
                guard labels.count == n else {
                    problem = FileProblem(
                        location: Self.name(.noisyLabels),
                        message: "returned \(labels.count) labels for \(n) proteins at rate \(rate)",
                        fix: "Return a copy of `classes` with some training labels changed: one code per protein.")
                    break
                }
                noisy.append(labels)
                var byID: [String: (label: String, line: Int)] = [:]
                for i in 0..<n {
                    let code = labels[i]
                    byID[ids[i]] = (classes.indices.contains(code) ? classes[code] : "class code \(code)", i + 1)
                }
                rates.append(NoisyLabelsFile.Rate(rate: rate, labels: byID, duplicates: []))
            }
            submission.noisyLabels = problem.map { .invalid($0) }
                ?? .present(NoisyLabelsFile(rates: rates, badRows: [], badRowCount: 0, ratesInPercent: false))
        }

        // Step 3: the features the module names, Belay's classifier, the module's accuracy.
        var features = FeatureSet.embeddings
        let featuresOutcome = try await session.answer(.features)
        if case .answered(.features(let word), _) = featuresOutcome, let set = FeatureSet.named(word) {
            features = set
            submission.setup = .present(
                SetupFile(settings: [
                    "features": (word, 1),
                    "classifier": ("Belay's standardized logistic regression, C = 0.01, on the module's labels", 2),
                ]))
        } else if case .answered(.features(let word), _) = featuresOutcome {
            submission.setup = .invalid(
                FileProblem(
                    location: Self.name(.features), message: "is `\(word)`",
                    fix: "Return \"embeddings\" (recommended) or \"hand-made\"."))
        } else {
            submission.setup = .invalid(failed(.features, featuresOutcome))
        }
        submission.curve = try await curve(session, isTest: sides, noisy: noisy, features: features)

        // Step 4.
        let reflectionOutcome = try await session.answer(.reflection)
        if case .answered(.reflection(let r), _) = reflectionOutcome {
            var answers: [Int: String] = [:]
            for (i, raw) in [r.q1, r.q2, r.q3].enumerated() {
                let text = raw.replacing(/<!--[\s\S]*?-->/, with: "").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { answers[i + 1] = text }
            }
            submission.reflection = .present(ReflectionAnswers(answers: answers, source: "the module's reflection"))
        } else {
            submission.reflection = .invalid(failed(.reflection, reflectionOutcome))
        }
        return submission
    }

    /// The curve: at every rate, Belay's classifier trained on the module's training labels and scored, on the test
    /// proteins with their clean labels, by the module's `accuracy(truth:predicted:)` (checked first on a crafted case).
    private func curve(
        _ session: SwiftModuleSession<GoodModelsCatalogue>, isTest: [Bool], noisy: [[Int]], features: FeatureSet
    ) async throws -> SubmittedFile<CurveFile> {
        let probe = Route020SwiftTrack.accuracyProbe
        let outcome = try await session.answer(.accuracy(truth: probe.truth, predicted: probe.predicted))
        guard case .answered(.accuracy(let value), _) = outcome else {
            if case .failed(let f) = outcome { return .invalid(FileProblem(location: Self.name(.accuracy), message: f.message)) }
            return .invalid(FileProblem(location: Self.name(.accuracy), message: "answered with the wrong kind of value"))
        }
        guard abs(value - probe.accuracy) < 1e-9 else {
            return .invalid(
                FileProblem(
                    location: Self.name(.accuracy),
                    message: "returned \(value) for truth \(probe.truth) and predictions \(probe.predicted), whose accuracy is \(probe.accuracy)",
                    fix: "Return the share of positions where the prediction equals the truth."))
        }
        guard noisy.count == Route020Submission.rateGrid.count else {
            return .invalid(
                FileProblem(
                    location: "the curve", message: "could not be computed without noisy labels at every rate",
                    fix: "Implement \(Self.name(.noisyLabels)) first."))
        }
        let columns = reference.columns(features)
        let rows = reference.ids.indices.filter { reference.features(features, row: $0) != nil }
        let train = rows.filter { !isTest[$0] }, test = rows.filter { isTest[$0] }
        guard train.count >= 10, !test.isEmpty else {
            return .invalid(FileProblem(location: "the curve", message: "the split leaves \(train.count) training and \(test.count) test proteins with features"))
        }
        func matrix(_ idx: [Int]) -> [Double] { idx.flatMap { reference.features(features, row: $0)! } }
        let scaler = Standardizer(fitting: matrix(train), rows: train.count, columns: columns)
        let xTrain = scaler.transform(matrix(train), rows: train.count)
        let xTest = scaler.transform(matrix(test), rows: test.count)
        let truth = test.map { reference.codes[$0] }
        var points: [(rate: Double, accuracy: Double, line: Int)] = []
        for (r, rate) in Route020Submission.rateGrid.enumerated() {
            // Codes outside 0..<k (the labels check reports them) train as class 0, so that the classifier can run.
            let labels = train.map { noisy[r][$0] }.map { reference.classes.indices.contains($0) ? $0 : 0 }
            let model = LogisticRegression(c: 0.01).fit(
                x: xTrain, rows: train.count, columns: columns, labels: labels, classCount: reference.classes.count)
            let predicted = model.predict(x: xTest, rows: test.count)
            let answer = try await session.answer(.accuracy(truth: truth, predicted: predicted))
            guard case .answered(.accuracy(let accuracy), _) = answer else {
                if case .failed(let f) = answer { return .invalid(FileProblem(location: Self.name(.accuracy), message: f.message)) }
                return .invalid(FileProblem(location: Self.name(.accuracy), message: "answered with the wrong kind of value"))
            }
            points.append((rate, accuracy, r + 1))
        }
        return .present(CurveFile(points: points, badRows: [], badRowCount: 0, ratesInPercent: false))
    }

    private func unusable(_ name: String, _ problem: FileProblem) -> Route020Submission {
        var submission = Route020Submission.unusable(name: name, problem)
        submission.kind = "swift"
        return submission
    }

}

extension Route020Grader {
    /// Grades the Swift package in `directory` (see ``Route020SwiftGrading``) with the rubric's `seed` and
    /// `test_fraction` (42 and 0.2 when the rubric sets none).
    func gradeSwiftPackage(at directory: URL, name: String, sha256: String) async -> GradeReport {
        let seed = UInt64((try? rubric.int("seed")) ?? 42)
        let testFraction = (try? rubric.number("test_fraction")) ?? 0.2
        var submission = await Route020SwiftGrading(reference: reference, seed: seed, testFraction: testFraction)
            .submission(packageAt: directory, name: name)
        submission.sha256 = sha256
        return await grade(submission)
    }
}

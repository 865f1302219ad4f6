public import Foundation
import BelayData
import BelayLab
import BelaySandbox
import ExerciseKit

/// What the Swift-only checks need: the module's answers to small crafted inputs (edge cases).
public struct SwiftProbes: Sendable {
    /// The compiler's first diagnostics, when the module did not build.
    public var compileError: String?
    /// The type that conforms to `LeakyPipelineExercises`.
    public var typeName: String?
    /// Answers to `SwiftProbeInputs.sequences`.
    public var features: Result<[[Int]], ProblemError>
    /// Answers to `SwiftProbeInputs.locationTexts`.
    public var cleaning: Result<[String?], ProblemError>
    /// The module's cosine matrix of the aligned proteins, and the reference one's worst difference to it.
    public var cosineMaxDifference: Result<Double, ProblemError>
    /// Answers to each of `SwiftProbeInputs.similarityCases`.
    public var clusterCases: [Result<[Int], ProblemError>]
    /// Answers to each of `SwiftProbeInputs.splitCases`.
    public var splitCases: [Result<[Bool], ProblemError>]
    /// Answer to `SwiftProbeInputs.accuracyCase`.
    public var accuracy: Result<Double, ProblemError>
    /// When Belay refused the package before compiling it (a link leading outside the package, no conforming
    /// type): where, what and how to fix it. `compileError` then holds the same text.
    public var packageProblem: Problem? = nil
    /// How the module was built (only its target; the manifest, plugins and macro targets ignored), for the student.
    public var buildNotes: [String] = []
}

/// The crafted inputs of the Swift-only checks. Their expected answers come from the reference lab, in the grader.
public enum SwiftProbeInputs {
    /// Edge cases of Exercise 0's features.
    public static let sequences = ["", "acdefghiklmnpqrstvwy", "MKV*", "M K\nV\tL", "XBZUOJ", "MXXK*", "mkWWy"]
    /// UniProt texts and GO lists, with several locations, notes, evidence tags and blanks.
    public static let locationTexts = [
        "",
        "SUBCELLULAR LOCATION: Cytoplasm {ECO:0000250}.",
        "SUBCELLULAR LOCATION: Cell membrane {ECO:0000255}; Multi-pass membrane protein {ECO:0000255}.",
        "SUBCELLULAR LOCATION: Secreted, cell wall {ECO:0000269|PubMed:12345678}. Note=Found in culture filtrate.",
        "SUBCELLULAR LOCATION: Cytoplasm {ECO:0000305}. Cell membrane {ECO:0000305}; Peripheral membrane protein.",
        "SUBCELLULAR LOCATION: Periplasm {ECO:0000305}.",
        "plasma membrane [GO:0005886]; cytosol [GO:0005829]",
        "extracellular region [GO:0005576]; peptidoglycan-based cell wall [GO:0009274]",
        "cytoplasmic side of plasma membrane [GO:0009898]; cytosol [GO:0005829]",
    ]
    /// Small similarity matrices with their threshold: a chain of links, a tie exactly at the threshold,
    /// isolated proteins, and a mixed case.
    public static let similarityCases: [(name: String, matrix: [[Float]], threshold: Float)] = [
        ("a chain a–b–c (a and c not linked directly) and an isolated d",
         [[1, 0.9, 0.1, 0], [0.9, 1, 0.9, 0], [0.1, 0.9, 1, 0], [0, 0, 0, 1]], 0.8),
        ("a pair exactly at the threshold (not linked) beside a pair just above it",
         [[1, 0.8, 0.2], [0.8, 1, 0.81], [0.2, 0.81, 1]], 0.8),
        ("no pair above the threshold", [[1, 0.5, 0.7], [0.5, 1, 0.6], [0.7, 0.6, 1]], 0.8),
        ("two chains that meet only through their last members",
         [[1, 0.95, 0, 0, 0, 0], [0.95, 1, 0.85, 0, 0, 0], [0, 0.85, 1, 0, 0, 0.9],
          [0, 0, 0, 1, 0.99, 0], [0, 0, 0, 0.99, 1, 0.82], [0, 0, 0.9, 0, 0.82, 1]], 0.8),
    ]
    /// Cluster labellings, seeds and fractions the clustered split must keep whole.
    public static let splitCases: [(clusters: [Int], fraction: Double, seed: UInt64)] = {
        let labels = [0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 9, 10, 11, 12, 12, 13, 14, 14, 14, 15, 16]
        return [(labels, 0.2, 1), (labels, 0.2, 7), (labels, 0.3, 42), (labels.reversed(), 0.25, 3)]
    }()
    /// Truth and predictions with a known accuracy (0.6).
    public static let accuracyCase = (truth: [0, 1, 2, 1, 0], predicted: [0, 1, 1, 1, 2])
}

/// Grades Swift packages: builds each in the sandbox once, then asks it, one sandboxed process per task, for the
/// same artefacts a notebook writes (features, labels, encoding, clusters, splits, figures, reflection) computed on
/// the reference data, plus answers to crafted edge cases. Only inputs ever reach the student's code.
public struct Route019SwiftGrading: SwiftModuleGrading {
    let runner: SwiftSubmissionRunner<LeakyPipelineCatalogue>

    /// A grader sharing one module builder (ExerciseKit is compiled once per toolchain and cached).
    public init() throws {
        runner = SwiftSubmissionRunner(LeakyPipelineCatalogue.self, builder: try SwiftModuleBuilder())
    }

    public func submission(packageAt directory: URL, name: String, reference: Route019Reference) async throws
        -> Route019Submission
    {
        var runner = self.runner
        runner.runPolicy.hiddenPaths = SandboxPolicy.graderFolders(
            rubric: try? Route019Grader.defaultRubricURL(), dataFiles: [reference.dataset.sheetPath, reference.dataset.embeddingPath],
            submission: directory, swiftc: await runner.builder.toolchain.swiftc)
        // One memory total for the student's build and every task, where the machine offers a cgroup.
        let memory: String
        switch SandboxMemoryGroup.create(limit: SandboxPolicy.studentMemoryTotal) {
        case .success(let group):
            runner.runPolicy.memoryGroup = group
            memory = group.description
        case .failure(let why):
            memory = "memory \(SandboxResult.bytes(runner.runPolicy.memoryBytes)) of address space per process, "
                + "no total per student (\(why.reason))"
        }
        defer { runner.runPolicy.memoryGroup?.close() }
        let session = try await runner.open(package: directory)
        var submission = Route019Submission.unusable(
            name: name, Problem(location: "module", message: "was not asked"))
        submission.directory = directory
        submission.kind = "swift"
        let built = await session.run
        if let problem = built.compileError {
            let refusal = built.packageProblem.map { Problem(location: $0.location, message: $0.message, fix: $0.fix) }
            let p = refusal
                ?? Problem(location: "the Swift module", message: "did not compile", fix: "Fix the compiler's errors: swift build shows them too.")
            submission = Route019Submission.unusable(name: name, p)
            submission.kind = "swift"
            submission.swiftProbes = SwiftProbes(
                compileError: problem, typeName: built.typeName, features: .failure(ProblemError(p)),
                cleaning: .failure(ProblemError(p)), cosineMaxDifference: .failure(ProblemError(p)), clusterCases: [],
                splitCases: [], accuracy: .failure(ProblemError(p)), packageProblem: refusal, buildNotes: built.buildNotes)
            return submission
        }

        func failure(_ function: String, _ outcome: TaskOutcome<TaskOutput>) -> Problem {
            if case .failed(let f) = outcome {
                return Problem(location: "`\(function)`", message: f.message)
            }
            return Problem(location: "`\(function)`", message: "answered with the wrong kind of value")
        }

        // Exercise 0 on every sheet protein.
        let proteins = reference.dataset.proteins
        var seen = Set<String>()
        let unique = proteins.filter { seen.insert($0.id).inserted }
        let featureOutcome = try await session.answer(.features(sequences: unique.map(\.sequence)))
        let cleanOutcome = try await session.answer(.cleanLocation(texts: unique.map(\.locationText)))
        var labelled: [(id: String, label: String, values: [Int?])] = []
        if case .answered(.features(let rows), _) = featureOutcome, rows.count == unique.count,
            case .answered(.cleanLocation(let labels), _) = cleanOutcome, labels.count == unique.count
        {
            for (i, protein) in unique.enumerated() {
                guard let label = labels[i] else { continue }
                let row = rows[i]
                let values: [Int?] = row.count == 21 ? row.map { $0 >= 0 ? $0 : nil } : [Int?](repeating: nil, count: 21)
                labelled.append((protein.id, label, values))
            }
            submission.features = .present(
                FeatureTable(
                    rows: labelled.enumerated().map { FeatureRow(id: $1.id, location: $1.label, values: $1.values, line: $0 + 2) },
                    missingColumns: [], cellProblems: labelled.contains { $0.values.contains(nil) }
                        ? [Problem(location: "`features(of:)`", message: "did not return 21 non-negative counts for every sequence")] : [],
                    badCellCount: labelled.filter { $0.values.contains(nil) }.count, extraColumns: []))
        } else if case .answered(.features(let rows), _) = featureOutcome, rows.count != unique.count {
            submission.features = .invalid(Problem(location: "`features(of:)`", message: "answered \(rows.count) rows for \(unique.count) sequences"))
        } else if case .failed = featureOutcome {
            submission.features = .invalid(failure("features(of:)", featureOutcome))
        } else {
            submission.features = .invalid(failure("cleanLocation(_:)", cleanOutcome))
        }

        // Exercise 1: the encoding of the module's own labels, and the leaked experiment's figure.
        let studentLabels = labelled.map(\.label)
        let encodeOutcome = try await session.answer(.encodeLabels(labels: studentLabels))
        var codes: [String: Int] = [:]
        if case .answered(.encodeLabels(let map), _) = encodeOutcome {
            codes = map
            submission.encoding = .present(
                EncodingTable(pairs: map.sorted { $0.key < $1.key }.enumerated().map { ($1.key, String($1.value), $0 + 2) }))
        } else {
            submission.encoding = .invalid(failure("encodeLabels(_:)", encodeOutcome))
        }

        // Exercises 2-3 on the module's labelled proteins that have a vector (Belay aligns: the API has no alignment step).
        // When the module's cleaning kept nothing, the reference's proteins stand in, so that one mistake costs once.
        let ownAligned = labelled.map(\.id).filter { reference.datasetRowByID[$0] != nil }
        let aligned = ownAligned.isEmpty ? reference.alignedIDs : ownAligned
        let (normalized, _, _) = reference.embeddings(for: aligned)
        let rawRows = aligned.compactMap { reference.datasetRowByID[$0] }.map { Array(reference.dataset.embeddings.row($0)) }
        let cosineOutcome = try await session.answer(.cosineSimilarity(embeddings: FloatRows(rawRows)))
        let referenceSimilarity = cosineSimilarityMatrix(normalized)
        let n = aligned.count
        let cosineDifference: Result<Double, ProblemError>
        if case .answered(.cosineSimilarity(let matrix), _) = cosineOutcome {
            if matrix.rows.count == n, matrix.rows.allSatisfy({ $0.count == n }) {
                var worst = 0.0
                for i in 0..<n {
                    for j in 0..<n {
                        let d = Double(abs(matrix.rows[i][j] - referenceSimilarity[i * n + j]))
                        worst = d.isNaN ? .infinity : max(worst, d)
                    }
                }
                cosineDifference = .success(worst)
            } else {
                cosineDifference = .failure(ProblemError(Problem(location: "`cosineSimilarity(_:)`", message: "returned a matrix that is not \(n) × \(n)")))
            }
        } else {
            cosineDifference = .failure(ProblemError(failure("cosineSimilarity(_:)", cosineOutcome)))
        }
        let threshold = reference.threshold
        let similarityRows = (0..<n).map { Array(referenceSimilarity[($0 * n)..<($0 * n + n)]) }
        let clusterOutcome = try await session.answer(.clusters(similarity: FloatRows(similarityRows), threshold: threshold))
        if case .answered(.clusters(let labels), _) = clusterOutcome, labels.count == n {
            submission.clusters = .present(ClusterTable(rows: aligned.indices.map { (aligned[$0], String(labels[$0]), $0 + 2) }))
        } else if case .answered(.clusters(let labels), _) = clusterOutcome {
            submission.clusters = .invalid(Problem(location: "`clusters(similarity:threshold:)`", message: "returned \(labels.count) labels for \(n) proteins"))
        } else {
            submission.clusters = .invalid(failure("clusters(similarity:threshold:)", clusterOutcome))
        }
        // Splits over the reference components, so that a clustering mistake costs points once.
        let referenceComponents = reference.components(for: aligned, threshold: threshold)
        let fraction = reference.options.testFraction
        let seed = reference.options.seed
        let clusteredOutcome = try await session.answer(.clusteredSplit(clusters: referenceComponents, testFraction: fraction, seed: seed))
        let randomOutcome = try await session.answer(.randomSplit(count: n, testFraction: fraction, seed: seed))
        var clusteredIsTest: [Bool]?
        var randomIsTest: [Bool]?
        if case .answered(.clusteredSplit(let s), _) = clusteredOutcome, s.count == n { clusteredIsTest = s }
        if case .answered(.randomSplit(let s), _) = randomOutcome, s.count == n { randomIsTest = s }
        if let clusteredIsTest, let randomIsTest {
            submission.splits = .present(
                SplitTable(rows: aligned.indices.map {
                    (aligned[$0], randomIsTest[$0] ? "test" : "train", clusteredIsTest[$0] ? "test" : "train", $0 + 2)
                }))
        } else if clusteredIsTest == nil {
            submission.splits = .invalid(failure("clusteredSplit(clusters:testFraction:seed:)", clusteredOutcome))
        } else {
            submission.splits = .invalid(failure("randomSplit(count:testFraction:seed:)", randomOutcome))
        }

        // The figures: Belay trains the reference classifier; the module's own accuracy function scores it.
        var metrics: [String: (text: String, line: Int)] = [
            "similarity_threshold": (Route019Reference.format(Double(threshold)), 5),
            "test_fraction": (Route019Reference.format(fraction), 6),
        ]
        func scored(_ name: String, _ truthAndPrediction: (truth: [Int], predicted: [Int])?, line: Int) async throws {
            guard let tp = truthAndPrediction else { return }
            let outcome = try await session.answer(.accuracy(truth: tp.truth, predicted: tp.predicted))
            if case .answered(.accuracy(let a), _) = outcome {
                metrics[name] = (a.isFinite ? String(a) : "nan", line)
            }
        }
        let featureRows = labelled.filter { !$0.values.contains(nil) && codes[$0.label] != nil }
        if featureRows.count >= 10 {
            var x: [Double] = []
            var y: [Int] = []
            for row in featureRows {
                x += row.values.map { Double($0 ?? 0) } + [Double(codes[row.label] ?? 0)]
                y.append(codes[row.label] ?? 0)
            }
            let isTest = randomSplit(count: y.count, testFraction: fraction, seed: seed)
            try await scored("leakage_accuracy", Self.fitPredict(x, columns: 22, labels: y, isTest: isTest), line: 2)
        }
        let alignedCodes = aligned.map { id in reference.indexByID[id].map { reference.codes[$0] } ?? -1 }
        let known = alignedCodes.indices.filter { alignedCodes[$0] >= 0 }
        if let randomIsTest, let clusteredIsTest, !known.isEmpty {
            let x = known.flatMap { i in normalized.row(i).map(Double.init) }
            let y = known.map { alignedCodes[$0] }
            try await scored("random_split_accuracy", Self.fitPredict(x, columns: normalized.dimension, labels: y, isTest: known.map { randomIsTest[$0] }), line: 3)
            try await scored("clustered_split_accuracy", Self.fitPredict(x, columns: normalized.dimension, labels: y, isTest: known.map { clusteredIsTest[$0] }), line: 4)
        }
        submission.metrics = .present(MetricTable(values: metrics))

        // Exercise 4.
        let reflectionOutcome = try await session.answer(.reflection)
        if case .answered(.reflection(let r), _) = reflectionOutcome {
            var answers: [Int: String] = [:]
            for (i, raw) in r.answers.enumerated() {
                let text = Route019Submission.strippingComments(raw).trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { answers[i + 1] = text }
            }
            submission.reflection = .present(Reflection(answers: answers, source: "the module's reflection"))
        } else {
            submission.reflection = .invalid(failure("reflection", reflectionOutcome))
        }

        // Edge cases only a module allows.
        let probeFeatures = try await session.answer(.features(sequences: SwiftProbeInputs.sequences))
        let probeCleaning = try await session.answer(.cleanLocation(texts: SwiftProbeInputs.locationTexts))
        var clusterCases: [Result<[Int], ProblemError>] = []
        for c in SwiftProbeInputs.similarityCases {
            let o = try await session.answer(.clusters(similarity: FloatRows(c.matrix), threshold: c.threshold))
            if case .answered(.clusters(let labels), _) = o { clusterCases.append(.success(labels)) } else {
                clusterCases.append(.failure(ProblemError(failure("clusters(similarity:threshold:)", o))))
            }
        }
        var splitCases: [Result<[Bool], ProblemError>] = []
        for c in SwiftProbeInputs.splitCases {
            let o = try await session.answer(.clusteredSplit(clusters: c.clusters, testFraction: c.fraction, seed: c.seed))
            if case .answered(.clusteredSplit(let s), _) = o { splitCases.append(.success(s)) } else {
                splitCases.append(.failure(ProblemError(failure("clusteredSplit(clusters:testFraction:seed:)", o))))
            }
        }
        let probeAccuracy = try await session.answer(.accuracy(truth: SwiftProbeInputs.accuracyCase.truth, predicted: SwiftProbeInputs.accuracyCase.predicted))
        submission.swiftProbes = SwiftProbes(
            compileError: nil, typeName: built.typeName,
            features: {
                if case .answered(.features(let rows), _) = probeFeatures { return .success(rows) }
                return .failure(ProblemError(failure("features(of:)", probeFeatures)))
            }(),
            cleaning: {
                if case .answered(.cleanLocation(let labels), _) = probeCleaning { return .success(labels) }
                return .failure(ProblemError(failure("cleanLocation(_:)", probeCleaning)))
            }(),
            cosineMaxDifference: cosineDifference, clusterCases: clusterCases, splitCases: splitCases,
            accuracy: {
                if case .answered(.accuracy(let a), _) = probeAccuracy { return .success(a) }
                return .failure(ProblemError(failure("accuracy(truth:predicted:)", probeAccuracy)))
            }(),
            buildNotes: built.buildNotes)
        let notes = await session.run.limitsNotApplied
        // No timings here: reports must be byte-identical for identical input under --reproducible.
        submission.sandboxNotes =
            memory + "; " + (notes.isEmpty ? "every other limit applied" : "not applied: " + notes.joined(separator: "; "))
        return submission
    }


    /// Fits the reference classifier on the training rows and returns the test rows' truth and predictions.
    static func fitPredict(_ x: [Double], columns: Int, labels: [Int], isTest: [Bool]) -> (truth: [Int], predicted: [Int])? {
        let train = isTest.indices.filter { !isTest[$0] }
        let test = isTest.indices.filter { isTest[$0] }
        guard !train.isEmpty, !test.isEmpty else { return nil }
        func rows(_ idx: [Int]) -> [Double] { idx.flatMap { x[($0 * columns)..<($0 * columns + columns)] } }
        // Codes come from the student's encoding (any integers): renumber them 0..<k for the classifier and back.
        let distinct = Array(Set(labels)).sorted()
        let dense = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let labels = labels.map { dense[$0] ?? 0 }
        let classCount = max(1, distinct.count)
        let scaler = Standardizer(fitting: rows(train), rows: train.count, columns: columns)
        let model = LogisticRegression().fit(
            x: scaler.transform(rows(train), rows: train.count), rows: train.count, columns: columns,
            labels: train.map { labels[$0] }, classCount: classCount)
        let predicted = model.predict(x: scaler.transform(rows(test), rows: test.count), rows: test.count)
        return (test.map { distinct[labels[$0]] }, predicted.map { distinct[$0] })
    }
}

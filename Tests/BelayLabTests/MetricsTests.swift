import BelayLab
import BelayTestSupport
import Testing

@Suite struct MetricsTests {
    @Test func byHand() {
        let truth = [0, 0, 1, 1, 2, 2], predicted = [0, 1, 1, 1, 0, 2]
        #expect(accuracy(truth, predicted) == 4.0 / 6)
        #expect(confusionMatrix(truth, predicted, classCount: 3) == [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
        let expectedBalanced: Double = (0.5 + 1 + 0.5) / 3
        #expect(abs(balancedAccuracy(truth, predicted, classCount: 3) - expectedBalanced) < 1e-12)
        // F1: class 0: 2/(2+1+1)=0.5; class 1: 4/(4+1+0)=0.8; class 2: 2/(2+0+1)=2/3
        let expectedF1: Double = (0.5 + 0.8 + 2.0 / 3) / 3
        #expect(abs(macroF1(truth, predicted, classCount: 3) - expectedF1) < 1e-12)
        #expect(accuracy([], []) == 0)
    }

    @Test func classAbsentFromTruthOrPredictions() {
        // Class 2 never true: balanced accuracy averages classes 0 and 1 only; macro-F1 includes class 2 (predicted).
        #expect(balancedAccuracy([0, 0, 1], [0, 2, 1], classCount: 3) == 0.75)
        let withPredictedOnly: Double = (2.0 / 3 + 1 + 0) / 3
        #expect(abs(macroF1([0, 0, 1], [0, 2, 1], classCount: 3) - withPredictedOnly) < 1e-12)
        // Class 1 never predicted: F1 0; a class in neither (3) is left out.
        let withUnpredicted: Double = (2.0 / 3 + 0) / 2
        #expect(macroF1([0, 1], [0, 0], classCount: 4) == withUnpredicted)
    }

    @Test func adjustedRandIndexCases() {
        #expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3]) == 1)
        #expect(adjustedRandIndex([0, 0, 0], [1, 1, 1]) == 1)
        #expect(adjustedRandIndex([0, 1, 2], [0, 1, 2]) == 1)
        let crossed = adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])
        #expect(abs(crossed + 0.5) < 1e-12)
    }

    @Test func samePartitionIgnoresIDs() {
        #expect(samePartition([0, 0, 1], [4, 4, 2]))
        #expect(!samePartition([0, 0, 1], [4, 2, 2]))
        #expect(!samePartition([0, 1, 1], [3, 3, 3]))
        #expect(!samePartition([0, 0, 0], [1, 1, 2]))
        #expect(!samePartition([0], [0, 0]))
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearnOnRandomLabellings() throws {
        var input = ""
        var cases: [([Int], [Int])] = []
        for seed in 0..<12 {
            var g = SeededGenerator(seed: UInt64(seed))
            let n = 5 + g.nextIndex(below: 60)
            let truth = (0..<n).map { _ in g.nextIndex(below: 3) }
            // Some cases never predict class 2, some predict mostly the truth.
            let classes = seed % 3 == 0 ? 2 : 3
            let predicted = truth.map { t in g.nextIndex(below: 4) == 0 ? t : g.nextIndex(below: classes) }
            cases.append((truth, predicted))
            input += truth.map(String.init).joined(separator: " ") + "\n"
            input += predicted.map(String.init).joined(separator: " ") + "\n"
        }
        let out = try Reference.run("""
            import sys
            from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, confusion_matrix,
                                         adjusted_rand_score)
            lines = sys.stdin.read().split("\\n")
            for a, b in zip(lines[0::2], lines[1::2]):
                if not a: break
                t = list(map(int, a.split())); p = list(map(int, b.split()))
                cm = confusion_matrix(t, p, labels=[0, 1, 2]).ravel().tolist()
                scores = [accuracy_score(t, p), balanced_accuracy_score(t, p),
                          f1_score(t, p, average="macro", zero_division=0), adjusted_rand_score(t, p)]
                print(" ".join("%.17g" % v for v in scores), " ".join(map(str, cm)))
            """, input: input)
        let rows = out.split(separator: "\n").map { Reference.numbers(String($0)) }
        #expect(rows.count == cases.count)
        for ((truth, predicted), r) in zip(cases, rows) {
            try #require(r.count == 13)
            #expect(abs(accuracy(truth, predicted) - r[0]) < 1e-12)
            #expect(abs(balancedAccuracy(truth, predicted, classCount: 3) - r[1]) < 1e-12)
            #expect(abs(macroF1(truth, predicted, classCount: 3) - r[2]) < 1e-12)
            #expect(abs(adjustedRandIndex(truth, predicted) - r[3]) < 1e-12)
            #expect(confusionMatrix(truth, predicted, classCount: 3).flatMap { $0 } == r[4...].map { Int($0) })
        }
    }
}

import BelayRoute
import BelayTestSupport
import Foundation
@testable import Route020
import Testing

/// Curve reruns kept in a ``ResultStore`` between runs: read back exactly, and only for the same inputs.
@Suite("Curve reruns kept between runs")
struct KeptCurveRerunTests {
    @Test func aStoredCurveRerunReadsBackBitForBit() {
        let rerun = CurveRerun(
            accuracies: zip(CurveRerunModel.allCases, [0.1 + 0.2, 1.0 / 3.0, 0.0, 5e-324, 1.0]).map { ($0, $1) },
            trainCount: 1200, testCount: 300)
        #expect(CurveRerun(stored: rerun.stored) == rerun)
        #expect(CurveRerun(stored: Data("counts\t1\t2\n".utf8)) == nil)
        #expect(CurveRerun(stored: Data()) == nil)
    }

    @Test func aKeptRerunIsReadForTheSameInputsOnly() throws {
        let folder = try TemporaryDirectory(prefix: "belay-curve-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "test")
        let reference = Route020Reference(dataset: sharedReference.dataset)
        reference.keep(in: store)
        let rows = Array(0..<400)
        let codes = rows.map { reference.codes[$0] }
        let isTest = rows.map { $0 % 4 == 0 }
        func entries() -> [String] {
            ((try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []).filter { $0.split(separator: "/").count == 3 }
        }
        let computed = reference.rerun(set: .handMade, rows: rows, trainCodes: codes, isTest: isTest)
        #expect(entries().count == 1)
        #expect(reference.rerun(set: .handMade, rows: rows, trainCodes: codes, isTest: isTest) == computed)
        #expect(entries().count == 1)
        // Edited in the store, the edit is what comes back: the store is read, not the models refitted.
        let entry = try #require(entries().first).split(separator: "/")
        let key = String(entry[1] + entry[2])
        let edited = CurveRerun(accuracies: computed.accuracies.map { ($0.model, 0.999) }, trainCount: computed.trainCount,
                                testCount: computed.testCount)
        store.store(edited.stored, namespace: String(entry[0]), key: key)
        #expect(reference.rerun(set: .handMade, rows: rows, trainCodes: codes, isTest: isTest).accuracies.allSatisfy { $0.accuracy == 0.999 })
        // Another noisy label, another feature set: other entries.
        var noisy = codes
        noisy[1] = (noisy[1] + 1) % reference.classes.count
        _ = reference.rerun(set: .handMade, rows: rows, trainCodes: noisy, isTest: isTest)
        #expect(entries().count == 2)
        // Without the store, the models are fitted again.
        reference.keep(in: nil)
        #expect(reference.rerun(set: .handMade, rows: rows, trainCodes: codes, isTest: isTest) == computed)
    }
}

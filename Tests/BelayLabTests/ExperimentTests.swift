import BelayLab
import Testing

@Suite struct ExperimentTests {
    @Test func trainAndScoreReportsConsistentNumbers() {
        let (x, y) = Fixtures.blobs(rows: 300, columns: 5, seed: 31)
        let isTest = randomSplit(count: 300, testFraction: 0.25, seed: 2)
        let s = trainAndScore(features: x, rows: 300, columns: 5, labels: y, classCount: 3, isTest: isTest)
        #expect(s.trainCount == 225 && s.testCount == 75)
        #expect(s.confusion.flatMap { $0 }.reduce(0, +) == 75)
        let diagonal = (0..<3).reduce(0) { $0 + s.confusion[$1][$1] }
        #expect(s.accuracy == Double(diagonal) / 75)
        #expect(s.converged)
        #expect(s.accuracy > majorityBaseline(labels: y, isTest: isTest, classCount: 3))
        #expect(s.balancedAccuracy > 0.5 && s.macroF1 > 0.5)
    }

    @Test func leakedLabelGivesPerfectScores() {
        let (x, y) = Fixtures.blobs(rows: 200, columns: 3, seed: 8, spread: 6)
        var leaky: [Double] = []
        for i in 0..<200 { leaky += x[(3 * i)..<(3 * i + 3)] + [Double(y[i])] }
        let isTest = randomSplit(count: 200, testFraction: 0.2, seed: 0)
        let s = trainAndScore(features: leaky, rows: 200, columns: 4, labels: y, classCount: 3, isTest: isTest)
        #expect(s.accuracy == 1 && s.balancedAccuracy == 1 && s.macroF1 == 1)
    }

    @Test func majorityBaselineUsesTrainingMajority() {
        // Training majority is class 1 (3 of 4); test holds one 1 and two 0s.
        let labels = [1, 1, 1, 0, 1, 0, 0]
        let isTest = [false, false, false, false, true, true, true]
        #expect(majorityBaseline(labels: labels, isTest: isTest, classCount: 2) == 1.0 / 3)
    }
}

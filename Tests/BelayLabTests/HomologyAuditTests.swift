import BelayLab
import Testing

@Suite struct HomologyAuditTests {
    @Test func maximaByHand() {
        let m = EmbeddingMatrix(count: 4, dimension: 2, values: [1, 0, 0, 1, 1, 1, -1, 0])
        let audit = homologyAudit(m, isTest: [false, false, true, true], threshold: 0.7)
        #expect(audit.testIndices == [2, 3])
        #expect(abs(audit.maxSimilarityToTrain[0] - Float(0.5).squareRoot()) < 1e-6)
        #expect(abs(audit.maxSimilarityToTrain[1] - 0) < 1e-6)
        #expect(audit.countAboveThreshold == 1)
        #expect(audit.shareAboveThreshold == 0.5)
        let noTrain = homologyAudit(m, isTest: [true, true, true, true], threshold: 0.5)
        #expect(noTrain.maxSimilarityToTrain.allSatisfy { $0 == -.infinity })
        #expect(noTrain.countAboveThreshold == 0)
    }

    @Test func clusteredSplitHasNoCloseTestTrainPairsButRandomSplitDoes() {
        let m = Fixtures.clusteredEmbeddings(count: 400, dimension: 32, groups: 60, noise: 0.4, seed: 12)
        let clustering = thresholdClusters(m, threshold: 0.85)
        let clustered = clusteredSplit(clusterLabels: clustering.labels, testFraction: 0.2, seed: 1)
        let audit = homologyAudit(m, isTest: clustered, threshold: 0.85, blockRows: 16)
        #expect(audit.countAboveThreshold == 0)
        let random = randomSplit(count: m.count, testFraction: 0.2, seed: 1)
        let leaky = homologyAudit(m, isTest: random, threshold: 0.85, blockRows: 16)
        #expect(leaky.shareAboveThreshold > 0.5)
        // Blockwise equals a direct computation.
        let s = cosineSimilarityMatrix(m)
        for (k, i) in leaky.testIndices.enumerated() {
            let direct = (0..<m.count).filter { !random[$0] }.map { s[i * m.count + $0] }.max() ?? -.infinity
            #expect(abs(direct - leaky.maxSimilarityToTrain[k]) < 1e-5)
        }
    }
}

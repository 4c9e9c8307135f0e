import Foundation
import Testing
import WordmillNumerics
@testable import WordmillModels

@Suite struct Word2VecSamplingTests {
    /// Counts 5, 3, 2, 1 through word2vec.c's CreateBinaryTree, worked by hand:
    /// merge 1+2 → node 4 (binary[2] = 1); merge 3 (word 1) with node 4 → node 5 (word 1 gets bit 1);
    /// merge 5 (word 0) with node 5 → root 6 (node 5 gets bit 1). Inner nodes are numbered node − V.
    @Test func huffmanCodesOfASmallVocabulary() {
        let tree = HuffmanTree(counts: [5, 3, 2, 1])
        #expect(tree.codes == [[0], [1, 1], [1, 0, 1], [1, 0, 0]])
        #expect(tree.points == [[2], [2, 1], [2, 1, 0], [2, 1, 0]])
        // Order of the input does not matter: the tree is built on counts sorted descending.
        let shuffled = HuffmanTree(counts: [2, 5, 1, 3])
        #expect(shuffled.codes == [[1, 0, 1], [0], [1, 0, 0], [1, 1]])
    }

    @Test func huffmanCodesArePrefixFree() {
        let counts = (1...50).map { ($0 * 37) % 101 + 1 }
        let codes = HuffmanTree(counts: counts).codes
        for (i, a) in codes.enumerated() {
            for (j, b) in codes.enumerated() where i != j {
                #expect(!(a.count <= b.count && Array(b.prefix(a.count)) == a))
            }
        }
        // More frequent words never get longer codes.
        for i in counts.indices { for j in counts.indices where counts[i] > counts[j] { #expect(codes[i].count <= codes[j].count) } }
    }

    @Test func noiseDistributionFollowsUnigramToThreeQuarters() {
        let counts = [100, 10, 1, 0, 50]
        let noise = NoiseDistribution(counts: counts)
        let weights = counts.map { pow(Double($0), 0.75) }
        let total = weights.reduce(0, +)
        for i in counts.indices { #expect(abs(noise.probabilities[i] - weights[i] / total) < 1e-12) }
        var rng = RandomGenerator(seed: 3)
        var seen = [Int](repeating: 0, count: counts.count)
        let n = 400_000
        for _ in 0..<n { seen[Int(noise.sample(&rng))] += 1 }
        #expect(seen[3] == 0)
        for i in counts.indices { #expect(abs(Double(seen[i]) / Double(n) - noise.probabilities[i]) < 0.003, "word \(i)") }
    }

    /// word2vec.c: keep = (√(c/(s·T)) + 1) · s·T / c. T = 1000, s = 0.01 → s·T = 10.
    @Test func subsamplingProbabilities() {
        let s = Subsampling(counts: [640, 250, 90, 10, 10], sample: 0.01)
        #expect(abs(s.keepProbabilities[0] - (8 + 1) * 10 / 640.0) < 1e-12)  // √64 = 8 → 0.140625
        #expect(abs(s.keepProbabilities[1] - (5 + 1) * 10 / 250.0) < 1e-12)  // 0.24
        #expect(abs(s.keepProbabilities[2] - (3 + 1) * 10 / 90.0) < 1e-12)  // 0.444…
        #expect(s.keepProbabilities[3] == 1)  // (1 + 1) · 10 / 10 = 2, capped
        #expect(Subsampling(counts: [640, 10], sample: 0).keepProbabilities == [1, 1])
    }

    @Test func learningRateDecaysLinearly() {
        let c = Word2VecConfig(architecture: .skipgram, lr: 0.025, minLr: 0.0001)
        #expect(c.learningRate(progress: 0) == 0.025)
        #expect(abs(c.learningRate(progress: 0.5) - 0.01255) < 1e-7)
        #expect(c.learningRate(progress: 1) == 0.0001)
        #expect(c.learningRate(progress: 2) == 0.0001)
    }

    @Test func sigmoidTableMatchesTheFunction() {
        let t = SigmoidTable()
        for x in stride(from: Float(-5.9), through: 5.9, by: 0.37) {
            #expect(abs(t.sigmoid(x) - 1 / (1 + exp(-x))) < 0.01)
            #expect(abs(t.logSigmoid(x) - log(1 / (1 + exp(-x)))) < 0.02)
        }
    }
}

/// Two topics that never share a sentence: a planted structure training must find.
func plantedCorpus(sentences: Int = 3000, seed: UInt64 = 5) -> [[Int32]] {
    var g = RandomGenerator(seed: seed)
    return (0..<sentences).map { _ in
        let base: Int32 = g.nextInt(below: 2) == 0 ? 0 : 10
        return (0..<12).map { _ in base + Int32(g.nextInt(below: 10)) }
    }
}

@Suite struct Word2VecTrainerTests {
    func train(_ architecture: Word2VecConfig.Architecture, _ objective: Word2VecConfig.Objective, threads: Int = 1, seed: UInt64 = 1,
               sharedNegatives: Bool = false) throws -> (Word2VecTrainer, [Word2VecTrainer.EpochReport]) {
        let documents = plantedCorpus()
        var counts = [Int](repeating: 0, count: 20)
        for d in documents { for id in d { counts[Int(id)] += 1 } }
        let config = Word2VecConfig(architecture: architecture, objective: objective, dim: 16, window: 3, lr: 0.05, epochs: 3,
                                    sample: 0, threads: threads, seed: seed, sharedNegatives: sharedNegatives)
        let trainer = Word2VecTrainer(config: config, counts: counts)
        let reports = try trainer.train(corpus: .inMemory(documents, parts: 4))
        return (trainer, reports)
    }

    func expectTopicsSeparate(_ trainer: Word2VecTrainer) throws {
        let table = EmbeddingTable(words: (0..<20).map { $0 < 10 ? "a\($0)" : "b\($0 - 10)" }, dim: 16, vectors: trainer.wordVectors)
        for word in ["a0", "a5", "b0", "b7"] {
            let neighbours = try table.nearest(to: word, k: 9).map(\.word)
            #expect(neighbours.allSatisfy { $0.first == word.first }, "\(word): \(neighbours)")
        }
    }

    @Test func skipgramNegativeFindsPlantedTopics() throws {
        let (trainer, reports) = try train(.skipgram, .negative(5))
        #expect(reports.last!.loss < reports.first!.loss)
        try expectTopicsSeparate(trainer)
    }

    @Test func cbowNegativeFindsPlantedTopics() throws {
        let (trainer, reports) = try train(.cbow, .negative(5))
        #expect(reports.last!.loss <= reports.first!.loss)
        try expectTopicsSeparate(trainer)
    }

    @Test func skipgramHierarchicalFindsPlantedTopics() throws {
        let (trainer, reports) = try train(.skipgram, .hierarchical)
        // Within a topic the next word is a uniform choice of 10, so the loss bottoms out near ln 10 ≈ 2.30,
        // well below ln 20 ≈ 3.0 for a model that has not found the topics.
        #expect(reports.last!.loss < 2.45)
        try expectTopicsSeparate(trainer)
        #expect(trainer.contextVectors.count == 19 * 16)
    }

    @Test func skipgramWithSharedNegativesFindsPlantedTopics() throws {
        let (trainer, reports) = try train(.skipgram, .negative(5), sharedNegatives: true)
        #expect(reports.last!.loss < reports.first!.loss)
        try expectTopicsSeparate(trainer)
        // As many predictions as pairs: the same words trained, another scheme.
        let perPair = try train(.skipgram, .negative(5)).0
        #expect(trainer.wordVectors != perPair.wordVectors)
        let again = try train(.skipgram, .negative(5), sharedNegatives: true).0
        #expect(trainer.wordVectors == again.wordVectors && trainer.contextVectors == again.contextVectors)
        let (two, twoReports) = try train(.skipgram, .negative(5), threads: 2, sharedNegatives: true)
        #expect(twoReports.allSatisfy { $0.loss.isFinite })
        try expectTopicsSeparate(two)
    }

    @Test func oneThreadIsBitReproducible() throws {
        let a = try train(.skipgram, .negative(5)).0, b = try train(.skipgram, .negative(5)).0
        #expect(a.wordVectors == b.wordVectors)
        #expect(a.contextVectors == b.contextVectors)
        let c = try train(.skipgram, .negative(5), seed: 2).0
        #expect(a.wordVectors != c.wordVectors)
    }

    @Test func twoThreadsTrainToo() throws {
        let (trainer, reports) = try train(.skipgram, .negative(5), threads: 2)
        #expect(reports.allSatisfy { $0.loss.isFinite })
        try expectTopicsSeparate(trainer)
    }

    @Test func twoThreadsOfNegativeSamplingKeepTheirHotRowsInStep() throws {
        // With negative sampling each thread trains its own copies of the most frequent words'
        // input and output rows (here all 20 words are hot) and adds what it learnt to the shared
        // rows every so often and at the end of each epoch: the shared rows must carry both
        // threads' training, for skip-gram and CBOW alike.
        for architecture in [Word2VecConfig.Architecture.skipgram, .cbow] {
            let (two, reports) = try train(architecture, .negative(5), threads: 2)
            #expect(reports.allSatisfy { $0.loss.isFinite })
            try expectTopicsSeparate(two)
            let one = try train(architecture, .negative(5)).0
            let norm = { (v: ArraySlice<Float>) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            for word in [0, 13] {
                let rows = (word * 16)..<((word + 1) * 16)
                let (a, b) = (norm(two.contextVectors[rows]), norm(one.contextVectors[rows]))
                #expect(a > 0.5 * b && a < 2 * b, "\(architecture) word \(word): output row norm \(a) against one thread's \(b)")
            }
        }
    }

    @Test func theEpochsLastPartsAreSlicedAmongThreads() throws {
        #expect(PartQueue(parts: 5, threads: 1).drain().allSatisfy { $0.slices == 1 })
        let units = PartQueue(parts: 5, threads: 2).drain()
        #expect(units.map(\.part) == [0, 1] + [2, 3, 4].flatMap { [Int](repeating: $0, count: PartQueue.tailSlices) })
        // Every document of every part exactly once: the slices of a part cover every ordinal.
        for part in 0..<5 {
            let slices = units.filter { $0.part == part }
            for ordinal in 0..<50 { #expect(slices.filter { ordinal % $0.slices == $0.slice }.count == 1) }
        }
        // Training counts every corpus word once an epoch with two threads as with one.
        let documents = plantedCorpus()
        let config = Word2VecConfig(architecture: .skipgram, dim: 8, window: 2, epochs: 2, sample: 0, threads: 2)
        var processed: [Int] = []
        _ = try Word2VecTrainer(config: config, counts: [Int](repeating: 100, count: 20))
            .train(corpus: .inMemory(documents, parts: 6)) { _, words in processed.append(words) }
        #expect(processed == [1, 2].map { $0 * documents.count * 12 })
    }

    @Test func twoThreadsOfHierarchicalSoftmaxKeepTheirTopNodesInStep() throws {
        // Each thread trains its own copy of the rows near the Huffman root and adds what it
        // learnt to the shared rows every so often and at the end: the model must come out as
        // good as one thread's.
        let (trainer, reports) = try train(.skipgram, .hierarchical, threads: 2)
        #expect(reports.last!.loss < 2.45)
        try expectTopicsSeparate(trainer)
        let one = try train(.skipgram, .hierarchical).0
        let norm = { (v: [Float]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        // The root's row (the last inner node) carries both threads' updates: its size is one thread's, not half.
        let root = Array(trainer.contextVectors[(18 * 16)..<(19 * 16)]), rootOne = Array(one.contextVectors[(18 * 16)..<(19 * 16)])
        #expect(norm(root) > 0.5 * norm(rootOne) && norm(root) < 2 * norm(rootOne))
    }

    @Test func subsamplingDropsFrequentWords() throws {
        let documents = [[Int32]](repeating: [0, 0, 0, 0, 0, 0, 0, 0, 1, 2], count: 200)
        let config = Word2VecConfig(architecture: .skipgram, dim: 4, window: 2, epochs: 1, sample: 0.01)
        let trainer = Word2VecTrainer(config: config, counts: [1600, 200, 200])
        let report = try trainer.train(corpus: .inMemory(documents))[0]
        // s·T = 20: word 0 is kept with probability (√(1600/20) + 1) · 20 / 1600 ≈ 0.124, words 1 and 2 with
        // (√(200/20) + 1) · 20 / 200 ≈ 0.416: about 199 + 167 of the 2000 words.
        let expected = 1600 * ((80.0).squareRoot() + 1) * 20 / 1600 + 400 * ((10.0).squareRoot() + 1) * 20 / 200
        #expect(abs(Double(report.trainedWords) - expected) < 40, "\(report.trainedWords) vs \(expected)")
    }
}

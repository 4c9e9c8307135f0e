import Foundation
import Testing
import WordmillNumerics
@testable import WordmillModels

/// fastText's hashes, bit for bit, and the classifier's SGD step against finite differences.
@Suite struct FastTextHashTests {
    @Test func asciiWordsHashAsPlainFNV1a() {
        // Published FNV-1a 32-bit test vectors.
        #expect(FastTextHash.word("") == 0x811C_9DC5)
        #expect(FastTextHash.word("a") == 0xE40C_292C)
        #expect(FastTextHash.word("foobar") == 0xBF9C_F968)
    }

    @Test func bytesAboveSevenBitsAreSignExtendedAsInt8() {
        // "é" is C3 A9; fastText XORs int8_t(0xC3) = 0xFFFFFFC3, then int8_t(0xA9) = 0xFFFFFFA9.
        var h: UInt32 = 0x811C_9DC5
        h = (h ^ 0xFFFF_FFC3) &* 16_777_619
        h = (h ^ 0xFFFF_FFA9) &* 16_777_619
        #expect(FastTextHash.word("é") == h)
        // Plain FNV-1a (bytes zero-extended) differs.
        var plain: UInt32 = 0x811C_9DC5
        for b in "é".utf8 { plain = (plain ^ UInt32(b)) &* 16_777_619 }
        #expect(FastTextHash.word("é") != plain)
    }

    @Test func wordNgramRowsFollowAddWordNgrams() {
        // Three words, n = 3: (0,1), (0,1,2), (1,2), in that order, h widened from int32.
        let hashes: [UInt32] = [0x8000_0001, 7, 0xFFFF_FFFF]
        func widen(_ h: UInt32) -> UInt64 { UInt64(bitPattern: Int64(Int32(bitPattern: h))) }
        let h01 = widen(hashes[0]) &* 116_049_371 &+ widen(hashes[1])
        let h012 = h01 &* 116_049_371 &+ widen(hashes[2])
        let h12 = widen(hashes[1]) &* 116_049_371 &+ widen(hashes[2])
        var rows: [Int32] = []
        hashes.withUnsafeBufferPointer { FastTextHash.appendWordNgramRows($0, n: 3, bucket: 1000, firstRow: 10, to: &rows) }
        #expect(rows == [h01, h012, h12].map { Int32(10 + Int($0 % 1000)) })
        #expect(widen(0x8000_0001) == 0xFFFF_FFFF_8000_0001)
        rows = []
        hashes.withUnsafeBufferPointer { FastTextHash.appendWordNgramRows($0, n: 1, bucket: 1000, firstRow: 10, to: &rows) }
        #expect(rows.isEmpty)
    }

    @Test func featurizerEndsEveryDocumentWithEndOfLineAndDropsUnknownWords() {
        let words = FastTextFeaturizer.vocabulary(adding: ["<pad>", "<unk>", "good", "film"])
        #expect(words.last == "</s>")
        let f = FastTextFeaturizer(words: words, bucket: 100, wordNgrams: 2)
        var rows: [Int32] = [], scratch: [UInt32] = []
        f.rows(tokens: ["good", "unseen", "film"], into: &rows, scratch: &scratch)
        #expect(Array(rows.prefix(3)) == [2, 3, 4])  // good, film, </s>
        #expect(rows.count == 3 + 3)  // bigrams: good·unseen, unseen·film, film·</s>
        var fromIds: [Int32] = []
        f.rows(ids: [2, 1, 3], unknown: 1, into: &fromIds, scratch: &scratch)
        #expect(Array(fromIds.prefix(3)) == [2, 3, 4])
        // The unknown id hashes as "<unk>", not as the unseen word, so the bigrams with it differ.
        #expect(fromIds[3] != rows[3] && fromIds[5] == rows[5])
    }
}

@Suite struct FastTextClassifierTrainingTests {
    static let classCounts = [3, 1, 2]

    /// The model's loss of a document (−log p(label), or one-vs-all's sum over classes).
    static func loss(_ input: [Float], _ output: [Float], rows: [Int32], label: Int, dim: Int, classes: Int, loss: FastTextLoss) -> Double {
        let model = FastTextClassifierModel(dim: dim, words: (0..<(input.count / dim)).map { "w\($0)" }, bucket: 0, wordNgrams: 1,
                                            classes: (0..<classes).map { "c\($0)" }, loss: loss, input: input, output: output, classCounts: classCounts)
        return model.loss(rows: rows, label: label)
    }

    @Test(arguments: FastTextLoss.allCases)
    func oneStepIsMinusTheLearningRateTimesTheGradient(_ lossKind: FastTextLoss) throws {
        let dim = 4, classes = 3, words = 5, outputRows = lossKind.outputRows(classes: classes)
        var documents = FastTextDocuments()
        let rows: [Int32] = [1, 3, 3, 4]
        documents.append(rows: rows, label: 2, tokens: 4)
        let lr: Float = 0.01
        let trainer = FastTextClassifierTrainer(config: FastTextClassifierConfig(dim: dim, epochs: 1, lr: lr, seed: 7, loss: lossKind), words: words, classes: classes,
                                                classCounts: Self.classCounts)
        // Non-zero output rows, so that the input gradient is not zero.
        var g = RandomGenerator(seed: 3)
        for i in 0..<(outputRows * dim) { trainer.output[i] = g.nextFloat() - 0.5 }
        let input0 = Array(UnsafeBufferPointer(start: trainer.input, count: words * dim))
        let output0 = Array(UnsafeBufferPointer(start: trainer.output, count: outputRows * dim))
        _ = try trainer.train(documents)
        let input1 = Array(UnsafeBufferPointer(start: trainer.input, count: words * dim))
        let output1 = Array(UnsafeBufferPointer(start: trainer.output, count: outputRows * dim))
        // Central differences of the float model's loss; the step is −lr · ∂L/∂θ. A row listed
        // twice in the document gets the update twice, as its gradient counts it twice.
        func numericGradient(_ i: Int, ofInput: Bool) -> Double {
            let eps: Float = 1e-2
            var plus = ofInput ? input0 : output0, minus = plus
            plus[i] += eps
            minus[i] -= eps
            func at(_ values: [Float]) -> Double {
                ofInput ? Self.loss(values, output0, rows: rows, label: 2, dim: dim, classes: classes, loss: lossKind)
                    : Self.loss(input0, values, rows: rows, label: 2, dim: dim, classes: classes, loss: lossKind)
            }
            return (at(plus) - at(minus)) / Double(2 * eps)
        }
        for i in 0..<(outputRows * dim) {
            #expect(abs(Double(output0[i] - output1[i]) / Double(lr) - numericGradient(i, ofInput: false)) < 2e-3, "output \(i)")
        }
        for i in 0..<(words * dim) {
            #expect(abs(Double(input0[i] - input1[i]) / Double(lr) - numericGradient(i, ofInput: true)) < 2e-3, "input \(i)")
        }
        // Rows outside the document do not move.
        #expect(Array(input0[0..<dim]) == Array(input1[0..<dim]))
    }

    @Test func hierarchicalProbabilitiesFollowTheTreeAndSumToOne() {
        // Counts 5, 1, 3, 2: word2vec.c's construction on 5, 3, 2, 1 joins 1+2, then 3+3, then the root.
        let model = FastTextClassifierModel(dim: 2, words: ["a", "b"], bucket: 0, wordNgrams: 1, classes: ["w", "x", "y", "z"], loss: .hierarchical,
                                            input: [0.3, -0.2, 0.1, 0.4], output: [0.5, -1, 2, 0.25, -0.5, 1.5], classCounts: [5, 1, 3, 2])
        #expect(model.tree!.order == [0, 2, 3, 1])
        #expect(model.tree!.points.map(\.count) == [1, 3, 2, 3])  // the most frequent class is one turn from the root
        let p = model.probabilities(rows: [0, 1])
        #expect(abs(p.reduce(0, +) - 1) < 1e-6 && p.allSatisfy { $0 > 0 })
        let ova = FastTextClassifierModel(dim: 2, words: ["a", "b"], bucket: 0, wordNgrams: 1, classes: ["w", "x"], loss: .oneVsAll,
                                          input: [0.3, -0.2, 0.1, 0.4], output: [10, 10, 10, 10])
        #expect(ova.probabilities(rows: [1]).allSatisfy { $0 > 0.99 })  // independent: both near 1
    }

    @Test(arguments: FastTextLoss.allCases)
    func learnsSeparableClassesAndIsReproducibleOnOneThread(_ lossKind: FastTextLoss) throws {
        // Class 0 documents use words 0–4, class 1 words 5–9.
        var documents = FastTextDocuments()
        var g = RandomGenerator(seed: 11)
        for i in 0..<200 {
            let label = Int32(i % 2)
            var rows: [Int32] = []
            for _ in 0..<6 { rows.append(label * 5 + Int32(g.next() % 5)) }
            documents.append(rows: rows, label: label, tokens: rows.count)
        }
        func train() throws -> FastTextClassifierModel {
            let t = FastTextClassifierTrainer(config: FastTextClassifierConfig(dim: 8, epochs: 5, lr: 0.5, seed: 2, loss: lossKind), words: 10, classes: 2,
                                              classCounts: [100, 100])
            let reports = try t.train(documents)
            #expect(reports.count == 5 && reports.last!.loss < reports.first!.loss)
            return t.model(words: (0..<10).map { "w\($0)" }, classes: ["a", "b"], classCounts: [100, 100])
        }
        let model = try train()
        #expect(model.probabilities(rows: [0, 1, 2])[0] > 0.9)
        #expect(model.probabilities(rows: [7, 8, 9])[1] > 0.9)
        #expect(try train().input == model.input)
        #expect(FastTextClassifierModel.top([0.2, 0.5, 0.3], k: 2, threshold: 0) .map(\.label) == [1, 2])
        #expect(FastTextClassifierModel.top([0.2, 0.5, 0.3], k: 3, threshold: 0.25).map(\.label) == [1, 2])
    }
}

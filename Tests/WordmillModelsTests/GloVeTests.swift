import Foundation
import Testing
@testable import WordmillModels

@Suite struct GloVeTests {
    @Test func gradientMatchesFiniteDifferences() {
        let word = [0.3, -0.2, 0.5, 0.1], context = [-0.4, 0.25, 0.2, 0.6]
        for x in [0.5, 3.0, 250.0] {  // below and above x_max
            let g = GloVeLoss.gradient(word: word, context: context, wordBias: 0.1, contextBias: -0.3, x: x, xMax: 100, alpha: 0.75)
            let h = 1e-6
            func loss(_ w: [Double], _ c: [Double], _ b: Double, _ bc: Double) -> Double {
                GloVeLoss.gradient(word: w, context: c, wordBias: b, contextBias: bc, x: x, xMax: 100, alpha: 0.75).loss
            }
            for k in word.indices {
                var plus = word, minus = word
                plus[k] += h
                minus[k] -= h
                #expect(abs((loss(plus, context, 0.1, -0.3) - loss(minus, context, 0.1, -0.3)) / (2 * h) - g.word[k]) < 1e-7)
                var cplus = context, cminus = context
                cplus[k] += h
                cminus[k] -= h
                #expect(abs((loss(word, cplus, 0.1, -0.3) - loss(word, cminus, 0.1, -0.3)) / (2 * h) - g.context[k]) < 1e-7)
            }
            #expect(abs((loss(word, context, 0.1 + h, -0.3) - loss(word, context, 0.1 - h, -0.3)) / (2 * h) - g.wordBias) < 1e-7)
            #expect(abs((loss(word, context, 0.1, -0.3 + h) - loss(word, context, 0.1, -0.3 - h)) / (2 * h) - g.contextBias) < 1e-7)
        }
    }

    /// A corpus of (i, j, x) entries in one frame, or spread over frames of `perFrame`.
    static func corpus(_ entries: [(Int32, Int32, Float)], perFrame: Int = 1 << 30) -> GloVeCorpus {
        let frames = stride(from: 0, to: entries.count, by: perFrame).map { Array(entries[$0..<min(entries.count, $0 + perFrame)]) }
        return GloVeCorpus(frames: frames.count, entries: entries.count) { f, rows, columns, counts in
            rows = frames[f].map(\.0)
            columns = frames[f].map(\.1)
            counts = frames[f].map(\.2)
        }
    }

    @Test func oneStepIsGloVeCsAdaGradUpdate() throws {
        let config = GloVeConfig(dim: 3, xMax: 10, alpha: 0.75, lr: 0.05, epochs: 1, seed: 4)
        let trainer = GloVeTrainer(config: config, vocabularySize: 2)
        let (w0, c0, b0, bc0) = (trainer.wordVectors.map(Double.init), trainer.contextVectors.map(Double.init),
                                 trainer.wordBiases.map(Double.init), trainer.contextBiases.map(Double.init))
        _ = try trainer.train(Self.corpus([(0, 1, 4)]))
        // glove.c with all AdaGrad sums at 1: each vector component moves by lr · gradient,
        // each bias by the gradient itself (glove.c applies no learning rate to the biases).
        let g = GloVeLoss.gradient(word: Array(w0[0..<3]), context: Array(c0[3..<6]), wordBias: b0[0], contextBias: bc0[1], x: 4, xMax: 10, alpha: 0.75)
        for k in 0..<3 {
            #expect(abs(Double(trainer.wordVectors[k]) - (w0[k] - 0.05 * g.word[k])) < 1e-6)
            #expect(abs(Double(trainer.contextVectors[3 + k]) - (c0[3 + k] - 0.05 * g.context[k])) < 1e-6)
        }
        #expect(abs(Double(trainer.wordBiases[0]) - (b0[0] - g.wordBias)) < 1e-6)
        #expect(abs(Double(trainer.contextBiases[1]) - (bc0[1] - g.contextBias)) < 1e-6)
        #expect(trainer.wordVectors[3..<6] == Array(w0[3..<6]).map(Float.init)[...], "untouched rows stay")
    }

    static let entries: [(Int32, Int32, Float)] = {
        var out: [(Int32, Int32, Float)] = []
        for i in 0..<30 { for j in 0..<30 where (i * 7 + j * 3) % 5 != 0 { out.append((Int32(i), Int32(j), Float(1 + (i * j) % 17))) } }
        return out
    }()

    @Test func lossFallsAndOneThreadIsReproducible() throws {
        let config = GloVeConfig(dim: 8, xMax: 10, epochs: 25, seed: 2)
        let first = GloVeTrainer(config: config, vocabularySize: 30)
        let losses = try first.train(Self.corpus(Self.entries, perFrame: 100))
        #expect(losses.last! < losses.first! * 0.5)
        let second = GloVeTrainer(config: config, vocabularySize: 30)
        #expect(try second.train(Self.corpus(Self.entries, perFrame: 100)) == losses)
        #expect(second.outputVectors == first.outputVectors)
        #expect(first.outputVectors == zip(first.wordVectors, first.contextVectors).map { $0 + $1 })
    }

    @Test func divergenceIsAnError() {
        let trainer = GloVeTrainer(config: GloVeConfig(dim: 4, lr: 1e30, epochs: 3), vocabularySize: 30)
        #expect(throws: GloVeDiverged.self) { try trainer.train(Self.corpus(Self.entries)) }
    }
}

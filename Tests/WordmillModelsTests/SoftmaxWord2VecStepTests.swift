import Foundation
import Testing
import WordmillModels
import WordmillNumerics

@Suite struct SoftmaxWord2VecStepTests {
    /// V = 3, D = 2, one skip-gram example (centre 0 → context 2), lr 0.5, worked by hand.
    /// E = [(1, 0), (5, 5), (7, 7)], W = [(1, 0), (0, 1), (1, 1)], bias = (0, 0, 0).
    /// h = E[0] = (1, 0); z = W·h + bias = (1, 0, 1).
    /// softmax = (e, 1, e) / (2e + 1) = (0.42231880, 0.15536240, 0.42231880); loss = ln(2e + 1) − 1 = 0.86199480.
    /// dz = softmax − onehot(2) = (0.42231880, 0.15536240, −0.57768120) (B = 1).
    /// dW = dz ⊗ h = [(0.42231880, 0), (0.15536240, 0), (−0.57768120, 0)]; dbias = dz.
    /// dh = Σ dz_i W_i = (0.42231880 − 0.57768120, 0.15536240 − 0.57768120) = (−0.15536240, −0.42231880).
    /// W − 0.5·dW = [(0.78884060, 0), (−0.07768120, 1), (1.28884060, 1)].
    /// bias − 0.5·dz = (−0.21115940, −0.07768120, 0.28884060).
    /// E[0] − 0.5·dh = (1.07768120, 0.21115940); E[1], E[2] unchanged.
    @Test func oneStepEqualsHandComputation() throws {
        let config = SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.5, batchSize: 1, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: [1, 0, 5, 5, 7, 7], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        let examples = Word2VecExamples(inputs: [0], width: 1, targets: [2])
        let losses = try model.train(examples: examples)
        #expect(losses.count == 1)
        #expect(abs(losses[0] - 0.86199480) < 1e-6)
        let expectW: [Float] = [0.78884060, 0, -0.07768120, 1, 1.28884060, 1]
        let expectB: [Float] = [-0.21115940, -0.07768120, 0.28884060]
        let expectE: [Float] = [1.07768120, 0.21115940, 5, 5, 7, 7]
        for (a, b) in zip(model.outputWeights, expectW) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(model.outputBias, expectB) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(model.inputVectors, expectE) { #expect(abs(a - b) < 1e-6) }
        // The same step through forwardBackward + sgdStep.
        let manual = SoftmaxWord2Vec(config: config, inputVectors: [1, 0, 5, 5, 7, 7], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        #expect(abs(manual.forwardBackward(examples: examples, rows: [0]) - 0.86199480) < 1e-6)
        for (a, b) in zip(manual.gradHidden, [-0.15536240, -0.42231880] as [Float]) { #expect(abs(a - b) < 1e-6) }
        manual.sgdStep(lr: 0.5)
        #expect(manual.inputVectors == model.inputVectors)
        #expect(manual.outputWeights == model.outputWeights)
        #expect(manual.outputBias == model.outputBias)
    }

    /// CBOW with a repeated id and a −1: the repeated row moves twice, −1 touches nothing,
    /// rows not in the batch stay, like PyTorch's sparse embedding gradient with plain SGD.
    @Test func repeatedIdsAccumulateAndMissingWordsAreSkipped() {
        let p = smallRandomParameters(v: 4, d: 3, seed: 21)
        let config = SoftmaxWord2VecConfig(vocabularySize: 4, dim: 3, lr: 0.3, batchSize: 2, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: p.e, outputWeights: p.w, outputBias: p.bias)
        let examples = Word2VecExamples(inputs: [1, 1, -1, 2, 1, 0], width: 3, targets: [0, 3])
        model.forwardBackward(examples: examples, rows: 0..<2)
        let dH = model.gradHidden, dW = model.gradWeights, dB = model.gradBias
        model.sgdStep(lr: 0.3)
        for j in 0..<3 {
            #expect(abs(model.inputVectors[0 * 3 + j] - (p.e[0 * 3 + j] - 0.3 * dH[3 + j])) < 1e-6)
            // Id 1: twice in example 0 and once in example 1.
            #expect(abs(model.inputVectors[1 * 3 + j] - (p.e[1 * 3 + j] - 0.3 * (2 * dH[j] + dH[3 + j]))) < 1e-6)
            #expect(abs(model.inputVectors[2 * 3 + j] - (p.e[2 * 3 + j] - 0.3 * dH[3 + j])) < 1e-6)
            #expect(model.inputVectors[3 * 3 + j] == p.e[3 * 3 + j])
        }
        for i in 0..<12 { #expect(abs(model.outputWeights[i] - (p.w[i] - 0.3 * dW[i])) < 1e-6) }
        for i in 0..<4 { #expect(abs(model.outputBias[i] - (p.bias[i] - 0.3 * dB[i])) < 1e-6) }
    }

    /// One generator, in order: V·D normals for the embedding, then V·D and V uniforms in
    /// ±1/√D for the linear layer, like PyTorch's defaults.
    @Test func initialisationOrderIsPinned() {
        let v = 7, d = 4
        let model = SoftmaxWord2Vec(config: SoftmaxWord2VecConfig(vocabularySize: v, dim: d, lr: 0.1, batchSize: 2, epochs: 1, seed: 9))
        var g = RandomGenerator(seed: 9)
        let e = (0..<(v * d)).map { _ in g.nextNormal() }
        let w = (0..<(v * d)).map { _ in g.nextUniform(-0.5, 0.5) }
        let b = (0..<v).map { _ in g.nextUniform(-0.5, 0.5) }
        #expect(model.inputVectors == e)
        #expect(model.outputWeights == w)
        #expect(model.outputBias == b)
    }

    @Test func initialisationFollowsPyTorchDistributions() {
        let model = SoftmaxWord2Vec(config: SoftmaxWord2VecConfig(vocabularySize: 200, dim: 64, lr: 0.1, batchSize: 4, epochs: 1, seed: 9))
        let e = model.inputVectors.map(Double.init)
        let mean = e.reduce(0, +) / Double(e.count)
        let variance = e.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(e.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        let bound: Float = 1.0 / 8
        #expect(model.outputWeights.allSatisfy { $0 >= -bound && $0 < bound })
        #expect(model.outputBias.allSatisfy { $0 >= -bound && $0 < bound })
        #expect(model.outputWeights.max()! > bound * 0.99 && model.outputWeights.min()! < -bound * 0.99)
    }
}

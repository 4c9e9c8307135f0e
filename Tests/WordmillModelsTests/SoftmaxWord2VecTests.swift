import Foundation
import Testing
import WordmillNumerics
@testable import WordmillModels

/// The loss computed naively in Double from the same parameters: the reference for gradient checks.
func referenceLoss(v: Int, d: Int, e: [Double], w: [Double], bias: [Double], examples: Word2VecExamples, rows: [Int]) -> Double {
    var total = 0.0
    for r in rows {
        var h = [Double](repeating: 0, count: d)
        for c in 0..<examples.width {
            let id = Int(examples.inputs[r * examples.width + c])
            if id >= 0 { for j in 0..<d { h[j] += e[id * d + j] } }
        }
        var z = [Double](repeating: 0, count: v)
        for i in 0..<v { z[i] = bias[i]; for j in 0..<d { z[i] += w[i * d + j] * h[j] } }
        let m = z.max()!
        let lse = m + log(z.reduce(0) { $0 + exp($1 - m) })
        total += lse - z[Int(examples.targets[r])]
    }
    return total / Double(rows.count)
}

func randomParameters(v: Int, d: Int, seed: UInt64) -> ([Float], [Float], [Float]) {
    var g = RandomGenerator(seed: seed)
    return ((0..<(v * d)).map { _ in g.nextNormal() * 0.5 }, (0..<(v * d)).map { _ in g.nextUniform(-0.5, 0.5) }, (0..<v).map { _ in g.nextUniform(-0.5, 0.5) })
}

@Suite struct SoftmaxWord2VecTests {
    func checkGradients(_ examples: Word2VecExamples, rows: [Int]) {
        let v = 5, d = 3
        let (e, w, b) = randomParameters(v: v, d: d, seed: 3)
        let config = SoftmaxWord2VecConfig(vocabularySize: v, dim: d, lr: 0.1, batchSize: rows.count, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: e, outputWeights: w, outputBias: b)
        let loss = model.forwardBackward(examples, rows: rows)
        let ed = e.map(Double.init), wd = w.map(Double.init), bd = b.map(Double.init)
        #expect(abs(loss - referenceLoss(v: v, d: d, e: ed, w: wd, bias: bd, examples: examples, rows: rows)) < 1e-5)
        let eps = 1e-6
        func numeric(_ perturb: (inout [Double], inout [Double], inout [Double], Double) -> Void) -> Double {
            var e1 = ed, w1 = wd, b1 = bd, e2 = ed, w2 = wd, b2 = bd
            perturb(&e1, &w1, &b1, eps)
            perturb(&e2, &w2, &b2, -eps)
            return (referenceLoss(v: v, d: d, e: e1, w: w1, bias: b1, examples: examples, rows: rows)
                - referenceLoss(v: v, d: d, e: e2, w: w2, bias: b2, examples: examples, rows: rows)) / (2 * eps)
        }
        for i in 0..<(v * d) {
            let n = numeric { _, w, _, h in w[i] += h }
            #expect(abs(Double(model.gradWeights[i]) - n) < 1e-4, "dW[\(i)]")
        }
        for i in 0..<v {
            let n = numeric { _, _, b, h in b[i] += h }
            #expect(abs(Double(model.gradBias[i]) - n) < 1e-4, "dBias[\(i)]")
        }
        // Dense embedding gradient from dH: each occurrence of an id in a row adds that row's dH.
        var dE = [Double](repeating: 0, count: v * d)
        for (k, r) in rows.enumerated() {
            for c in 0..<examples.width {
                let id = Int(examples.inputs[r * examples.width + c])
                if id >= 0 { for j in 0..<d { dE[id * d + j] += Double(model.gradHidden[k * d + j]) } }
            }
        }
        for i in 0..<(v * d) {
            let n = numeric { e, _, _, h in e[i] += h }
            #expect(abs(dE[i] - n) < 1e-4, "dE[\(i)]")
        }
    }

    @Test func cbowGradientsMatchFiniteDifferences() {
        // Width 4 with a missing word (−1) and a repeated id.
        let examples = Word2VecExamples(inputs: [0, 1, 2, -1, 3, 3, 4, 0, 1, 2, 3, 4], width: 4, targets: [4, 2, 0])
        checkGradients(examples, rows: [0, 1, 2])
    }

    @Test func skipgramGradientsMatchFiniteDifferences() {
        let examples = Word2VecExamples(inputs: [2, 2, 4, 0], width: 1, targets: [1, 3, 0, 4])
        checkGradients(examples, rows: [3, 0, 1])
    }

    /// V = 3, D = 2, one skip-gram example (centre 0 → context 2), lr 0.5, worked by hand:
    /// E[0] = (1, 0), W = [(1, 0), (0, 1), (1, 1)], bias = 0.
    /// h = (1, 0); z = (1, 0, 1); softmax = (e, 1, e) / (2e + 1) = (0.42231879, 0.15536241, 0.42231879).
    /// dz = softmax − onehot(2) = (0.42231879, 0.15536241, −0.57768121).
    /// dW = dz ⊗ h = [(0.42231879, 0), (0.15536241, 0), (−0.57768121, 0)]; dbias = dz.
    /// dh = dzᵀ W = (0.42231879 − 0.57768121, 0.15536241 − 0.57768121) = (−0.15536242, −0.42231880).
    /// After the step: W[0] = (1 − 0.21115940, 0) = (0.78884060, 0); W[1] = (−0.07768121, 1); W[2] = (1.28884061, 1);
    /// bias = (−0.21115940, −0.07768121, 0.28884061); E[0] = (1.07768121, 0.21115940). Loss = log(2e + 1) − 1.
    @Test func oneStepEqualsHandComputation() throws {
        let config = SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.5, batchSize: 1, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: [1, 0, 5, 5, 7, 7], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        let examples = Word2VecExamples(inputs: [0], width: 1, targets: [2])
        let losses = try model.train(examples: examples)
        #expect(abs(losses[0] - (log(2 * M_E + 1) - 1)) < 1e-6)
        let expectW: [Float] = [0.78884060, 0, -0.07768121, 1, 1.28884061, 1]
        let expectB: [Float] = [-0.21115940, -0.07768121, 0.28884061]
        let expectE: [Float] = [1.07768121, 0.21115940, 5, 5, 7, 7]
        for (a, b) in zip(model.outputWeights, expectW) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(model.outputBias, expectB) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(model.inputVectors, expectE) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func initialisationFollowsPyTorch() {
        let model = SoftmaxWord2Vec(config: SoftmaxWord2VecConfig(vocabularySize: 200, dim: 64, lr: 0.1, batchSize: 4, epochs: 1, seed: 9))
        let e = model.inputVectors.map(Double.init)
        let mean = e.reduce(0, +) / Double(e.count)
        let variance = e.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(e.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        let bound: Float = 1 / 8
        #expect(model.outputWeights.allSatisfy { abs($0) <= bound })
        #expect(model.outputBias.allSatisfy { abs($0) <= bound })
        #expect(model.outputWeights.max()! > bound * 0.99)
    }

    func lectureShapedExamples(seed: UInt64) -> Word2VecExamples {
        var g = RandomGenerator(seed: seed)
        let inputs = (0..<(64 * 4)).map { _ in Int32(g.nextInt(below: 60)) }
        let targets = (0..<64).map { _ in Int32(g.nextInt(below: 60)) }
        return Word2VecExamples(inputs: inputs, width: 4, targets: targets)
    }

    @Test func lossFallsWithTheLectureSettings() throws {
        let config = SoftmaxWord2VecConfig(vocabularySize: 60, dim: 256, lr: 5e-4, batchSize: 4, epochs: 5, seed: 1)
        let losses = try SoftmaxWord2Vec(config: config).train(examples: lectureShapedExamples(seed: 2))
        #expect(losses.count == 5)
        for (a, b) in zip(losses, losses.dropFirst()) { #expect(b < a) }
    }

    @Test func learnsAPlantedMapping() throws {
        // Skip-gram pairs where word i always predicts word (i + 1) % 8.
        let inputs = (0..<64).map { Int32($0 % 8) }
        let targets = inputs.map { ($0 + 1) % 8 }
        let config = SoftmaxWord2VecConfig(vocabularySize: 8, dim: 8, lr: 0.5, batchSize: 8, epochs: 60, seed: 4)
        let examples = Word2VecExamples(inputs: inputs, width: 1, targets: targets)
        let model = SoftmaxWord2Vec(config: config)
        #expect(model.forwardBackward(examples, rows: 0..<8) > 1.5)  // about ln 8 before training
        let losses = try model.train(examples: examples)
        #expect(losses.last! < 0.1)
    }

    @Test func deterministicAndShuffleChangesOrder() throws {
        func train(shuffle: Bool) throws -> [Float] {
            let config = SoftmaxWord2VecConfig(vocabularySize: 60, dim: 16, lr: 0.05, batchSize: 4, epochs: 3, shuffle: shuffle, seed: 7)
            let model = SoftmaxWord2Vec(config: config)
            _ = try model.train(examples: lectureShapedExamples(seed: 5))
            return model.inputVectors + model.outputWeights + model.outputBias
        }
        #expect(try train(shuffle: false) == train(shuffle: false))
        #expect(try train(shuffle: true) == train(shuffle: true))
        #expect(try train(shuffle: true) != train(shuffle: false))
    }

    @Test func nonFiniteLossStopsBeforeTheStep() {
        let config = SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.1, batchSize: 1, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: [.nan, 0, 0, 0, 0, 0], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        #expect(throws: TrainingError.self) { try model.train(examples: Word2VecExamples(inputs: [0], width: 1, targets: [1])) }
        #expect(model.outputWeights == [1, 0, 0, 1, 1, 1])
    }
}

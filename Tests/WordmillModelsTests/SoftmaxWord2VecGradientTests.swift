import Testing
import WordmillModels
import WordmillNumerics

/// The model's Float analytic gradients against central finite differences of the
/// independent Double reference loss, for every W, bias and embedding entry.
@Suite struct SoftmaxWord2VecGradientTests {
    let v = 5, d = 3

    func checkGradients(_ examples: Word2VecExamples, rows: [Int], seed: UInt64) {
        let p = smallRandomParameters(v: v, d: d, seed: seed)
        let config = SoftmaxWord2VecConfig(vocabularySize: v, dim: d, lr: 0.1, batchSize: rows.count, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: p.e, outputWeights: p.w, outputBias: p.bias)
        let loss = model.forwardBackward(examples: examples, rows: rows)
        #expect(model.lastBatchCount == rows.count)
        let reference = SoftmaxReference(v: v, d: d, e: p.e.map(Double.init), w: p.w.map(Double.init), bias: p.bias.map(Double.init))
        #expect(approximatelyEqual(loss, reference.loss(examples, rows: rows), 1e-5))
        // Parameters are untouched by the forward/backward pass.
        #expect(model.inputVectors == p.e && model.outputWeights == p.w && model.outputBias == p.bias)

        let eps = 1e-6
        func numeric(_ perturb: (inout SoftmaxReference, Double) -> Void) -> Double {
            var plus = reference, minus = reference
            perturb(&plus, eps)
            perturb(&minus, -eps)
            return (plus.loss(examples, rows: rows) - minus.loss(examples, rows: rows)) / (2 * eps)
        }
        for i in 0..<(v * d) {
            let n = numeric { $0.w[i] += $1 }
            #expect(approximatelyEqual(Double(model.gradWeights[i]), n, 1e-4), "dW[\(i)]: \(model.gradWeights[i]) vs \(n)")
        }
        for i in 0..<v {
            let n = numeric { $0.bias[i] += $1 }
            #expect(approximatelyEqual(Double(model.gradBias[i]), n, 1e-4), "dBias[\(i)]: \(model.gradBias[i]) vs \(n)")
        }
        // Dense dE assembled from dH: every occurrence of an id in example k adds dH[k].
        var dE = [Double](repeating: 0, count: v * d)
        for (k, r) in rows.enumerated() {
            for c in 0..<examples.width {
                let id = Int(examples.inputs[r * examples.width + c])
                if id >= 0 { for j in 0..<d { dE[id * d + j] += Double(model.gradHidden[k * d + j]) } }
            }
        }
        var nonZero = 0
        for i in 0..<(v * d) {
            let n = numeric { $0.e[i] += $1 }
            #expect(approximatelyEqual(dE[i], n, 1e-4), "dE[\(i)]: \(dE[i]) vs \(n)")
            if abs(n) > 1e-3 { nonZero += 1 }
        }
        #expect(nonZero > 0)
    }

    @Test func cbowGradientsMatchFiniteDifferences() {
        // Width 4, batch 3: a missing word (−1), a repeated id (3, 3) and an id used in two examples.
        let examples = Word2VecExamples(inputs: [0, 1, 2, -1, 3, 3, 4, 0, 1, 2, 3, 4], width: 4, targets: [4, 2, 0])
        checkGradients(examples, rows: [0, 1, 2], seed: 3)
        checkGradients(examples, rows: [2, 0, 1], seed: 11)
    }

    @Test func skipgramGradientsMatchFiniteDifferences() {
        // Width 1, batch 3 chosen out of order from 4 examples, centre 2 used twice.
        let examples = Word2VecExamples(inputs: [2, 2, 4, 0], width: 1, targets: [1, 3, 0, 4])
        checkGradients(examples, rows: [3, 0, 1], seed: 3)
    }

    @Test func aRowOfOnlyMissingWordsUsesTheBiasAlone() {
        let examples = Word2VecExamples(inputs: [-1, -1], width: 2, targets: [1])
        let config = SoftmaxWord2VecConfig(vocabularySize: 2, dim: 1, lr: 1, batchSize: 1, epochs: 1)
        let model = SoftmaxWord2Vec(config: config, inputVectors: [3, 4], outputWeights: [1, 1], outputBias: [0, 0])
        // z = (0, 0): loss = ln 2, dW = 0 (h = 0), dBias = (½, −½).
        #expect(abs(model.forwardBackward(examples: examples, rows: 0..<1) - 0.6931471805599453) < 1e-7)
        #expect(model.gradWeights == [0, 0])
        #expect(model.gradBias == [0.5, -0.5])
        model.sgdStep(lr: 1)
        #expect(model.inputVectors == [3, 4])
        #expect(model.outputBias == [-0.5, 0.5])
    }
}

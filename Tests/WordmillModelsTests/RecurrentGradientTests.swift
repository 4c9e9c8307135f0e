import Testing
import WordmillModels
import WordmillNumerics

/// Finite-difference checks of the whole recurrent model (embedding → stack → head →
/// cross-entropy) for every cell and task, and of the carried state between truncated-BPTT
/// segments.
@Suite struct RecurrentGradientTests {
    static func batch(task: RecurrentTask, outputs: Int) -> SequenceBatch {
        var random = RandomGenerator(seed: 7)
        var batch = SequenceBatch()
        for length in task == .lm ? [4, 4, 4] : [4, 2, 3, 1] {
            batch.append((0..<length).map { _ in Int32(1 + random.nextInt(below: 9)) })
            if task == .classify { batch.targets.append(Int32(random.nextInt(below: outputs))) }
        }
        if task != .classify { batch.targets = batch.tokens.map { _ in Int32(random.nextInt(below: outputs)) } }
        return batch
    }

    /// Mean loss of a batch at `parameters` (double for the differences).
    static func loss(_ worker: RecurrentWorker, _ batch: SequenceBatch, _ parameters: [Float], h0: [Float]? = nil) -> Double {
        var random = RandomGenerator(seed: 1)
        let totals = parameters.withUnsafeBufferPointer {
            worker.run(batch, parameters: $0.baseAddress!, backward: false, initialHidden: h0, random: &random)
        }
        return totals.loss / Double(totals.targets)
    }

    static func check(cell: RecurrentCell, task: RecurrentTask, layers: Int, bidirectional: Bool) {
        let outputs = task == .lm ? 10 : 3
        let config = RecurrentModelConfig(task: task, vocabularySize: 10,
                                          recurrent: RecurrentShape(cell: cell, inputSize: 4, hiddenSize: 5, layers: layers, bidirectional: bidirectional),
                                          outputs: outputs)
        let worker = RecurrentWorker(config: config)
        var random = RandomGenerator(seed: 3)
        var parameters = [Float](repeating: 0, count: worker.layout.count)
        parameters.withUnsafeMutableBufferPointer { worker.initialize($0.baseAddress!, random: &random) }
        let batch = batch(task: task, outputs: outputs)
        worker.zeroGradients()
        let totals = parameters.withUnsafeBufferPointer {
            worker.run(batch, parameters: $0.baseAddress!, backward: true, lossScale: 1 / Float(batch.targets.count), random: &random)
        }
        #expect(totals.targets == batch.targets.count)
        let analytic = Array(UnsafeBufferPointer(start: worker.gradients.pointer, count: worker.layout.count))
        // Every tensor, a few entries each (embedding rows of tokens that occur).
        var checked = 0, worst = 0.0
        for tensor in worker.layout.parameters.tensors {
            var picks = RandomGenerator(seed: UInt64(tensor.offset + 11))
            for _ in 0..<4 {
                let k = tensor.name == "embedding.weight"
                    ? Int(batch.tokens[picks.nextInt(below: batch.tokens.count)]) * config.embeddingDim + picks.nextInt(below: config.embeddingDim)
                    : picks.nextInt(below: tensor.count)
                // ReLU has kinks: a smaller step keeps the difference on one side of them.
                let index = tensor.offset + k, eps: Float = cell == .rnnRelu ? 1e-3 : 4e-3
                var plus = parameters, minus = parameters
                plus[index] += eps
                minus[index] -= eps
                let numeric = (loss(worker, batch, plus) - loss(worker, batch, minus)) / Double(2 * eps)
                let error = abs(Double(analytic[index]) - numeric) / max(1e-2, abs(numeric))
                worst = max(worst, error)
                #expect(error < 2e-2, "\(cell) \(task) \(tensor.name)[\(k)]: analytic \(analytic[index]) numeric \(numeric)")
                checked += 1
            }
        }
        #expect(checked == worker.layout.parameters.tensors.count * 4)
    }

    @Test(arguments: RecurrentCell.allCases)
    func classifierBidirectionalTwoLayers(_ cell: RecurrentCell) { Self.check(cell: cell, task: .classify, layers: 2, bidirectional: true) }

    @Test(arguments: RecurrentCell.allCases)
    func taggerTwoLayers(_ cell: RecurrentCell) { Self.check(cell: cell, task: .tag, layers: 2, bidirectional: false) }

    @Test(arguments: RecurrentCell.allCases)
    func languageModel(_ cell: RecurrentCell) { Self.check(cell: cell, task: .lm, layers: 1, bidirectional: false) }

    /// Truncated BPTT: segment 2 starts from segment 1's final state, held fixed; the
    /// gradient reaching that state (what would flow further back without truncation) matches
    /// finite differences, and the parameter gradient ignores segment 1.
    @Test(arguments: [RecurrentCell.gru, .lstm])
    func carriedStateAcrossSegments(_ cell: RecurrentCell) {
        let config = RecurrentModelConfig(task: .lm, vocabularySize: 10,
                                          recurrent: RecurrentShape(cell: cell, inputSize: 4, hiddenSize: 5, layers: 2), outputs: 10)
        let worker = RecurrentWorker(config: config)
        var random = RandomGenerator(seed: 5)
        var parameters = [Float](repeating: 0, count: worker.layout.count)
        parameters.withUnsafeMutableBufferPointer { worker.initialize($0.baseAddress!, random: &random) }
        let first = Self.batch(task: .lm, outputs: 10)
        var second = first
        second.tokens.reverse()
        _ = parameters.withUnsafeBufferPointer { worker.run(first, parameters: $0.baseAddress!, backward: false, random: &random) }
        let states = config.recurrent.layers * first.count * config.recurrent.hiddenSize
        let carried = Array(UnsafeBufferPointer(start: worker.network.finalHidden.pointer, count: states))
        // LSTM carries c too; hold it at its carried value through a fixed copy.
        let carriedCell = cell == .lstm ? Array(UnsafeBufferPointer(start: worker.network.finalCell.pointer, count: states)) : nil
        func segmentLoss(_ h0: [Float]) -> Double {
            var r = RandomGenerator(seed: 1)
            let totals = parameters.withUnsafeBufferPointer {
                worker.run(second, parameters: $0.baseAddress!, backward: false, initialHidden: h0, initialCell: carriedCell, random: &r)
            }
            return totals.loss / Double(totals.targets)
        }
        worker.zeroGradients()
        _ = parameters.withUnsafeBufferPointer {
            worker.run(second, parameters: $0.baseAddress!, backward: true, lossScale: 1 / Float(second.targets.count),
                       initialHidden: carried, initialCell: carriedCell, random: &random)
        }
        let analytic = Array(UnsafeBufferPointer(start: worker.network.initialHiddenGradient.pointer, count: states))
        #expect(analytic.contains { abs($0) > 1e-4 }, "some gradient reaches the carried state")
        for k in stride(from: 0, to: states, by: 3) {
            var plus = carried, minus = carried
            plus[k] += 4e-3
            minus[k] -= 4e-3
            let numeric = (segmentLoss(plus) - segmentLoss(minus)) / 8e-3
            #expect(abs(Double(analytic[k]) - numeric) / max(1e-2, abs(numeric)) < 2e-2, "\(cell) h0[\(k)]: \(analytic[k]) vs \(numeric)")
        }
    }
}

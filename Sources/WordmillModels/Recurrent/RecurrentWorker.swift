import Foundation
import WordmillNumerics

/// The totals of one batch: summed cross-entropy, how many targets it covered and how many
/// the model's top class got right.
public struct BatchTotals: Sendable, Equatable {
    public var loss: Double = 0
    public var targets = 0
    public var correct = 0

    public init() {}

    public static func += (a: inout BatchTotals, b: BatchTotals) {
        a.loss += b.loss
        a.targets += b.targets
        a.correct += b.correct
    }
}

/// Runs a recurrent model (embedding → stack → linear head → softmax cross-entropy) on
/// batches: forward, loss and, when asked, backward into its own gradient vector.
///
/// One worker per thread; each owns its network caches, scratch and gradient buffer, and
/// reads the shared parameters. Padding never enters: sequences are packed, and losses and
/// metrics count only real targets.
public final class RecurrentWorker {
    public let config: RecurrentModelConfig
    public let layout: RecurrentModelLayout
    public let network: RecurrentNetwork
    /// This worker's gradients (the model's parameter layout), added to by `run`.
    public let gradients: FloatBuffer
    /// Whether the embedding table receives gradients.
    public var trainEmbedding = true

    let inputs = FloatBuffer()
    let features = FloatBuffer()
    /// Logits of the last batch, then (in place) their softmax: one row per target, in
    /// packed order (tag, lm) or sorted order (classify).
    public let probabilities = FloatBuffer()
    let featureGradient = FloatBuffer()
    let hiddenGradient = FloatBuffer()
    /// The packing of the last batch.
    public private(set) var packing: PackedSequenceLayout?
    /// The top class of every target of the last batch, in the batch's own order (per
    /// sequence for classify, per token aligned with `tokens` for tag and lm).
    public private(set) var predictions: [Int32] = []
    /// The probability the model gave each of those predictions.
    public private(set) var predictedProbabilities: [Float] = []
    /// For each target row of the last batch, its index into the batch's `targets`.
    private var slots: [Int] = []
    /// Embedding rows whose gradient may be nonzero (each once), so zeroing and summing
    /// the gradients touch those rows, not the whole table.
    public private(set) var touchedRows: [Int32] = []
    private var isTouched: [Bool] = []

    public init(config: RecurrentModelConfig) {
        self.config = config
        layout = RecurrentModelLayout(config)
        network = RecurrentNetwork(shape: config.recurrent, offsets: layout.recurrent, dropout: config.dropout)
        gradients = FloatBuffer(capacity: layout.count)
    }

    /// PyTorch's defaults: embedding N(0, 1) with the `<pad>` row (0) zero, the stack uniform
    /// ±1/√hidden, the head uniform ±1/√features (`nn.Linear`).
    public func initialize(_ parameters: UnsafeMutablePointer<Float>, random: inout RandomGenerator) {
        let e = config.embeddingDim
        for k in 0..<(config.vocabularySize * e) { parameters[layout.embedding + k] = random.nextNormal() }
        for k in 0..<e { parameters[layout.embedding + k] = 0 }
        network.initialize(parameters, random: &random)
        let bound = 1 / Float(config.featureSize).squareRoot()
        for k in 0..<(config.outputs * config.featureSize) { parameters[layout.headWeight + k] = random.nextUniform(-bound, bound) }
        for k in 0..<config.outputs { parameters[layout.headBias + k] = random.nextUniform(-bound, bound) }
    }

    /// Sets this worker's gradients to zero: everything after the embedding table, and the
    /// table's rows that received gradient since the last zeroing.
    public func zeroGradients() {
        if isTouched.isEmpty {
            gradients.zeroed(layout.count)
            isTouched = [Bool](repeating: false, count: config.vocabularySize)
            return
        }
        let g = gradients.pointer, e = config.embeddingDim
        let rest = layout.afterEmbedding
        (g + rest.lowerBound).update(repeating: 0, count: rest.count)
        for row in touchedRows {
            (g + layout.embedding + Int(row) * e).update(repeating: 0, count: e)
            isTouched[Int(row)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
    }

    /// Notes that embedding row `row` now holds gradient.
    @inline(__always)
    public func markTouched(_ row: Int32) {
        if !isTouched[Int(row)] {
            isTouched[Int(row)] = true
            touchedRows.append(row)
        }
    }

    /// Forward pass and loss of `batch`; with `backward`, adds the gradient of
    /// `lossScale` × (summed loss) into `gradients`. `initialHidden`/`initialCell` (sorted
    /// order) carry state between truncated-BPTT segments.
    @discardableResult
    public func run(
        _ batch: SequenceBatch, parameters: UnsafePointer<Float>, backward: Bool, lossScale: Float = 1, training: Bool = false,
        initialHidden: UnsafePointer<Float>? = nil, initialCell: UnsafePointer<Float>? = nil, random: inout RandomGenerator
    ) -> BatchTotals {
        let packing = PackedSequenceLayout(lengths: batch.lengths)
        self.packing = packing
        let rows = packing.rows, e = config.embeddingDim, f = config.featureSize, classes = config.outputs
        let embedding = parameters + layout.embedding
        let x = inputs.reserve(rows * e)
        for t in 0..<packing.steps {
            let start = packing.stepOffsets[t]
            for position in 0..<packing.batchSizes[t] {
                let sequence = packing.sortedIndices[position]
                let token = Int(batch.tokens[batch.starts[sequence] + t])
                (x + (start + position) * e).update(from: embedding + token * e, count: e)
            }
        }
        let output = network.forward(input: x, layout: packing, parameters: parameters, initialHidden: initialHidden,
                                     initialCell: initialCell, training: training, random: &random)
        // The head reads h_n of the top layer (classify) or every output row (tag, lm).
        let perSequence = config.task == .classify
        let targetRows = perSequence ? packing.batch : rows
        let featureRows: UnsafeMutablePointer<Float>
        if perSequence {
            featureRows = features.reserve(packing.batch * f)
            let hidden = config.recurrent.hiddenSize, directions = config.recurrent.directions
            for direction in 0..<directions {
                let state = network.finalHidden.pointer + ((config.recurrent.layers - 1) * directions + direction) * packing.batch * hidden
                for position in 0..<packing.batch {
                    (featureRows + position * f + direction * hidden).update(from: state + position * hidden, count: hidden)
                }
            }
        } else {
            featureRows = output
        }
        let logits = probabilities.reserve(targetRows * classes)
        for r in 0..<targetRows { (logits + r * classes).update(from: parameters + layout.headBias, count: classes) }
        BLAS.sgemm(transposeA: false, transposeB: true, m: targetRows, n: classes, k: f, alpha: 1,
                   a: featureRows, b: parameters + layout.headWeight, beta: 1, c: logits)
        // Which target each row stands for.
        slots.removeAll(keepingCapacity: true)
        if perSequence {
            slots.append(contentsOf: packing.sortedIndices)
        } else {
            for t in 0..<packing.steps {
                for position in 0..<packing.batchSizes[t] { slots.append(batch.starts[packing.sortedIndices[position]] + t) }
            }
        }
        // Softmax cross-entropy, row by row; the rows become dLoss/dLogits when training.
        var totals = BatchTotals()
        if predictions.count != batch.targets.count {
            predictions = [Int32](repeating: 0, count: batch.targets.count)
            predictedProbabilities = [Float](repeating: 0, count: batch.targets.count)
        }
        for r in 0..<targetRows {
            let slot = slots[r], target = Int(batch.targets[slot])
            let row = logits + r * classes
            var best = 0, top = row[0]
            for c in 1..<classes where row[c] > top { top = row[c]; best = c }
            var sum: Float = 0
            for c in 0..<classes {
                let v = expf(row[c] - top)
                row[c] = v
                sum += v
            }
            let inverse = 1 / sum
            for c in 0..<classes { row[c] *= inverse }
            totals.loss -= Double(logf(max(row[target], .leastNormalMagnitude)))
            totals.targets += 1
            if best == target { totals.correct += 1 }
            predictions[slot] = Int32(best)
            predictedProbabilities[slot] = row[best]
        }
        guard backward else { return totals }
        let g = gradients.pointer
        // dLogits = scale · (softmax − one-hot), reusing the probability rows.
        let dLogits = probabilities.pointer
        for r in 0..<targetRows {
            let target = Int(batch.targets[slots[r]])
            let row = dLogits + r * classes
            row[target] -= 1
            for c in 0..<classes { row[c] *= lossScale }
        }
        BLAS.sgemm(transposeA: true, transposeB: false, m: classes, n: f, k: targetRows, alpha: 1,
                   a: dLogits, b: featureRows, beta: 1, c: g + layout.headWeight)
        for r in 0..<targetRows {
            let row = dLogits + r * classes
            for c in 0..<classes { g[layout.headBias + c] += row[c] }
        }
        let dFeatures = featureGradient.reserve(targetRows * f)
        BLAS.sgemm(transposeA: false, transposeB: false, m: targetRows, n: f, k: classes, alpha: 1,
                   a: dLogits, b: parameters + layout.headWeight, beta: 0, c: dFeatures)
        let dInput: UnsafeMutablePointer<Float>
        if perSequence {
            let hidden = config.recurrent.hiddenSize, directions = config.recurrent.directions
            let states = config.recurrent.layers * directions
            let dHidden = hiddenGradient.zeroed(states * packing.batch * hidden)
            for direction in 0..<directions {
                let state = dHidden + ((config.recurrent.layers - 1) * directions + direction) * packing.batch * hidden
                for position in 0..<packing.batch {
                    (state + position * hidden).update(from: dFeatures + position * f + direction * hidden, count: hidden)
                }
            }
            dInput = network.backward(parameters: parameters, gradients: g, outputGradient: nil, finalHiddenGradient: dHidden)
        } else {
            dInput = network.backward(parameters: parameters, gradients: g, outputGradient: dFeatures)
        }
        if trainEmbedding {
            for t in 0..<packing.steps {
                let start = packing.stepOffsets[t]
                for position in 0..<packing.batchSizes[t] {
                    let token = Int(batch.tokens[batch.starts[packing.sortedIndices[position]] + t])
                    guard token != 0 else { continue }  // `<pad>` stays zero, as padding_idx
                    markTouched(Int32(token))
                    let source = dInput + (start + position) * e, target = g + layout.embedding + token * e
                    for k in 0..<e { target[k] += source[k] }
                }
            }
        }
        return totals
    }
}

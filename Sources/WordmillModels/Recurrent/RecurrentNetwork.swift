import Foundation
import WordmillNumerics

/// A stack of recurrent layers (PyTorch's `nn.RNN` / `nn.LSTM` / `nn.GRU`) run over packed
/// sequences, with backpropagation through time.
///
/// The parameters live in a caller's flat vector (`offsets` say where each layer's four
/// tensors are), so one model can hold the embedding, the recurrent stack and a head in a
/// single vector that the optimiser walks. All batch-indexed state is in the layout's sorted
/// order. Per step, only the sequences still alive are computed: the input projection of all
/// rows is one matrix product per layer and direction, the recurrent projection one product
/// per step over the live rows. Buffers grow to the largest batch seen and are reused, so
/// nothing is allocated per step or per batch after the first.
public final class RecurrentNetwork {
    public let shape: RecurrentShape
    public let offsets: [RecurrentLayerOffsets]
    /// Dropout probability on the outputs of every layer but the last, in training.
    public var dropout: Float

    /// What backward needs from one layer and direction's forward pass, one row per packed row.
    final class DirectionCache {
        /// Activated gates (rows × gates·H): h for RNN; i, f, g, o for LSTM; r, z, n for GRU.
        let gates = FloatBuffer()
        /// The state each row started from (rows × H).
        let previousHidden = FloatBuffer()
        /// LSTM: the cell state each row started from, and the one it produced.
        let previousCell = FloatBuffer()
        let cell = FloatBuffer()
        /// GRU: W_hn h + b_hn per row, the term r multiplies.
        let hiddenCandidate = FloatBuffer()
    }

    var caches: [DirectionCache]
    /// Per layer: its output (rows × H·directions).
    var layerOutputs: [FloatBuffer]
    /// Per layer above the first: its input after dropout, and the mask (0 or 1/(1−p)).
    var droppedInputs: [FloatBuffer]
    var dropoutMasks: [FloatBuffer]
    var usedDropout = false
    var lastLayout: PackedSequenceLayout?
    var lastInput: UnsafePointer<Float>?
    let recurrentScratch = FloatBuffer()

    /// Final hidden state per layer and direction (layers·directions × batch × H, sorted order): `h_n`.
    public let finalHidden = FloatBuffer()
    /// Final cell state (LSTM), same layout: `c_n`.
    public let finalCell = FloatBuffer()

    // Backward scratch and results.
    let gateGradients = FloatBuffer()
    let hiddenGateGradients = FloatBuffer()
    let stateGradient = FloatBuffer()
    let cellGradient = FloatBuffer()
    let directGradient = FloatBuffer()
    var layerInputGradients: [FloatBuffer]
    /// After `backward`: the gradient of the initial hidden state (layers·directions × batch × H, sorted order).
    public let initialHiddenGradient = FloatBuffer()
    /// After `backward`: the gradient of the initial cell state (LSTM).
    public let initialCellGradient = FloatBuffer()

    public init(shape: RecurrentShape, offsets: [RecurrentLayerOffsets], dropout: Float = 0) {
        precondition(offsets.count == shape.layers * shape.directions)
        self.shape = shape
        self.offsets = offsets
        self.dropout = dropout
        caches = (0..<offsets.count).map { _ in DirectionCache() }
        layerOutputs = (0..<shape.layers).map { _ in FloatBuffer() }
        droppedInputs = (0..<shape.layers).map { _ in FloatBuffer() }
        dropoutMasks = (0..<shape.layers).map { _ in FloatBuffer() }
        layerInputGradients = (0..<shape.layers).map { _ in FloatBuffer() }
    }

    /// PyTorch's default initialisation: every weight and bias uniform in ±1/√hidden.
    public func initialize(_ parameters: UnsafeMutablePointer<Float>, random: inout RandomGenerator) {
        let bound = 1 / Float(shape.hiddenSize).squareRoot()
        for (index, o) in offsets.enumerated() {
            let inputs = shape.layerInputSize(index / shape.directions)
            for (start, count) in [(o.weightIH, shape.gateSize * inputs), (o.weightHH, shape.gateSize * shape.hiddenSize),
                                   (o.biasIH, shape.gateSize), (o.biasHH, shape.gateSize)] {
                for k in 0..<count { parameters[start + k] = random.nextUniform(-bound, bound) }
            }
        }
    }

    /// Runs the stack over packed input (rows × inputSize, kept alive by the caller until
    /// `backward`) and returns the top layer's output (rows × H·directions). `initialHidden`
    /// and `initialCell` (layers·directions × batch × H, sorted order) default to zeros.
    /// Dropout applies only when `training`.
    @discardableResult
    public func forward(
        input: UnsafePointer<Float>, layout: PackedSequenceLayout, parameters: UnsafePointer<Float>,
        initialHidden: UnsafePointer<Float>? = nil, initialCell: UnsafePointer<Float>? = nil,
        training: Bool = false, random: inout RandomGenerator
    ) -> UnsafeMutablePointer<Float> {
        let rows = layout.rows, batch = layout.batch, hidden = shape.hiddenSize
        let stateCount = offsets.count * batch * hidden
        finalHidden.reserve(stateCount)
        if shape.cell.hasCellState { finalCell.reserve(stateCount) }
        lastLayout = layout
        lastInput = input
        usedDropout = training && dropout > 0 && shape.layers > 1
        var layerInput = input
        for layer in 0..<shape.layers {
            if layer > 0 {
                layerInput = UnsafePointer(layerOutputs[layer - 1].pointer)
                if usedDropout { layerInput = UnsafePointer(applyDropout(layer: layer, rows: rows, random: &random)) }
            }
            let output = layerOutputs[layer].reserve(rows * shape.outputSize)
            for direction in 0..<shape.directions {
                let index = layer * shape.directions + direction
                let stateOffset = index * batch * hidden
                forwardDirection(
                    index: index, input: layerInput, inputSize: shape.layerInputSize(layer), layout: layout, parameters: parameters,
                    initialHidden: initialHidden.map { $0 + stateOffset }, initialCell: initialCell.map { $0 + stateOffset },
                    output: output + direction * hidden, reverse: direction == 1)
            }
        }
        return layerOutputs[shape.layers - 1].pointer
    }

    private func applyDropout(layer: Int, rows: Int, random: inout RandomGenerator) -> UnsafeMutablePointer<Float> {
        let count = rows * shape.outputSize
        let source = layerOutputs[layer - 1].pointer
        let mask = dropoutMasks[layer].reserve(count)
        let dropped = droppedInputs[layer].reserve(count)
        let keep = 1 / (1 - dropout)
        for k in 0..<count {
            mask[k] = random.nextFloat() < dropout ? 0 : keep
            dropped[k] = source[k] * mask[k]
        }
        return dropped
    }

    private func forwardDirection(
        index: Int, input: UnsafePointer<Float>, inputSize: Int, layout: PackedSequenceLayout, parameters: UnsafePointer<Float>,
        initialHidden: UnsafePointer<Float>?, initialCell: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, reverse: Bool
    ) {
        let o = offsets[index], cache = caches[index]
        let rows = layout.rows, batch = layout.batch, hidden = shape.hiddenSize, gateSize = shape.gateSize
        let outputStride = shape.outputSize
        let cell = shape.cell
        let gates = cache.gates.reserve(rows * gateSize)
        let previousHidden = cache.previousHidden.reserve(rows * hidden)
        let previousCell = cell == .lstm ? cache.previousCell.reserve(rows * hidden) : gates
        let cellOut = cell == .lstm ? cache.cell.reserve(rows * hidden) : gates
        let candidate = cell == .gru ? cache.hiddenCandidate.reserve(rows * hidden) : gates
        let recurrent = cell == .gru ? recurrentScratch.reserve(batch * gateSize) : gates
        let weightHH = parameters + o.weightHH, biasIH = parameters + o.biasIH, biasHH = parameters + o.biasHH
        let state = finalHidden.pointer + index * batch * hidden
        let cellState = cell == .lstm ? finalCell.pointer + index * batch * hidden : state

        // Input projection of every row at once, plus the biases that do not depend on h.
        BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: gateSize, k: inputSize, alpha: 1,
                   a: input, b: parameters + o.weightIH, beta: 0, c: gates)
        for r in 0..<rows {
            let g = gates + r * gateSize
            if cell == .gru {
                for k in 0..<gateSize { g[k] += biasIH[k] }
            } else {
                for k in 0..<gateSize { g[k] += biasIH[k] + biasHH[k] }
            }
        }
        func resetRows(_ range: Range<Int>) {
            for r in range {
                for k in 0..<hidden {
                    state[r * hidden + k] = initialHidden?[r * hidden + k] ?? 0
                    if cell == .lstm { cellState[r * hidden + k] = initialCell?[r * hidden + k] ?? 0 }
                }
            }
        }
        let steps = layout.steps
        if !reverse { resetRows(0..<batch) }
        for n in 0..<steps {
            let t = reverse ? steps - 1 - n : n
            let live = layout.batchSizes[t], start = layout.stepOffsets[t]
            if reverse { resetRows((t + 1 < steps ? layout.batchSizes[t + 1] : 0)..<live) }
            (previousHidden + start * hidden).update(from: state, count: live * hidden)
            if cell == .lstm { (previousCell + start * hidden).update(from: cellState, count: live * hidden) }
            let stepGates = gates + start * gateSize
            if cell == .gru {
                BLAS.sgemm(transposeA: false, transposeB: true, m: live, n: gateSize, k: hidden, alpha: 1,
                           a: state, b: weightHH, beta: 0, c: recurrent)
            } else {
                BLAS.sgemm(transposeA: false, transposeB: true, m: live, n: gateSize, k: hidden, alpha: 1,
                           a: state, b: weightHH, beta: 1, c: stepGates)
            }
            for r in 0..<live {
                let g = stepGates + r * gateSize
                let h = state + r * hidden
                let out = output + (start + r) * outputStride
                switch cell {
                case .rnnTanh, .rnnRelu:
                    CellKernels.rnnForward(relu: cell == .rnnRelu, g: g, h: h, out: out, n: hidden)
                case .lstm:
                    CellKernels.lstmForward(g: g, c: cellState + r * hidden, cOut: cellOut + (start + r) * hidden, h: h, out: out, n: hidden)
                case .gru:
                    CellKernels.gruForward(g: g, gh: recurrent + r * gateSize, biasHH: biasHH, candidate: candidate + (start + r) * hidden,
                                           h: h, out: out, n: hidden)
                }
            }
        }
    }
}

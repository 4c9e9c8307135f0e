import Foundation
import WordmillNumerics

extension RecurrentNetwork {
    /// Backpropagation through time for the last `forward`.
    ///
    /// `outputGradient` is the loss gradient of the top layer's output (rows × H·directions),
    /// `finalHiddenGradient` / `finalCellGradient` those of `h_n` / `c_n` (layers·directions ×
    /// batch × H, sorted order); any may be nil (zero). Parameter gradients are added into
    /// `gradients` (same layout as the parameters). Returns the gradient of the packed input
    /// (rows × inputSize); `initialHiddenGradient` and `initialCellGradient` hold those of the
    /// initial states.
    @discardableResult
    public func backward(
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>,
        outputGradient: UnsafePointer<Float>?, finalHiddenGradient: UnsafePointer<Float>? = nil,
        finalCellGradient: UnsafePointer<Float>? = nil
    ) -> UnsafeMutablePointer<Float> {
        guard let layout = lastLayout, let input = lastInput else { preconditionFailure("backward before forward") }
        let rows = layout.rows, batch = layout.batch, hidden = shape.hiddenSize
        let stateCount = offsets.count * batch * hidden
        initialHiddenGradient.zeroed(stateCount)
        if shape.cell.hasCellState { initialCellGradient.zeroed(stateCount) }
        var upstream: UnsafePointer<Float>? = outputGradient
        for layer in stride(from: shape.layers - 1, through: 0, by: -1) {
            let inputSize = shape.layerInputSize(layer)
            let layerInput: UnsafePointer<Float> = layer == 0 ? input
                : UnsafePointer(usedDropout ? droppedInputs[layer].pointer : layerOutputs[layer - 1].pointer)
            let inputGradient = layerInputGradients[layer].reserve(rows * inputSize)
            for direction in 0..<shape.directions {
                let index = layer * shape.directions + direction
                let stateOffset = index * batch * hidden
                backwardDirection(
                    index: index, input: layerInput, inputSize: inputSize, layout: layout, parameters: parameters, gradients: gradients,
                    outputGradient: upstream.map { $0 + direction * hidden },
                    finalHidden: finalHiddenGradient.map { $0 + stateOffset }, finalCell: finalCellGradient.map { $0 + stateOffset },
                    initialHidden: initialHiddenGradient.pointer + stateOffset,
                    initialCell: shape.cell.hasCellState ? initialCellGradient.pointer + stateOffset : nil,
                    inputGradient: inputGradient, accumulate: direction > 0, reverse: direction == 1)
            }
            if layer > 0 && usedDropout {
                let mask = dropoutMasks[layer].pointer
                for k in 0..<(rows * inputSize) { inputGradient[k] *= mask[k] }
            }
            upstream = UnsafePointer(inputGradient)
        }
        return layerInputGradients[0].pointer
    }

    private func backwardDirection(
        index: Int, input: UnsafePointer<Float>, inputSize: Int, layout: PackedSequenceLayout,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>?,
        finalHidden: UnsafePointer<Float>?, finalCell: UnsafePointer<Float>?,
        initialHidden: UnsafeMutablePointer<Float>, initialCell: UnsafeMutablePointer<Float>?,
        inputGradient: UnsafeMutablePointer<Float>, accumulate: Bool, reverse: Bool
    ) {
        let o = offsets[index], cache = caches[index]
        let rows = layout.rows, batch = layout.batch, hidden = shape.hiddenSize, gateSize = shape.gateSize
        let outputStride = shape.outputSize
        let cell = shape.cell
        let gates = cache.gates.pointer, previousHidden = cache.previousHidden.pointer
        let previousCell = cache.previousCell.pointer, cellValues = cache.cell.pointer, candidate = cache.hiddenCandidate.pointer
        let dGates = gateGradients.reserve(rows * gateSize)
        let dHiddenGates = cell == .gru ? hiddenGateGradients.reserve(rows * gateSize) : dGates
        let dState = stateGradient.reserve(batch * hidden)
        let dCell = cell == .lstm ? cellGradient.reserve(batch * hidden) : dState
        let direct = cell == .gru ? directGradient.reserve(batch * hidden) : dState
        if let finalHidden { dState.update(from: finalHidden, count: batch * hidden) } else { dState.update(repeating: 0, count: batch * hidden) }
        if cell == .lstm {
            if let finalCell { dCell.update(from: finalCell, count: batch * hidden) } else { dCell.update(repeating: 0, count: batch * hidden) }
        }
        let weightHH = parameters + o.weightHH
        let steps = layout.steps
        for n in 0..<steps {
            let t = reverse ? n : steps - 1 - n
            let live = layout.batchSizes[t], start = layout.stepOffsets[t]
            for r in 0..<live {
                let row = start + r
                let g = gates + row * gateSize, dg = dGates + row * gateSize
                let dh = dState + r * hidden
                let dOut = outputGradient.map { UnsafePointer($0 + row * outputStride) }
                switch cell {
                case .rnnTanh, .rnnRelu:
                    CellKernels.rnnBackward(relu: cell == .rnnRelu, dg: dg, g: g, dh: dh, dOut: dOut, n: hidden)
                case .lstm:
                    CellKernels.lstmBackward(dg: dg, g: g, c: cellValues + row * hidden, cPrev: previousCell + row * hidden,
                                             dh: dh, dOut: dOut, dc: dCell + r * hidden, n: hidden)
                case .gru:
                    CellKernels.gruBackward(dg: dg, dgh: dHiddenGates + row * gateSize, g: g, hPrev: previousHidden + row * hidden,
                                            candidate: candidate + row * hidden, dh: dh, dOut: dOut, direct: direct + r * hidden, n: hidden)
                }
            }
            // dh_{t−1} = dG_hh · W_hh for the live rows (plus GRU's direct z ⊙ dh path).
            BLAS.sgemm(transposeA: false, transposeB: false, m: live, n: hidden, k: gateSize, alpha: 1,
                       a: dHiddenGates + start * gateSize, b: weightHH, beta: 0, c: dState)
            if cell == .gru {
                for k in 0..<(live * hidden) { dState[k] += direct[k] }
            }
            if reverse {
                // Rows that began at this step (in reverse time) started from the initial state.
                let begun = (t + 1 < steps ? layout.batchSizes[t + 1] : 0)..<live
                (initialHidden + begun.lowerBound * hidden).update(from: dState + begun.lowerBound * hidden, count: begun.count * hidden)
                if let initialCell { (initialCell + begun.lowerBound * hidden).update(from: dCell + begun.lowerBound * hidden, count: begun.count * hidden) }
            }
        }
        if !reverse {
            initialHidden.update(from: dState, count: batch * hidden)
            if let initialCell { initialCell.update(from: dCell, count: batch * hidden) }
        }
        // Weight and bias gradients over all rows at once, then the input gradient.
        BLAS.sgemm(transposeA: true, transposeB: false, m: gateSize, n: inputSize, k: rows, alpha: 1,
                   a: dGates, b: input, beta: 1, c: gradients + o.weightIH)
        BLAS.sgemm(transposeA: true, transposeB: false, m: gateSize, n: hidden, k: rows, alpha: 1,
                   a: dHiddenGates, b: previousHidden, beta: 1, c: gradients + o.weightHH)
        let biasIH = gradients + o.biasIH, biasHH = gradients + o.biasHH
        for r in 0..<rows {
            let dg = dGates + r * gateSize, dgh = dHiddenGates + r * gateSize
            for k in 0..<gateSize {
                biasIH[k] += dg[k]
                biasHH[k] += dgh[k]
            }
        }
        BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: gateSize, alpha: 1,
                   a: dGates, b: parameters + o.weightIH, beta: accumulate ? 1 : 0, c: inputGradient)
    }
}

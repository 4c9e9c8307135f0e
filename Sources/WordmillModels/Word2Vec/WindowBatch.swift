import WordmillNumerics

/// Skip-gram with negative sampling over one centre word's whole window at once, as Intel's
/// pWord2Vec (Ji et al. 2016) and BlazingText's `batch_skipgram` do: the window's m context
/// words predict the centre with one set of K noise words that they share, so the work is
/// three small matrix products instead of m·(K+1) separate dot products and updates:
///
///     F = I·Oᵀ (m × (K+1)),  G = (labels − σ(F))·α,  ΔI = G·O,  ΔO = Gᵀ·I
///
/// with I the context rows of the input vectors and O the centre's and the noise words' rows
/// of the output vectors, both taken before the update (per pair, word2vec.c updates the
/// output rows between one context word and the next). Each output row is then read and
/// written once per window instead of once per context word, and the products keep eight
/// floats of up to `block` output rows in registers while the context rows stream past.
enum WindowBatch {
    /// Output rows kept in registers at once.
    static let block = 6

    /// Fills `gradients` (m × outs, row-major) with (label − σ(f))·α for every context row
    /// and output row, label 1 for output 0 (the centre) and 0 for the rest; a saturated f
    /// (|f| ≥ maxExp) gets 0, as word2vec.c skips it. Returns the loss, −Σ log σ(±f) over the
    /// pairs that count.
    @inline(__always)
    static func gradients(
        inputs: UnsafePointer<UnsafeMutablePointer<Float>>, m: Int, outputs: UnsafePointer<UnsafeMutablePointer<Float>>, outs: Int,
        d: Int, alpha: Float, sigmoid: UnsafePointer<Float>, logSigmoid: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>
    ) -> Float {
        let maxExp = SigmoidTable.maxExp
        var loss: Float = 0
        for i in 0..<m {
            let input = inputs[i], row = gradients + i * outs
            var j = 0
            while j + 1 < outs {
                (row[j], row[j + 1]) = VectorKernels.dot2(input, outputs[j], outputs[j + 1], d)
                j += 2
            }
            if j < outs { row[j] = VectorKernels.dot(input, outputs[j], d) }
            for j in 0..<outs {
                let f = row[j]
                if f <= -maxExp || f >= maxExp {
                    row[j] = 0
                    continue
                }
                let label: Float = j == 0 ? 1 : 0
                let index = min(max(SigmoidTable.index(f), 0), SigmoidTable.size - 1)
                let negated = min(max(SigmoidTable.index(-f), 0), SigmoidTable.size - 1)
                loss -= logSigmoid[j == 0 ? index : negated]
                row[j] = (label - sigmoid[index]) * alpha
            }
        }
        return loss
    }

    /// Applies ΔI = G·O to the context rows and ΔO = Gᵀ·I to the output rows, both from the
    /// rows as they were before this call. `errors` is m × d scratch. The output rows must be
    /// distinct (a row listed twice would keep only one of its updates); context rows may
    /// repeat, each occurrence adding its own ΔI.
    @inline(__always)
    static func update(
        inputs: UnsafePointer<UnsafeMutablePointer<Float>>, m: Int, outputs: UnsafePointer<UnsafeMutablePointer<Float>>, outs: Int,
        gradients: UnsafePointer<Float>, d: Int, errors: UnsafeMutablePointer<Float>
    ) {
        let vectorEnd = d / 8 * 8
        var first = 0
        while first < outs {
            let count = min(block, outs - first)
            // Eight floats at a time: the block's output rows in registers, each context row read
            // once to add its share to the output rows and its error from them.
            var k = 0
            while k < vectorEnd {
                var o = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                func load(_ j: Int) -> SIMD8<Float> { UnsafeRawPointer(outputs[first + j] + k).loadUnaligned(as: SIMD8<Float>.self) }
                o.0 = load(0)
                if count > 1 { o.1 = load(1) }
                if count > 2 { o.2 = load(2) }
                if count > 3 { o.3 = load(3) }
                if count > 4 { o.4 = load(4) }
                if count > 5 { o.5 = load(5) }
                var n = o
                for i in 0..<m {
                    let g = gradients + i * outs + first
                    let x = UnsafeRawPointer(inputs[i] + k).loadUnaligned(as: SIMD8<Float>.self)
                    let target = UnsafeMutableRawPointer(errors + i * d + k)
                    var e = first == 0 ? SIMD8<Float>() : target.loadUnaligned(as: SIMD8<Float>.self)
                    e += g[0] * o.0
                    n.0 += g[0] * x
                    if count > 1 { e += g[1] * o.1; n.1 += g[1] * x }
                    if count > 2 { e += g[2] * o.2; n.2 += g[2] * x }
                    if count > 3 { e += g[3] * o.3; n.3 += g[3] * x }
                    if count > 4 { e += g[4] * o.4; n.4 += g[4] * x }
                    if count > 5 { e += g[5] * o.5; n.5 += g[5] * x }
                    target.storeBytes(of: e, as: SIMD8<Float>.self)
                }
                func store(_ j: Int, _ v: SIMD8<Float>) { UnsafeMutableRawPointer(outputs[first + j] + k).storeBytes(of: v, as: SIMD8<Float>.self) }
                store(0, n.0)
                if count > 1 { store(1, n.1) }
                if count > 2 { store(2, n.2) }
                if count > 3 { store(3, n.3) }
                if count > 4 { store(4, n.4) }
                if count > 5 { store(5, n.5) }
                k += 8
            }
            // The last d mod 8 floats one at a time, in the same order.
            for k in vectorEnd..<d {
                for j in 0..<count {
                    let row = outputs[first + j]
                    let o = row[k]
                    var n = o
                    for i in 0..<m {
                        let g = gradients[i * outs + first + j]
                        if j == 0 && first == 0 { errors[i * d + k] = 0 }
                        errors[i * d + k] += g * o
                        n += g * inputs[i][k]
                    }
                    row[k] = n
                }
            }
            first += count
        }
        for i in 0..<m { VectorKernels.axpy(1, errors + i * d, inputs[i], d) }
    }
}

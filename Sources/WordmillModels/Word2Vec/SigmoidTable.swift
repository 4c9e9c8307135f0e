/// word2vec.c's precomputed sigmoid: 1000 entries over [−6, 6], plus log σ for the loss.
/// Outside that range the gradient saturates exactly as in word2vec.c and gensim.
public struct SigmoidTable: Sendable {
    public static let maxExp: Float = 6
    public static let size = 1000
    let sigmoid: [Float]
    let logSigmoid: [Float]

    public init() {
        var s = [Float](repeating: 0, count: SigmoidTable.size)
        var l = [Float](repeating: 0, count: SigmoidTable.size)
        for i in 0..<SigmoidTable.size {
            let x = (Float(i) / Float(SigmoidTable.size) * 2 - 1) * SigmoidTable.maxExp
            let e = _exp(x)
            s[i] = e / (e + 1)
            l[i] = Float(_log(Double(s[i])))
        }
        sigmoid = s
        logSigmoid = l
    }

    @inline(__always)
    static func index(_ f: Float) -> Int { Int((f + SigmoidTable.maxExp) * (Float(SigmoidTable.size) / SigmoidTable.maxExp / 2)) }

    /// σ(f) for −6 < f < 6.
    @inline(__always)
    public func sigmoid(_ f: Float) -> Float { sigmoid.withUnsafeBufferPointer { $0[SigmoidTable.index(f)] } }

    /// log σ(f), clamped to the table's ends outside ±6.
    @inline(__always)
    public func logSigmoid(_ f: Float) -> Float {
        let i = min(max(SigmoidTable.index(f), 0), SigmoidTable.size - 1)
        return logSigmoid.withUnsafeBufferPointer { $0[i] }
    }
}

import Foundation
import WordmillNumerics

/// The negative-sampling noise distribution: P(w) ∝ count(w)^power (0.75 in word2vec.c and
/// gensim), sampled in O(1) with Vose's alias method (a table of V entries rather than
/// word2vec.c's 10⁸-entry unigram table).
public struct NoiseDistribution: Sendable {
    /// The exact probabilities, for tests and inspection.
    public let probabilities: [Double]
    let threshold: [UInt32]
    let alias: [Int32]

    public init(counts: [Int], power: Double = 0.75) {
        let weights = counts.map { $0 > 0 ? Foundation.pow(Double($0), power) : 0 }
        let total = weights.reduce(0, +)
        precondition(total > 0, "no word has a positive count")
        probabilities = weights.map { $0 / total }
        let n = counts.count
        var scaled = probabilities.map { $0 * Double(n) }
        var small: [Int] = [], large: [Int] = []
        for i in (0..<n).reversed() { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        var threshold = [UInt32](repeating: UInt32.max, count: n)
        var alias = [Int32](repeating: 0, count: n)
        for i in 0..<n { alias[i] = Int32(i) }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            threshold[s] = UInt32(min(scaled[s] * 4_294_967_296.0, 4_294_967_295.0))
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        self.threshold = threshold
        self.alias = alias
    }

    /// Draws one word id.
    @inline(__always)
    public func sample(_ rng: inout RandomGenerator) -> Int32 {
        let r = rng.next()
        let column = Int(((r >> 32) &* UInt64(threshold.count)) >> 32)
        return UInt32(truncatingIfNeeded: r) < threshold[column] ? Int32(column) : alias[column]
    }
}

/// word2vec.c's frequent-word subsampling: a word with count c in a corpus of T words is
/// kept with probability (√(c / (s·T)) + 1) · (s·T) / c, capped at 1 (s = `sample`;
/// gensim uses the same formula). Stored as 32-bit thresholds for a fast comparison.
public struct Subsampling: Sendable {
    public let keepProbabilities: [Double]
    let thresholds: [UInt32]

    /// `sample` 0 keeps every word.
    public init(counts: [Int], sample: Double) {
        let total = Double(counts.reduce(0, +))
        keepProbabilities = counts.map { c in
            guard sample > 0, c > 0 else { return 1 }
            let threshold = sample * total
            return min(1, ((Double(c) / threshold).squareRoot() + 1) * threshold / Double(c))
        }
        thresholds = keepProbabilities.map { $0 >= 1 ? UInt32.max : UInt32($0 * 4_294_967_296.0) }
    }
}

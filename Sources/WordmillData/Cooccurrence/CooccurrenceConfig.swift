/// How co-occurrences are counted (Stanford GloVe's `cooccur`).
public struct CooccurrenceConfig: Sendable, Equatable {
    public enum Weighting: String, Sendable, CaseIterable {
        /// A pair d words apart adds 1/d (GloVe's `cooccur`).
        case harmonic
        /// Every pair in the window adds 1.
        case flat
    }

    /// Words on each side (symmetric) or before (not symmetric) a word.
    public var window: Int
    /// Count (w1, w2) and (w2, w1) for each pair (GloVe's `-symmetric 1`); false counts only
    /// (earlier word, later word).
    public var symmetric: Bool
    public var weighting: Weighting
    /// Memory for counting; beyond it sorted runs are spilled to disk and merged.
    public var memoryBytes: Int

    public init(window: Int = 10, symmetric: Bool = true, weighting: Weighting = .harmonic, memoryBytes: Int = 1 << 30) {
        self.window = window
        self.symmetric = symmetric
        self.weighting = weighting
        self.memoryBytes = memoryBytes
    }

    /// Counts are kept as integers in units of 1/`unit`: with harmonic weighting `unit` is
    /// lcm(1…window), so every 1/d is a whole number of units and sums are exact whatever
    /// their order — runs, threads and shards merge to the same counts.
    public var unit: UInt64 {
        guard weighting == .harmonic else { return 1 }
        var l: UInt64 = 1
        for d in 1...UInt64(window) { l = l / gcd(l, d) * d }
        return l
    }

    /// The largest window whose harmonic units stay exact (lcm(1…20) ≈ 2.3·10⁸ leaves room
    /// for 8·10¹⁰ unit-weight occurrences of one pair).
    public static let maximumHarmonicWindow = 20

    private func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }
}

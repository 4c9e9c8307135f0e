/// Settings of word2vec at corpus scale (negative sampling or hierarchical softmax),
/// with word2vec.c's and gensim's defaults and meanings.
public struct Word2VecConfig: Sendable {
    public enum Architecture: String, Sendable { case cbow, skipgram }
    public enum Objective: Sendable, Equatable {
        /// Negative sampling with this many noise words per prediction.
        case negative(Int)
        /// Hierarchical softmax over a Huffman tree.
        case hierarchical
    }

    public var architecture: Architecture
    public var objective: Objective
    public var dim: Int
    /// The largest window; each centre draws a reduced window uniformly from 1...window.
    public var window: Int
    public var lr: Float
    public var minLr: Float
    public var epochs: Int
    /// Frequent-word subsampling threshold (0: off).
    public var sample: Double
    /// CBOW averages the context vectors (word2vec.c, gensim default) instead of summing.
    public var cbowMean: Bool
    public var threads: Int
    public var seed: UInt64
    /// Longer documents are cut into pieces of this many words (gensim's 10000).
    public var maxDocumentLength: Int
    /// Skip-gram with negative sampling: each centre word draws one set of noise words that
    /// its whole window shares, and the window trains as small matrix products (`WindowBatch`,
    /// pWord2Vec's scheme) instead of word2vec.c's pair after pair.
    public var sharedNegatives: Bool
    /// The noise distribution's exponent: P(w) ∝ count(w)^noisePower (word2vec 0.75, fastText 0.5).
    public var noisePower: Double
    /// fastText's subword model: each word's input is the mean of its own row and its character
    /// n-grams' rows (`FastTextSubwords`); nil for word2vec.
    public var subwords: SubwordSettings?

    /// fastText's character n-gram settings.
    public struct SubwordSettings: Sendable, Equatable {
        public var minn: Int
        public var maxn: Int
        public var bucket: Int
        public init(minn: Int, maxn: Int, bucket: Int) { (self.minn, self.maxn, self.bucket) = (minn, maxn, bucket) }
    }

    public init(
        architecture: Architecture, objective: Objective = .negative(5), dim: Int = 100, window: Int = 5, lr: Float = 0.025,
        minLr: Float = 0.0001, epochs: Int = 5, sample: Double = 1e-3, cbowMean: Bool = true, threads: Int = 1, seed: UInt64 = 1,
        maxDocumentLength: Int = 10_000, sharedNegatives: Bool = false, noisePower: Double = 0.75, subwords: SubwordSettings? = nil
    ) {
        precondition(!sharedNegatives || architecture == .skipgram, "shared negatives are a skip-gram scheme")
        precondition(!sharedNegatives || subwords == nil, "the subword model draws noise words per pair")
        self.architecture = architecture
        self.objective = objective
        self.dim = dim
        self.window = window
        self.lr = lr
        self.minLr = minLr
        self.epochs = epochs
        self.sample = sample
        self.cbowMean = cbowMean
        self.threads = threads
        self.seed = seed
        self.maxDocumentLength = maxDocumentLength
        self.sharedNegatives = sharedNegatives
        self.noisePower = noisePower
        self.subwords = subwords
    }

    /// The learning rate after `progress` (0…1) of all epochs' words: linear decay to `minLr`.
    public func learningRate(progress: Double) -> Float {
        max(minLr, lr - (lr - minLr) * Float(min(max(progress, 0), 1)))
    }
}

/// What a corpus-scale trainer reads: the id stream in parts (frames), shared out among threads.
public struct Word2VecCorpus: Sendable {
    /// How many parts the stream has; a part is the unit a thread takes.
    public let partCount: Int
    /// Words in the whole stream (before subsampling), for the learning-rate schedule.
    public let totalWords: Int
    /// Calls the closure with each document of a part, in order.
    public let forEachDocument: @Sendable (_ part: Int, _ body: (UnsafeBufferPointer<Int32>) throws -> Void) throws -> Void

    public init(partCount: Int, totalWords: Int, forEachDocument: @escaping @Sendable (Int, (UnsafeBufferPointer<Int32>) throws -> Void) throws -> Void) {
        self.partCount = partCount
        self.totalWords = totalWords
        self.forEachDocument = forEachDocument
    }

    /// A corpus held in memory as documents (tests, small data); one part per document group.
    public static func inMemory(_ documents: [[Int32]], parts: Int = 1) -> Word2VecCorpus {
        let groups = (0..<max(1, parts)).map { p in stride(from: p, to: documents.count, by: max(1, parts)).map { documents[$0] } }
        return Word2VecCorpus(partCount: groups.count, totalWords: documents.reduce(0) { $0 + $1.count }) { part, body in
            for d in groups[part] { try d.withUnsafeBufferPointer { try body($0) } }
        }
    }
}

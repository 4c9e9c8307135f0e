/// A document-frequency limit in scikit-learn's convention: a count of documents, or a
/// proportion of the training documents.
public enum DocumentFrequencyLimit: Sendable, Equatable {
    case count(Int)
    case fraction(Double)

    /// The limit in documents for a training set of `documents` (may be fractional, as in scikit-learn).
    public func documents(of documents: Int) -> Double {
        switch self {
        case .count(let n): return Double(n)
        case .fraction(let f): return f * Double(documents)
        }
    }
}

/// How token documents become rows of a document-term matrix (scikit-learn's
/// `CountVectorizer` / `TfidfVectorizer` settings).
public struct BagOfWordsConfig: Sendable, Equatable {
    public enum Weighting: String, Sendable, CaseIterable { case counts, tfidf }

    /// Word n-gram lengths: `1...1` unigrams only, `1...2` unigrams and bigrams.
    public var ngramRange: ClosedRange<Int>
    /// Keep features in at least this many training documents.
    public var minDF: DocumentFrequencyLimit
    /// Keep features in at most this many training documents (nil: no limit).
    public var maxDF: DocumentFrequencyLimit?
    /// Keep only the most frequent features (by count over the training documents).
    public var maxFeatures: Int?
    /// Every nonzero count becomes 1.
    public var binary: Bool
    public var weighting: Weighting
    /// N-grams (n ≥ 2) also need this many occurrences and documents.
    public var ngramMinCount: Int
    public var ngramMinDF: Int

    public init(
        ngramRange: ClosedRange<Int> = 1...1, minDF: DocumentFrequencyLimit = .count(1), maxDF: DocumentFrequencyLimit? = nil,
        maxFeatures: Int? = nil, binary: Bool = false, weighting: Weighting = .counts, ngramMinCount: Int = 1, ngramMinDF: Int = 1
    ) {
        self.ngramRange = ngramRange
        self.minDF = minDF
        self.maxDF = maxDF
        self.maxFeatures = maxFeatures
        self.binary = binary
        self.weighting = weighting
        self.ngramMinCount = ngramMinCount
        self.ngramMinDF = ngramMinDF
    }
}

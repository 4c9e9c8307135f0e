import Foundation
import WordmillText

/// Chooses a bag-of-words model's features from the training documents, as scikit-learn's
/// `CountVectorizer.fit` does: unigram candidates are the vocabulary's entries (specials
/// excepted), n-gram candidates every n-gram seen (with `ngramMinCount`/`ngramMinDF`); then
/// `min_df`/`max_df` on document frequency, then the `maxFeatures` most frequent.
///
/// Feature order: the vocabulary's order (count descending), then n-grams by count
/// descending, ties in first-seen order. `maxFeatures` ties keep the earlier feature.
public struct BagOfWordsVocabulary {
    public private(set) var features: [String] = []
    public private(set) var ngramLengths: [UInt8] = []
    /// Training documents holding each feature.
    public private(set) var documentFrequencies: [Int] = []
    /// Occurrences of each feature over the training documents.
    public private(set) var termFrequencies: [Int] = []
    /// Training documents seen.
    public private(set) var trainingDocuments = 0

    private let config: BagOfWordsConfig
    private let vocabulary: Vocabulary
    private var unigramTF: [Int]
    private var unigramDF: [Int]
    private var unigramSeenIn: [Int32]
    private var ngramTable = TokenTable(capacity: 1 << 16)
    private var ngramN: [UInt8] = []
    private var ngramTF: [Int] = []
    private var ngramDF: [Int] = []
    private var ngramSeenIn: [Int32] = []
    private var key: [UInt8] = []

    public init(vocabulary: Vocabulary, config: BagOfWordsConfig) {
        self.vocabulary = vocabulary
        self.config = config
        unigramTF = [Int](repeating: 0, count: vocabulary.count)
        unigramDF = unigramTF
        unigramSeenIn = [Int32](repeating: -1, count: vocabulary.count)
    }

    /// Takes the unigram statistics from the vocabulary itself — its counts and document
    /// counts over the same `trainingDocuments` — instead of counting documents with `add`.
    /// Only for unigram features (n-grams need a pass over the documents).
    public mutating func useVocabularyStatistics(trainingDocuments: Int) {
        precondition(config.ngramRange == 1...1 && vocabulary.documentCounts.count == vocabulary.count)
        unigramTF = vocabulary.counts
        unigramDF = vocabulary.documentCounts
        self.trainingDocuments = trainingDocuments
    }

    /// Counts one training document.
    public mutating func add(_ document: UnsafeBufferPointer<UnsafeRawBufferPointer>) {
        let stamp = Int32(truncatingIfNeeded: trainingDocuments)
        trainingDocuments += 1
        if config.ngramRange.contains(1) {
            for t in document {
                guard let id = vocabulary.id(of: t), Int(id) >= vocabulary.specialCount else { continue }
                unigramTF[Int(id)] += 1
                if unigramSeenIn[Int(id)] != stamp {
                    unigramSeenIn[Int(id)] = stamp
                    unigramDF[Int(id)] += 1
                }
            }
        }
        guard config.ngramRange.upperBound >= 2 else { return }
        for n in max(2, config.ngramRange.lowerBound)...config.ngramRange.upperBound where n <= document.count {
            for start in 0...(document.count - n) {
                NGram.key(document, start, n, into: &key)
                let (id, inserted) = key.withUnsafeBytes { ngramTable.insert($0) }
                let i = Int(id)
                if inserted {
                    ngramN.append(UInt8(n))
                    ngramTF.append(0)
                    ngramDF.append(0)
                    ngramSeenIn.append(-1)
                }
                ngramTF[i] += 1
                if ngramSeenIn[i] != stamp {
                    ngramSeenIn[i] = stamp
                    ngramDF[i] += 1
                }
            }
        }
    }

    /// Applies the limits and fixes the feature list. Throws when no feature is left or the
    /// limits contradict each other.
    public mutating func finish() throws(BagOfWordsError) {
        var candidates: [(name: String, n: UInt8, tf: Int, df: Int)] = []
        if config.ngramRange.contains(1) {
            for id in vocabulary.specialCount..<vocabulary.count {
                candidates.append((vocabulary.tokens[id], 1, unigramTF[id], unigramDF[id]))
            }
        }
        var order = Array(ngramN.indices).filter { ngramTF[$0] >= config.ngramMinCount && ngramDF[$0] >= config.ngramMinDF }
        order.sort { ngramTF[$0] != ngramTF[$1] ? ngramTF[$0] > ngramTF[$1] : $0 < $1 }
        for i in order { candidates.append((ngramTable.string(i), ngramN[i], ngramTF[i], ngramDF[i])) }
        ngramTable = TokenTable()
        let minimum = config.minDF.documents(of: trainingDocuments)
        let maximum = config.maxDF?.documents(of: trainingDocuments) ?? .infinity
        if maximum < minimum { throw .limits("max_df corresponds to \(maximum) documents, fewer than min_df's \(minimum)") }
        candidates.removeAll { Double($0.df) < minimum || Double($0.df) > maximum }
        if let limit = config.maxFeatures, candidates.count > limit {
            let keep = Array(candidates.indices).sorted { candidates[$0].tf != candidates[$1].tf ? candidates[$0].tf > candidates[$1].tf : $0 < $1 }.prefix(limit).sorted()
            candidates = keep.map { candidates[$0] }
        }
        if candidates.isEmpty { throw .noFeatures("no feature is left after min_df, max_df and the vocabulary's limits (\(trainingDocuments) training documents)") }
        features = candidates.map(\.name)
        ngramLengths = candidates.map(\.n)
        termFrequencies = candidates.map(\.tf)
        documentFrequencies = candidates.map(\.df)
    }

    /// scikit-learn's smooth idf: ln((1 + n) / (1 + df)) + 1.
    public var smoothIDF: [Double] {
        documentFrequencies.map { Foundation.log(Double(1 + trainingDocuments) / Double(1 + $0)) + 1 }
    }

    /// The featurizer for the chosen features.
    public func featurizer() -> BagOfWordsFeaturizer {
        BagOfWordsFeaturizer(features: features, ngramLengths: ngramLengths, ngramRange: config.ngramRange, binary: config.binary,
                             idf: config.weighting == .tfidf ? smoothIDF : nil)
    }
}

/// Why a bag-of-words dataset cannot be built or read.
public enum BagOfWordsError: Error, CustomStringConvertible {
    case limits(String)
    case noFeatures(String)
    public var description: String {
        switch self {
        case .limits(let s), .noFeatures(let s): return s
        }
    }
}

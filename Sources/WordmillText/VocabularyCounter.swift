/// Counts tokens in first-seen order; memory grows with distinct tokens, not the corpus.
public struct VocabularyCounter {
    private var index: [String: Int] = [:]
    public private(set) var tokens: [String] = []
    public private(set) var counts: [Int] = []
    public private(set) var total = 0

    public init() {}

    /// Counts one token given as UTF-8 bytes.
    @inline(__always)
    public mutating func add(_ token: UnsafeRawBufferPointer) {
        add(String(decoding: token, as: UTF8.self))
    }

    /// Counts one token.
    public mutating func add(_ token: String, count: Int = 1) {
        total += count
        if let i = index[token] {
            counts[i] += count
        } else {
            index[token] = tokens.count
            tokens.append(token)
            counts.append(count)
        }
    }

    /// The vocabulary: `specials` first, then tokens with at least `minCount` occurrences
    /// by count descending, ties in first-seen order (the lecture's `w2i`), cut to `maxSize`
    /// entries in all (specials included) when given.
    public func vocabulary(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> Vocabulary {
        let specialSet = Set(specials)
        var order = Array(tokens.indices).filter { counts[$0] >= minCount && !specialSet.contains(tokens[$0]) }
        order.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var words = specials
        var wordCounts = specials.map { s in index[s].map { counts[$0] } ?? 0 }
        for i in order {
            if let maxSize, words.count >= maxSize { break }
            words.append(tokens[i])
            wordCounts.append(counts[i])
        }
        return Vocabulary(tokens: words, counts: wordCounts, specialCount: specials.count)
    }
}

/// Counts tokens in first-seen order; memory grows with distinct tokens, not the corpus.
public struct VocabularyCounter {
    private var table = TokenTable(capacity: 1 << 16)
    public private(set) var counts: [Int] = []
    public private(set) var total = 0

    public init() {}

    /// Number of distinct tokens seen.
    public var distinct: Int { counts.count }

    /// The distinct tokens in first-seen order.
    public var tokens: [String] { (0..<table.count).map { table.string($0) } }

    /// Counts one token given as UTF-8 bytes.
    @inline(__always)
    public mutating func add(_ token: UnsafeRawBufferPointer) {
        total += 1
        let (id, inserted) = table.insert(token)
        if inserted { counts.append(1) } else { counts[Int(id)] += 1 }
    }

    /// Counts one token.
    public mutating func add(_ token: String, count: Int = 1) {
        total += count
        let (id, inserted) = table.insert(token)
        if inserted { counts.append(count) } else { counts[Int(id)] += count }
    }

    /// The vocabulary: `specials` first, then tokens with at least `minCount` occurrences
    /// by count descending, ties in first-seen order (the lecture's `w2i`), cut to `maxSize`
    /// entries in all (specials included) when given.
    public func vocabulary(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> Vocabulary {
        let specialIds = Set(specials.compactMap { table.find($0).map(Int.init) })
        var order = Array(counts.indices).filter { counts[$0] >= minCount && !specialIds.contains($0) }
        order.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var words = specials
        var wordCounts = specials.map { s in table.find(s).map { counts[Int($0)] } ?? 0 }
        for i in order {
            if let maxSize, words.count >= maxSize { break }
            words.append(table.string(i))
            wordCounts.append(counts[i])
        }
        return Vocabulary(tokens: words, counts: wordCounts, specialCount: specials.count)
    }
}

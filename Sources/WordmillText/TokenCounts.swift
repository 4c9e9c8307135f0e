/// What a `VocabularyCounter` counted, as plain arrays: the distinct tokens' bytes in
/// first-seen order, with their occurrences and the documents holding each. This is what
/// a `tokens` artifact stores of its training documents and what `vocab` selects from.
public struct TokenCounts: Sendable, Equatable {
    /// All tokens' bytes back to back; token `i` ends at `ends[i]`.
    public var bytes: [UInt8]
    public var ends: [Int]
    public var occurrences: [Int]
    public var documentCounts: [Int]
    /// Documents counted.
    public var documents: Int

    public init(bytes: [UInt8], ends: [Int], occurrences: [Int], documentCounts: [Int], documents: Int) {
        precondition(ends.count == occurrences.count && ends.count == documentCounts.count)
        self.bytes = bytes
        self.ends = ends
        self.occurrences = occurrences
        self.documentCounts = documentCounts
        self.documents = documents
    }

    /// Number of distinct tokens.
    public var distinct: Int { ends.count }

    /// All occurrences.
    public var total: Int { occurrences.reduce(0, +) }

    /// The bytes of token `id`.
    public func key(_ id: Int) -> ArraySlice<UInt8> { bytes[(id == 0 ? 0 : ends[id - 1])..<ends[id]] }

    /// The distinct tokens in first-seen order.
    public var tokens: [String] { (0..<distinct).map { token($0) } }

    /// Token `id` as a string.
    public func token(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The id of `token` (a linear scan: for the few specials a vocabulary names).
    public func find(_ token: String) -> Int? {
        let target = Array(token.utf8)
        return (0..<distinct).first { id in
            let start = id == 0 ? 0 : ends[id - 1]
            return ends[id] - start == target.count && bytes[start..<ends[id]].elementsEqual(target)
        }
    }

    /// The vocabulary's entries: `specials` first (with the counter's id where a special was
    /// counted), then the ids of tokens with at least `minCount` occurrences by count
    /// descending, ties in first-seen order (the lecture's `w2i`), cut to `maxSize` entries
    /// in all (specials included) when given.
    public func selection(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> (specials: [Int?], ids: [Int]) {
        let specialIds = specials.map { find($0) }
        var order = Self.rankByCount(occurrences, minCount: minCount, excluding: Set(specialIds.compactMap { $0 }))
        if let maxSize { order = Array(order.prefix(max(0, maxSize - specials.count))) }
        return (specialIds, order)
    }

    /// The ids with at least `minCount` occurrences, `excluding` left out, by count
    /// descending, ties in id order. Counts below 2¹⁶ (all but a few hundred tokens of a
    /// Zipfian vocabulary) are placed by a counting sort, in two passes over the ids; the few
    /// above come first, sorted by comparison. (A comparison sort of all 169 k gcide tokens
    /// took 8 ms, looking counts up at random.)
    static func rankByCount(_ occurrences: [Int], minCount: Int, excluding: Set<Int>) -> [Int] {
        let small = 1 << 16
        var big: [Int] = []
        var runs = [Int](repeating: 0, count: small)
        var kept = 0
        for (id, c) in occurrences.enumerated() where c >= minCount && (excluding.isEmpty || !excluding.contains(id)) {
            if c >= small { big.append(id) } else { runs[c] += 1 }
            kept += 1
        }
        big.sort { occurrences[$0] != occurrences[$1] ? occurrences[$0] > occurrences[$1] : $0 < $1 }
        // Where each count's run starts: after the big ones, larger counts first.
        var at = big.count
        for c in stride(from: small - 1, through: max(minCount, 0), by: -1) where runs[c] > 0 {
            let n = runs[c]
            runs[c] = at
            at += n
        }
        var order = [Int](repeating: 0, count: kept)
        for i in 0..<big.count { order[i] = big[i] }
        for (id, c) in occurrences.enumerated() where c >= minCount && c < small && (excluding.isEmpty || !excluding.contains(id)) {
            order[runs[c]] = id
            runs[c] += 1
        }
        return order
    }

    /// The vocabulary `selection` describes.
    public func vocabulary(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> Vocabulary {
        let (specialIds, ids) = selection(minCount: minCount, maxSize: maxSize, specials: specials)
        return Vocabulary(tokens: specials + ids.map { token($0) },
                          counts: specialIds.map { $0.map { occurrences[$0] } ?? 0 } + ids.map { occurrences[$0] },
                          specialCount: specials.count,
                          documentCounts: specialIds.map { $0.map { documentCounts[$0] } ?? 0 } + ids.map { documentCounts[$0] })
    }
}

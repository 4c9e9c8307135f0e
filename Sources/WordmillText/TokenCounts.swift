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
        let specialSet = Set(specialIds.compactMap { $0 })
        var order = (0..<distinct).filter { occurrences[$0] >= minCount && !specialSet.contains($0) }
        order.sort { occurrences[$0] != occurrences[$1] ? occurrences[$0] > occurrences[$1] : $0 < $1 }
        if let maxSize { order = Array(order.prefix(max(0, maxSize - specials.count))) }
        return (specialIds, order)
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

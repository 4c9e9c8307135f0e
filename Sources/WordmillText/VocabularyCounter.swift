/// Counts tokens in first-seen order; memory grows with distinct tokens, not the corpus.
public struct VocabularyCounter {
    private var table = TokenTable(capacity: 1 << 16)
    /// Per token: occurrences, documents holding it, and the last document it was seen in
    /// (one array, so the hot loop touches one cache line and one buffer per token).
    private struct Entry {
        var count: Int
        var documents: Int32
        var seenIn: Int32
    }
    private var entries: [Entry] = []
    /// Documents ended so far.
    public private(set) var documents = 0
    public private(set) var total = 0

    public init() {}

    /// Number of distinct tokens seen.
    public var distinct: Int { entries.count }

    /// Occurrences of each distinct token, in first-seen order.
    public var counts: [Int] { entries.map(\.count) }

    /// Documents holding each distinct token (with `endDocument` called after each document).
    public var documentCounts: [Int] { entries.map { Int($0.documents) } }

    /// The distinct tokens in first-seen order.
    public var tokens: [String] { (0..<table.count).map { table.string($0) } }

    /// Counts one token given as UTF-8 bytes.
    @inline(__always)
    public mutating func add(_ token: UnsafeRawBufferPointer) {
        count(table.insert(token), 1)
    }

    /// Counts one token.
    public mutating func add(_ token: String, count n: Int = 1) {
        count(table.insert(token), n)
    }

    /// Marks the end of a document, for the document counts.
    public mutating func endDocument() { documents += 1 }

    /// Adds the counts of another counter that saw the documents right after this one's
    /// (a later part of the same stream): tokens new to this counter join in `other`'s
    /// first-seen order, so merging parts in stream order equals counting the whole.
    public mutating func merge(_ other: VocabularyCounter) {
        for id in 0..<other.distinct {
            let entry = other.table.key(id).withUnsafeBytes { table.insert($0) }
            let theirs = other.entries[id]
            total += theirs.count
            if entry.inserted {
                entries.append(Entry(count: theirs.count, documents: theirs.documents, seenIn: -1))
            } else {
                entries[Int(entry.id)].count += theirs.count
                entries[Int(entry.id)].documents += theirs.documents
            }
        }
        documents += other.documents
    }

    @inline(__always)
    private mutating func count(_ entry: (id: Int32, inserted: Bool), _ n: Int) {
        total += n
        let stamp = Int32(truncatingIfNeeded: documents)
        if entry.inserted {
            entries.append(Entry(count: n, documents: 1, seenIn: stamp))
            return
        }
        entries.withUnsafeMutableBufferPointer { e in
            let i = Int(entry.id)
            e[i].count += n
            if e[i].seenIn != stamp {
                e[i].seenIn = stamp
                e[i].documents += 1
            }
        }
    }

    /// The vocabulary: `specials` first, then tokens with at least `minCount` occurrences
    /// by count descending, ties in first-seen order (the lecture's `w2i`), cut to `maxSize`
    /// entries in all (specials included) when given.
    public func vocabulary(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> Vocabulary {
        let counts = self.counts, documentCounts = self.documentCounts
        let specialIds = Set(specials.compactMap { table.find($0).map(Int.init) })
        var order = Array(counts.indices).filter { counts[$0] >= minCount && !specialIds.contains($0) }
        order.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var words = specials
        var wordCounts = specials.map { s in table.find(s).map { counts[Int($0)] } ?? 0 }
        var wordDocuments = specials.map { s in table.find(s).map { documentCounts[Int($0)] } ?? 0 }
        for i in order {
            if let maxSize, words.count >= maxSize { break }
            words.append(table.string(i))
            wordCounts.append(counts[i])
            wordDocuments.append(documentCounts[i])
        }
        return Vocabulary(tokens: words, counts: wordCounts, specialCount: specials.count, documentCounts: wordDocuments)
    }
}

import CPrefetch
import CTokenCount
import WordmillArtifacts

/// Counts tokens (occurrences, and documents holding each) in first-seen order; memory grows
/// with distinct tokens, not the corpus.
///
/// Built for corpora whose rare tokens do not fit in cache: each distinct token owns one
/// 64-byte slot (one cache line) holding its hash tag, its first 24 bytes and its counts, so
/// counting a token touches one line, and a batch of tokens (`addDocuments`) prefetches the
/// slots a few tokens ahead, so waiting for memory overlaps instead of adding up. Open
/// addressing with linear probing, at most 70 % full: a probe often goes on to the next slot,
/// so the prefetch takes a token's home slot and the one after it. The batch loop for tokens
/// already in the table is C (`CTokenCount`); new and long tokens come back to `count`.
public struct VocabularyCounter {
    /// Eight words per slot: 0 the hash's top 24 bits << 40 | min(length, 255) << 32 |
    /// (id + 1), 0 when empty; 1–3 the key's first 24 bytes, zero-padded; 4 occurrences;
    /// 5 documents (low 32 bits) | last document seen + 1 (high 32); 6 the full hash; 7 unused
    /// (a slot is a whole cache line).
    private var slots: [UInt64]
    private var mask: Int
    /// All keys' bytes back to back, in first-seen order.
    private var arena: [UInt8] = []
    /// Per id, where its key ends in `arena` (it starts where the previous one ends).
    private var ends: [Int] = []
    /// Tokens waiting in a batch: where each starts in the records, its length, its document's
    /// stamp and its hash. Kept between batches so a batch allocates nothing.
    private var pending: [wordmill_pending_token] = []
    /// Which tokens of a batch the kernel left for `count`.
    private var deferred: [Int32] = []

    /// Documents ended so far.
    public private(set) var documents = 0
    public private(set) var total = 0

    /// An empty counter; `capacity` sizes its table for that many distinct tokens (it grows
    /// past it), so a counter of a small corpus starts small.
    public init(capacity: Int = 4096) {
        let size = VocabularyCounter.tableSize(for: capacity)
        slots = [UInt64](repeating: 0, count: 8 * size)
        mask = size - 1
    }

    /// Number of distinct tokens seen.
    public var distinct: Int { ends.count }

    /// The bytes of token `id`.
    public func key(_ id: Int) -> ArraySlice<UInt8> { arena[(id == 0 ? 0 : ends[id - 1])..<ends[id]] }

    /// Counts one token `n` times.
    public mutating func add(_ token: String, count n: Int = 1) {
        reserve(1)
        let stamp = UInt64(UInt32(truncatingIfNeeded: documents + 1))
        var token = token
        token.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            _ = slots.withUnsafeMutableBufferPointer { s in
                VocabularyCounter.count(raw, readable: raw.count, hash: VocabularyCounter.hash(raw, readable: raw.count), occurrences: UInt64(n),
                                        stamp: stamp, in: s.baseAddress!, mask: mask, arena: &arena, ends: &ends)
            }
        }
        total += n
    }

    /// Marks the end of a document, for the document counts.
    public mutating func endDocument() { documents += 1 }

    /// Counts the tokens of `tokens` records (each a varint token count, then that many
    /// varint-length-prefixed tokens, as the `tokens` artifact stores documents): document
    /// `i` of them counts, as one document, when `include(i)` says so. Returns how many
    /// records there were.
    @discardableResult
    public mutating func addDocuments(_ records: UnsafeRawBufferPointer, include: (Int) -> Bool) throws(RecordDecoder.Malformed) -> Int {
        guard let base = records.baseAddress, !records.isEmpty else { return 0 }
        var decoder = RecordDecoder(records)
        var record = 0
        // The batch buffer is taken out of `self` while it fills, so counting a full batch
        // (which mutates `self`) does not overlap an access to it.
        var batch = pending.count == VocabularyCounter.batchTokens ? pending : [wordmill_pending_token](repeating: wordmill_pending_token(), count: VocabularyCounter.batchTokens)
        pending = []
        defer { pending = batch }
        try batch.withUnsafeMutableBufferPointer { (batch) throws(RecordDecoder.Malformed) in
            var n = 0
            while !decoder.isAtEnd {
                let count = try decoder.varint()
                let counted = include(record)
                let stamp = UInt32(truncatingIfNeeded: documents &+ 1)
                for _ in 0..<count {
                    let token = try decoder.string()
                    guard counted else { continue }
                    batch[n] = wordmill_pending_token(start: Int64(decoder.offset &- token.count), length: UInt32(truncatingIfNeeded: token.count), stamp: stamp, hash: 0)
                    n &+= 1
                    if n == batch.count {
                        countBatch(batch.baseAddress!, n, records: base, size: records.count)
                        n = 0
                    }
                }
                if counted { documents += 1 }
                record += 1
            }
            if n > 0 { countBatch(batch.baseAddress!, n, records: base, size: records.count) }
        }
        return record
    }

    /// Tokens counted per batch: the table is grown for this many new keys before a batch.
    private static let batchTokens = 4096
    /// How many tokens ahead `merge` prefetches slots (`wordmill_count_known` uses the same).
    private static let prefetchDistance = 16

    /// Counts the first `m` tokens of `batch` (in `records`, `size` bytes): the C kernel
    /// counts those the table holds, prefetching slots ahead, and hands back the rest (new
    /// tokens and tokens longer than a slot's 24 bytes), which are counted here in order.
    private mutating func countBatch(_ batch: UnsafeMutablePointer<wordmill_pending_token>, _ m: Int, records: UnsafeRawPointer, size: Int) {
        reserve(m)
        total += m
        let mask = UInt64(self.mask)
        if deferred.count < m { deferred = [Int32](repeating: 0, count: VocabularyCounter.batchTokens) }
        slots.withUnsafeMutableBufferPointer { s in
            deferred.withUnsafeMutableBufferPointer { d in
                let late = wordmill_count_known(s.baseAddress!, mask, records.assumingMemoryBound(to: UInt8.self), size, batch, m, d.baseAddress!)
                for i in 0..<late {
                    let t = batch[Int(d[i])]
                    let start = Int(t.start)
                    let key = UnsafeRawBufferPointer(start: records + start, count: Int(t.length))
                    let h = t.length <= 24 ? t.hash : VocabularyCounter.hash(key, readable: size - start)
                    VocabularyCounter.count(key, readable: size - start, hash: h, occurrences: 1, stamp: UInt64(t.stamp), in: s.baseAddress!,
                                            mask: Int(mask), arena: &arena, ends: &ends)
                }
            }
        }
    }

    /// Adds the counts of another counter that saw the documents right after this one's
    /// (a later part of the same stream): tokens new to this counter join in `other`'s
    /// first-seen order, so merging parts in stream order equals counting the whole.
    public mutating func merge(_ other: VocabularyCounter) {
        let order = other.slotsById()
        let ahead = VocabularyCounter.prefetchDistance
        for batch in stride(from: 0, to: order.count, by: VocabularyCounter.batchTokens) {
            let end = min(order.count, batch + VocabularyCounter.batchTokens)
            reserve(end - batch)
            let mask = self.mask
            other.slots.withUnsafeBufferPointer { theirs in
                other.arena.withUnsafeBytes { theirArena in
                    slots.withUnsafeMutableBufferPointer { s in
                        let slots = s.baseAddress!
                        for id in batch..<end {
                            if id + ahead < end {
                                let h = theirs[8 * Int(order[id + ahead]) + 6]
                                wordmill_prefetch(slots + 8 * (Int(truncatingIfNeeded: h) & mask), 128)
                            }
                            let slot = 8 * Int(order[id])
                            let key = UnsafeRawBufferPointer(rebasing: theirArena[(id == 0 ? 0 : other.ends[id - 1])..<other.ends[id]])
                            let mine = VocabularyCounter.count(key, readable: key.count, hash: theirs[slot + 6], occurrences: theirs[slot + 4], stamp: 0, in: slots, mask: mask, arena: &arena, ends: &ends)
                            // Their documents add up; their stamp means nothing here (0: none).
                            slots[mine + 5] = (slots[mine + 5] & 0xFFFF_FFFF) + (theirs[slot + 5] & 0xFFFF_FFFF)
                        }
                    }
                }
            }
        }
        total += other.total
        documents += other.documents
    }

    /// Adds the counts of a later part of the same stream that were stored (a shard's), as
    /// `merge` does: merging the parts' counts in stream order equals counting the whole.
    public mutating func merge(_ other: TokenCounts) {
        other.bytes.withUnsafeBytes { theirArena in
            for id in 0..<other.distinct {
                reserve(1)
                let key = UnsafeRawBufferPointer(rebasing: theirArena[(id == 0 ? 0 : other.ends[id - 1])..<other.ends[id]])
                let mask = self.mask
                slots.withUnsafeMutableBufferPointer { s in
                    let slots = s.baseAddress!
                    let mine = VocabularyCounter.count(key, readable: key.count, hash: VocabularyCounter.hash(key, readable: key.count), occurrences: UInt64(other.occurrences[id]),
                                                       stamp: 0, in: slots, mask: mask, arena: &arena, ends: &ends)
                    slots[mine + 5] = (slots[mine + 5] & 0xFFFF_FFFF) + UInt64(other.documentCounts[id])
                }
            }
        }
        total += other.total
        documents += other.documents
    }

    /// Counts `occurrences` of a key in its slot (inserting it when new) and, when its
    /// document `stamp` (document index + 1) differs from the last, one more document (stamp
    /// 0: no document; a new key then holds 0 documents). Returns the slot's first word
    /// index. The table must have room for one more key.
    @inline(never)
    @discardableResult
    private static func count(_ key: UnsafeRawBufferPointer, readable: Int, hash h: UInt64, occurrences: UInt64, stamp: UInt64, in slots: UnsafeMutablePointer<UInt64>,
                              mask: Int, arena: inout [UInt8], ends: inout [Int]) -> Int {
        let length = key.count
        let tag = (h >> 40) << 40 | UInt64(min(length, 255)) << 32
        let (w1, w2, w3) = VocabularyCounter.words(key, readable: readable)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = 8 * slot
            let meta = slots[s]
            if meta == 0 {
                // New: take the empty slot.
                arena.append(contentsOf: key)
                ends.append(arena.count)
                slots[s] = tag | UInt64(ends.count)
                slots[s + 1] = w1
                slots[s + 2] = w2
                slots[s + 3] = w3
                slots[s + 4] = occurrences
                slots[s + 5] = stamp == 0 ? 0 : stamp << 32 | 1
                slots[s + 6] = h
                return s
            }
            if meta & 0xFFFF_FFFF_0000_0000 == tag, slots[s + 1] == w1, slots[s + 2] == w2, slots[s + 3] == w3,
               length <= 24 || equalsArena(Int(meta & 0xFFFF_FFFF) - 1, key, arena, ends) {
                slots[s + 4] &+= occurrences
                if stamp != 0 && slots[s + 5] >> 32 != stamp {
                    slots[s + 5] = stamp << 32 | ((slots[s + 5] & 0xFFFF_FFFF) + 1)
                }
                return s
            }
            slot = (slot + 1) & mask
        }
    }

    /// The key's first 24 bytes as three little-endian words, zero-padded (`readable` bytes
    /// may be read from its start). The C kernel's own function, so the two cannot disagree.
    @inline(__always)
    static func words(_ key: UnsafeRawBufferPointer, readable: Int) -> (UInt64, UInt64, UInt64) {
        var w: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutablePointer(to: &w) { out in
            out.withMemoryRebound(to: UInt64.self, capacity: 3) {
                wordmill_key_words(key.baseAddress?.assumingMemoryBound(to: UInt8.self), key.count, readable, $0)
            }
        }
        return w
    }

    /// The counter's hash of a key: for keys of up to 24 bytes the C kernel's (two
    /// multiply-folds of its words and length); longer keys `TokenTable.hash`.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer, readable: Int) -> UInt64 {
        guard key.count <= 24 else { return TokenTable.hash(key) }
        var w = words(key, readable: readable)
        return withUnsafePointer(to: &w) { $0.withMemoryRebound(to: UInt64.self, capacity: 3) { wordmill_short_key_hash($0, key.count) } }
    }

    /// Whether key `id` equals `key` (for keys longer than the 24 bytes a slot holds).
    private static func equalsArena(_ id: Int, _ key: UnsafeRawBufferPointer, _ arena: [UInt8], _ ends: [Int]) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        guard ends[id] - start == key.count else { return false }
        return arena.withUnsafeBytes { memcmpEqual($0.baseAddress! + start, key.baseAddress!, key.count) }
    }

    /// Makes room for `extra` new keys, growing the table to stay at most 70 % full.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if Double(distinct + extra) > Double(mask + 1) * VocabularyCounter.maxLoad { grow(to: distinct + extra) }
    }

    private static let maxLoad = 0.7

    private static func tableSize(for keys: Int) -> Int {
        var size = 64
        while Double(size) * maxLoad < Double(keys) { size <<= 1 }
        return size
    }

    private mutating func grow(to keys: Int) {
        let size = VocabularyCounter.tableSize(for: keys)
        var bigger = [UInt64](repeating: 0, count: 8 * size)
        let mask = size - 1
        slots.withUnsafeBufferPointer { old in
            bigger.withUnsafeMutableBufferPointer { new in
                for s in stride(from: 0, to: old.count, by: 8) where old[s] != 0 {
                    var slot = Int(truncatingIfNeeded: old[s + 6]) & mask
                    while new[8 * slot] != 0 { slot = (slot + 1) & mask }
                    for w in 0..<8 { new[8 * slot + w] = old[s + w] }
                }
            }
        }
        slots = bigger
        self.mask = mask
    }

    /// The slot of each id, in id order.
    private func slotsById() -> [Int32] {
        var order = [Int32](repeating: 0, count: distinct)
        slots.withUnsafeBufferPointer { s in
            for slot in 0...mask where s[8 * slot] != 0 {
                order[Int(s[8 * slot] & 0xFFFF_FFFF) - 1] = Int32(slot)
            }
        }
        return order
    }

    /// What was counted, as plain arrays.
    public var result: TokenCounts {
        var occurrences = [Int](repeating: 0, count: distinct), documentCounts = [Int](repeating: 0, count: distinct)
        slots.withUnsafeBufferPointer { s in
            for (id, slot) in slotsById().enumerated() {
                occurrences[id] = Int(s[8 * Int(slot) + 4])
                documentCounts[id] = Int(s[8 * Int(slot) + 5] & 0xFFFF_FFFF)
            }
        }
        return TokenCounts(bytes: arena, ends: ends, occurrences: occurrences, documentCounts: documentCounts, documents: documents)
    }

    /// The vocabulary of what was counted (see `TokenCounts.vocabulary`).
    public func vocabulary(minCount: Int = 1, maxSize: Int? = nil, specials: [String] = []) -> Vocabulary {
        result.vocabulary(minCount: minCount, maxSize: maxSize, specials: specials)
    }
}

/// Whether `n` bytes at `a` and `b` are equal.
@inline(__always)
private func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

import Testing
import WordmillArtifacts
@testable import WordmillText

/// The counter's table keeps a key's first 24 bytes in its slot and compares the rest only
/// for longer keys; batches prefetch ahead; merges go in stream order. All must give what a
/// plain dictionary gives.
@Suite struct VocabularyCounterTests {
    /// Documents of tokens: short, exactly 8/24/25 bytes, long keys sharing a 24-byte prefix,
    /// and keys past 255 bytes that share their first 300 bytes and differ only in length.
    static func documents(count: Int, seed: UInt64) -> [[String]] {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let prefix24 = String(repeating: "p", count: 24)
        let long = String(repeating: "L", count: 300)
        return (0..<count).map { _ in
            (0..<(next() % 12)).map { _ in
                switch next() % 7 {
                case 0: return "w\(next() % 50)"
                case 1: return String(repeating: "e", count: 8)
                case 2: return prefix24 + "\(next() % 5)"
                case 3: return prefix24
                case 4: return long + String(repeating: "x", count: next() % 3)
                case 5: return "rare\(next() % 5000)"
                default: return "가나다\(next() % 20)"
                }
            }
        }
    }

    /// What counting should give: first-seen order, occurrences, documents holding each.
    static func expected(_ documents: [[String]]) -> (tokens: [String], counts: [Int], documentCounts: [Int]) {
        var order: [String] = [], counts: [String: Int] = [:], holding: [String: Int] = [:]
        for document in documents {
            for t in document {
                if counts[t] == nil { order.append(t) }
                counts[t, default: 0] += 1
            }
            for t in Set(document) { holding[t, default: 0] += 1 }
        }
        return (order, order.map { counts[$0]! }, order.map { holding[$0]! })
    }

    /// The documents as `tokens` records (varint count, then length-prefixed tokens).
    static func records(_ documents: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        for document in documents {
            RecordCoding.appendVarint(document.count, to: &out)
            for t in document { RecordCoding.appendString(t, to: &out) }
        }
        return out
    }

    @Test func singleAddsAndBatchesCountLikeADictionary() throws {
        let documents = Self.documents(count: 3000, seed: 7)
        let want = Self.expected(documents)
        var single = VocabularyCounter(capacity: 16)
        for document in documents {
            for t in document { single.add(t) }
            single.endDocument()
        }
        var batch = VocabularyCounter(capacity: 16)
        let n = try Self.records(documents).withUnsafeBytes { try batch.addDocuments($0) { _ in true } }
        #expect(n == documents.count)
        for counter in [single, batch] {
            let counted = counter.result
            #expect(counted.tokens == want.tokens)
            #expect(counted.occurrences == want.counts)
            #expect(counted.documentCounts == want.documentCounts)
            #expect(counted.documents == documents.count)
            #expect(counter.total == want.counts.reduce(0, +) && counted.total == counter.total)
        }
        #expect(single.result == batch.result)
    }

    /// Batches count known tokens in C and hand new and long ones back in order; a single add
    /// hashes in Swift through the same C function. A token new to the table that repeats
    /// within one batch must still get one id, in first-seen order, and adding a counted token
    /// again must find it rather than make a second entry.
    @Test func batchAndSingleAddsShareOneTable() throws {
        let documents = [["new", "new", "x", String(repeating: "y", count: 30), "new"], ["x", String(repeating: "y", count: 30), "z", ""]]
        var counter = VocabularyCounter(capacity: 4)
        try Self.records(documents).withUnsafeBytes { _ = try counter.addDocuments($0) { _ in true } }
        #expect(counter.result.tokens == ["new", "x", String(repeating: "y", count: 30), "z", ""])
        #expect(counter.result.occurrences == [3, 2, 2, 1, 1])
        #expect(counter.result.documentCounts == [1, 2, 2, 1, 1])
        for token in ["new", "x", String(repeating: "y", count: 30), "z", ""] { counter.add(token) }
        #expect(counter.distinct == 5)
        #expect(counter.result.occurrences == [4, 3, 3, 2, 2])
    }

    @Test func excludedDocumentsAreNotCounted() throws {
        let documents = Self.documents(count: 500, seed: 3)
        var counter = VocabularyCounter()
        _ = try Self.records(documents).withUnsafeBytes { try counter.addDocuments($0) { $0 % 3 != 0 } }
        let kept = documents.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
        let want = Self.expected(kept)
        let counted = counter.result
        #expect(counted.tokens == want.tokens && counted.occurrences == want.counts && counted.documentCounts == want.documentCounts)
        #expect(counter.documents == kept.count)
    }

    @Test func mergingPartsInStreamOrderEqualsCountingTheWhole() throws {
        let documents = Self.documents(count: 2000, seed: 11)
        var whole = VocabularyCounter()
        _ = try Self.records(documents).withUnsafeBytes { try whole.addDocuments($0) { _ in true } }
        var merged = VocabularyCounter(capacity: 8)
        for part in stride(from: 0, to: documents.count, by: 300) {
            var counter = VocabularyCounter(capacity: 8)
            _ = try Self.records(Array(documents[part..<min(part + 300, documents.count)])).withUnsafeBytes { try counter.addDocuments($0) { _ in true } }
            merged.merge(counter)
        }
        #expect(merged.result == whole.result)
        #expect(merged.total == whole.total && merged.documents == whole.documents)
    }

    @Test func malformedRecordsAreReportedWithTheirOffset() {
        var counter = VocabularyCounter()
        let bad: [UInt8] = [2, 1, 0x61, 5, 0x62]  // the second token claims 5 bytes, 1 is there
        #expect(throws: RecordDecoder.Malformed.self) { try bad.withUnsafeBytes { try counter.addDocuments($0) { _ in true } } }
    }

    @Test func storedCountsSelectTheVocabulary() {
        var counter = VocabularyCounter()
        for t in ["b", "a", "c", "a", "b", "d", "<unk>"] { counter.add(t) }
        let counts = counter.result
        let (specials, ids) = counts.selection(minCount: 1, maxSize: 4, specials: ["<pad>", "<unk>"])
        #expect(specials == [nil, 4])
        #expect(ids.map { counts.token($0) } == ["b", "a"])
        #expect(counts.vocabulary(maxSize: 4, specials: ["<pad>", "<unk>"]).counts == [0, 1, 2, 2])
    }
}

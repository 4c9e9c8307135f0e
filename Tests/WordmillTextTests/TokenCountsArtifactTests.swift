import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillText

/// The counts a `tokens` artifact stores and the `vocab` sections written from them: read
/// back exactly across many frames, and damage named by section and token.
@Suite struct TokenCountsArtifactTests {
    /// Counts with long, empty and Hangul tokens, skewed so that ranks differ from first-seen order.
    static func sampleCounts() -> TokenCounts {
        var counter = VocabularyCounter(capacity: 8)
        let words = ["음식", "맛", "a", String(repeating: "z", count: 40), "", "서비스", "b", "음식", "b", "b", "맛", "c"] + (0..<20).map { "w\($0)" }
        for (i, w) in words.enumerated() {
            counter.add(w, count: 1 + i % 3)
            if i % 4 == 3 { counter.endDocument() }
        }
        return counter.result
    }

    /// Writes `body`'s sections and the stored-counts header count into a fresh artifact.
    static func artifact(_ dir: TemporaryDirectory, frameBytes: Int = 16, documents: Int = 3, _ body: (ArtifactWriter) throws -> Void) throws -> ArtifactReader {
        let path = dir.file("t.wma")
        let writer = try ArtifactWriter(path: path, frameBytes: frameBytes)
        try body(writer)
        try writer.commit(header: ArtifactHeader(kind: "tokens", fingerprint: "f", stage: "s", op: "tokenize", parameters: [:],
                                                 counts: [TokenCounts.documentsCount: documents], metadata: [:]))
        return try ArtifactReader(path: path)
    }

    @Test func storedCountsComeBackExactlyAcrossFrames() throws {
        let dir = TemporaryDirectory()
        let counts = Self.sampleCounts()
        let reader = try Self.artifact(dir, documents: counts.documents) { _ = try counts.write(to: $0) }
        #expect(try reader.section(TokenCounts.tokensSection).frames.count > 1)
        #expect(try reader.section(TokenCounts.occurrencesSection).frames.count > 1)
        #expect(try TokenCounts(storedIn: reader) == counts)
    }

    @Test func theVocabularyWrittenFromCountsIsTheSelection() throws {
        let dir = TemporaryDirectory()
        let counts = Self.sampleCounts()
        let selection = counts.selection(minCount: 2, maxSize: 5, specials: ["<pad>", "b"])
        let reader = try Self.artifact(dir) { try counts.writeVocabulary((["<pad>", "b"], selection.specials, selection.ids), to: $0) }
        let written = try Vocabulary(reader: reader)
        let expected = counts.vocabulary(minCount: 2, maxSize: 5, specials: ["<pad>", "b"])
        #expect(written.tokens == expected.tokens)
        #expect(written.counts == expected.counts)
        #expect(written.documentCounts == expected.documentCounts)
        // By count, ties in first-seen order (음식, a, 서비스 and c have 3); "b" is special, so it is not ranked again.
        #expect(expected.tokens == ["<pad>", "b", "맛", "음식", "a"])
        #expect(expected.counts == [0, 5, 4, 3, 3])
    }

    /// The counting sort must give exactly the comparison sort's order: by count
    /// descending, ties by id, counts on both sides of 2¹⁶, excluded ids and a minimum.
    @Test func rankingByCountMatchesASort() {
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        for round in 0..<20 {
            let occurrences = (0..<(1 + next(3000))).map { _ in
                switch next(10) {
                case 0: return 65_536 + next(3)
                case 1: return 65_530 + next(10)
                case 2: return 200_000 + next(100_000)
                default: return next(12)
                }
            }
            let minCount = [0, 1, 2, 5, 65_536, 70_000][round % 6]
            let excluded: Set<Int> = round % 3 == 0 ? [] : Set((0..<5).map { _ in next(occurrences.count) })
            let expected = occurrences.indices.filter { occurrences[$0] >= minCount && !excluded.contains($0) }
                .sorted { occurrences[$0] != occurrences[$1] ? occurrences[$0] > occurrences[$1] : $0 < $1 }
            #expect(TokenCounts.rankByCount(occurrences, minCount: minCount, excluding: excluded) == expected, "round \(round)")
        }
    }

    @Test func aTruncatedTokenRecordIsNamed() throws {
        let dir = TemporaryDirectory()
        let reader = try Self.artifact(dir) { writer in
            writer.beginSection(TokenCounts.tokensSection, type: .records)
            try [UInt8]([1, 0x61, 5, 0x62]).withUnsafeBytes { try writer.append($0) }  // "a", then 5 bytes claimed, 1 there
            try writer.endSection(count: 2)
            try writer.writeSection(TokenCounts.occurrencesSection, type: .u64, values: [UInt64(1), 1])
            try writer.writeSection(TokenCounts.documentsSection, type: .u64, values: [UInt64(1), 1])
        }
        let error = try #require(throws: ArtifactError.self) { try TokenCounts(storedIn: reader) }
        #expect("\(error)".contains("section 'token_counts.tokens' token 1"))
    }

    @Test func moreOrFewerTokensThanTheIndexSaysAreNamed() throws {
        for (records, claimed) in [([UInt8]([1, 0x61, 1, 0x62, 1, 0x63]), 2), ([1, 0x61], 2)] {
            let dir = TemporaryDirectory()
            let reader = try Self.artifact(dir) { writer in
                writer.beginSection(TokenCounts.tokensSection, type: .records)
                try records.withUnsafeBytes { try writer.append($0) }
                try writer.endSection(count: claimed)
                try writer.writeSection(TokenCounts.occurrencesSection, type: .u64, values: [UInt64](repeating: 1, count: claimed))
                try writer.writeSection(TokenCounts.documentsSection, type: .u64, values: [UInt64](repeating: 1, count: claimed))
            }
            let error = try #require(throws: ArtifactError.self) { try TokenCounts(storedIn: reader) }
            #expect("\(error)".contains("the index says 2"))
        }
    }
}

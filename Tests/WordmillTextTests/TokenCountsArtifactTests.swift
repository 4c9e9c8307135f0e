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

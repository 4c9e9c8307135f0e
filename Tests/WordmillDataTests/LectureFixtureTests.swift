import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillData
@testable import WordmillText

/// The lecture's Okt-tokenized sentences, vocabulary and CBOW / skip-gram datasets
/// (Tests/Fixtures/reviews-ko.expected.json, made with konlpy and the lecture's code).
@Suite struct LectureFixtureTests {
    let expected = Repository.expectedReviews()
    let tokenized: [[String]]

    init() throws {
        let text = try String(contentsOfFile: Repository.root + "/corpora/reviews-ko/reviews.okt.txt", encoding: .utf8)
        let tokenizer = Tokenizer(kind: .whitespace)
        tokenized = text.split(separator: "\n").map { tokenizer.tokens(String($0)) }
    }

    var vocabulary: Vocabulary {
        var counter = VocabularyCounter()
        for sentence in tokenized { for t in sentence { counter.add(t) } }
        return counter.vocabulary()
    }

    func dataset(_ kind: WindowConfig.Kind) -> WindowDataset {
        let v = vocabulary
        var ids: [Int32] = []
        var lengths: [UInt32] = []
        for sentence in tokenized {
            ids += sentence.map { v.id(of: $0)! }
            lengths.append(UInt32(sentence.count))
        }
        return WindowDataset(config: WindowConfig(kind: kind, window: 2, edges: .fullOnly), ids: ids, documentLengths: lengths)
    }

    @Test func tokensMatchOkt() {
        #expect(tokenized == expected["tokens"] as! [[String]])
        #expect(tokenized.map(\.count).reduce(0, +) == expected["token_total"] as! Int)
    }

    @Test func vocabularyEqualsLectureW2i() {
        let rows = expected["w2i"] as! [[Any]]
        let v = vocabulary
        #expect(v.count == 60)
        #expect(v.tokens == rows.map { $0[0] as! String })
        #expect(v.counts == rows.map { $0[2] as! Int })
        for row in rows { #expect(v.id(of: row[0] as! String) == Int32(row[1] as! Int)) }
        // The lecture's printout begins {'.': 0, '도': 1, '이다': 2, '좋다': 3, '별로': 4, ...} and ends '불쾌하다': 59.
        #expect(Array(v.tokens.prefix(5)) == [".", "도", "이다", "좋다", "별로"])
        #expect(v.tokens.last == "불쾌하다")
    }

    @Test func cbowDatasetEqualsLecture() {
        var rows: [[Int]] = []
        dataset(.cbow).forEachExample { inputs, target in rows.append(inputs.map(Int.init) + [Int(target)]) }
        let fixture = (expected["cbow"] as! [[Any]]).map { ($0[0] as! [Int]) + [$0[1] as! Int] }
        #expect(rows.count == 64)
        #expect(rows == fixture)
        // The lecture's printout: [([17, 18, 19, 10], 0), ([18, 0, 10, 0], 19), ([20, 21, 4, 2], 22), ([21, 22, 2, 0], 4), ([5, 3, 6, 7], 23)]
        #expect(Array(rows.prefix(5)) == [[17, 18, 19, 10, 0], [18, 0, 10, 0, 19], [20, 21, 4, 2, 22], [21, 22, 2, 0, 4], [5, 3, 6, 7, 23]])
        #expect(dataset(.cbow).exampleCount == 64)
        #expect(dataset(.cbow).materializedRows() == rows.flatMap { $0.map(Int32.init) })
    }

    @Test func skipgramDatasetEqualsLecture() {
        var pairs: [[Int]] = []
        dataset(.skipgram).forEachExample { inputs, target in pairs.append([Int(inputs[0]), Int(target)]) }
        #expect(pairs.count == 256)
        #expect(pairs == expected["skipgram"] as! [[Int]])
        // The lecture's printout: [(0, 17), (0, 18), (0, 19), (0, 10), (19, 18)]
        #expect(Array(pairs.prefix(5)) == [[0, 17], [0, 18], [0, 19], [0, 10], [19, 18]])
        #expect(dataset(.skipgram).exampleCount == 256)
    }

    @Test func artifactsRoundTrip() throws {
        let dir = TemporaryDirectory()
        let writer = try ArtifactWriter(path: dir.file("w.wma"), frameBytes: 100)
        let d = dataset(.skipgram)
        var stream = IdStream.Writer(writer: writer)
        var start = 0
        for length in d.documentLengths {
            try d.ids[start..<(start + Int(length))].withUnsafeBufferPointer { try stream.append($0) }
            start += Int(length)
        }
        try stream.finish()
        try vocabulary.write(to: writer)
        try writer.commit(header: ArtifactHeader(kind: WindowDataset.artifactKind, fingerprint: "x", stage: "w", op: "windows", metadata: WindowDataset.metadata(d.config)))
        let reader = try ArtifactReader(path: dir.file("w.wma"))
        #expect(try IdStream.frameCount(reader) > 1)
        let back = try WindowDataset(reader: reader, vocabularySize: 60)
        #expect(back.ids == d.ids)
        #expect(back.documentLengths == d.documentLengths)
        #expect(back.config == d.config)
        #expect(try Vocabulary(reader: reader) == vocabulary)
        #expect(throws: ArtifactError.self) { try WindowDataset(reader: reader, vocabularySize: 59) }
    }
}

@Suite struct WindowEdgeTests {
    @Test func truncateCutsAtEdges() {
        let config = WindowConfig(kind: .cbow, window: 2, edges: .truncate)
        let d = WindowDataset(config: config, ids: [1, 2, 3, 9], documentLengths: [3, 1])
        var rows: [[Int32]] = []
        d.forEachExample { inputs, target in rows.append(Array(inputs) + [target]) }
        // Centre 1: right 2, 3; centre 2: left 1, right 3; centre 3: left 1, 2. The one-word document yields nothing.
        #expect(rows == [[2, 3, 1], [1, 3, 2], [1, 2, 3]])
        #expect(d.exampleCount == 3)
        #expect(d.materializedRows() == [2, 3, -1, -1, 1, 1, 3, -1, -1, 2, 1, 2, -1, -1, 3])
        let sg = WindowDataset(config: WindowConfig(kind: .skipgram, window: 1, edges: .truncate), ids: [1, 2, 3], documentLengths: [3])
        var pairs: [[Int32]] = []
        sg.forEachExample { inputs, target in pairs.append([inputs[0], target]) }
        #expect(pairs == [[1, 2], [2, 1], [2, 3], [3, 2]])
        #expect(sg.exampleCount == 4)
    }
}

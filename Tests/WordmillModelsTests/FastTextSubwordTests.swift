import Foundation
import Testing
import WordmillNumerics
@testable import WordmillModels

/// fastText's character n-grams bit for bit, and the subword model's training: fastText's
/// update rule, planted topics, vectors for unseen words, reproducibility.
@Suite struct FastTextSubwordTests {
    @Test func ngramsFollowComputeSubwords() {
        // fastText's order: by start, then length; the whole "<where>" is 7 code points, over maxn 6.
        #expect(FastTextSubwords.ngrams(of: "where", minn: 3, maxn: 6) == [
            "<wh", "<whe", "<whe" + "r", "<where", "whe", "wher", "where", "where>", "her", "here", "here>", "ere", "ere>", "re>",
        ])
        // Code points, not bytes: a Korean syllable is one of them (three UTF-8 bytes).
        #expect(FastTextSubwords.ngrams(of: "한국어", minn: 3, maxn: 6) == ["<한국", "<한국어", "<한국어>", "한국어", "한국어>", "국어>"])
        // A lone < or > is never an n-gram; other single characters are when minn is 1.
        #expect(FastTextSubwords.ngrams(of: "ab", minn: 1, maxn: 2) == ["<a", "a", "ab", "b", "b>"])
        #expect(FastTextSubwords.ngrams(of: "ab", minn: 3, maxn: 2).isEmpty)
    }

    @Test func bucketsAreFastTextHashesOfTheNgrams() {
        for word in ["where", "é", "한국어를", "antidisestablishmentarianism", "a", "naïve café"] {
            var buckets: [Int32] = []
            FastTextSubwords.appendBuckets(of: word, minn: 3, maxn: 6, bucket: 2_000_000, to: &buckets)
            let expected = FastTextSubwords.ngrams(of: word, minn: 3, maxn: 6).map { Int32(FastTextHash.word($0) % 2_000_000) }
            #expect(buckets == expected, "\(word)")
        }
        // A published anchor: fastText's bucket of "<wh" with the default 2,000,000 buckets.
        #expect(FastTextHash.word("<wh") % 2_000_000 == FastTextHash.word(Array("<wh".utf8)) % 2_000_000)
    }

    @Test func subwordRowsListTheWordThenEachNgramsBucket() {
        let s = FastTextSubwords(words: ["aaaa", "b"], minn: 3, maxn: 3, bucket: 1000)
        // "<aaaa>": <aa, aaa, aaa, aa> — "aaa" twice, so its row is listed twice, as fastText does.
        let aaa = 2 + Int32(FastTextHash.word("aaa") % 1000)
        #expect(s.offsets == [0, 5, 7])
        #expect(Array(s.rows[0..<5]) == [0, 2 + Int32(FastTextHash.word("<aa") % 1000), aaa, aaa, 2 + Int32(FastTextHash.word("aa>") % 1000)])
        #expect(Array(s.rows[5..<7]) == [1, 2 + Int32(FastTextHash.word("<b>") % 1000)])
        #expect(s.usedBuckets == Set(s.rows.filter { $0 >= 2 }.map { $0 - 2 }).sorted())
    }

    static let words = (0..<20).map { $0 < 10 ? "alpha\($0)" : "omega\($0 - 10)" }

    func train(_ architecture: Word2VecConfig.Architecture, _ objective: Word2VecConfig.Objective = .negative(5), threads: Int = 1,
               documents: [[Int32]] = plantedCorpus(), epochs: Int = 3, bucket: Int = 5000) throws -> (Word2VecTrainer, [Word2VecTrainer.EpochReport]) {
        var counts = [Int](repeating: 1, count: 20)
        for d in documents { for id in d { counts[Int(id)] += 1 } }
        let config = Word2VecConfig(architecture: architecture, objective: objective, dim: 16, window: 3, lr: 0.05, minLr: 0, epochs: epochs,
                                    sample: 0, threads: threads, seed: 1, noisePower: 0.5, subwords: .init(minn: 3, maxn: 6, bucket: bucket))
        let trainer = Word2VecTrainer(config: config, counts: counts, words: Self.words)
        return (trainer, try trainer.train(corpus: .inMemory(documents, parts: 4)))
    }

    func expectTopicsSeparate(_ model: FastTextSubwordModel) throws {
        let table = EmbeddingTable(words: model.words, dim: model.dim, vectors: model.wordVectors)
        for word in ["alpha0", "alpha5", "omega0", "omega7"] {
            let neighbours = try table.nearest(to: word, k: 9).map(\.word)
            #expect(neighbours.allSatisfy { $0.first == word.first }, "\(word): \(neighbours)")
        }
        // A word never seen is its n-grams' mean, and lands among the words it shares them with.
        #expect(!model.contains("alpha42"))
        #expect(table.nearest(vector: model.vector(of: "alpha42"), k: 5).allSatisfy { $0.word.hasPrefix("alpha") })
        #expect(table.nearest(vector: model.vector(of: "omegas"), k: 5).allSatisfy { $0.word.hasPrefix("omega") })
    }

    @Test(arguments: [Word2VecConfig.Architecture.skipgram, .cbow])
    func findsPlantedTopicsAndGivesUnseenWordsVectors(_ architecture: Word2VecConfig.Architecture) throws {
        let (trainer, reports) = try train(architecture)
        #expect(reports.last!.loss < reports.first!.loss)
        try expectTopicsSeparate(trainer.subwordModel(words: Self.words))
        let (hierarchical, _) = try train(architecture, .hierarchical)
        try expectTopicsSeparate(hierarchical.subwordModel(words: Self.words))
    }

    @Test func aWordsVectorIsTheMeanOfItsRowsAndAnUnseenWordsOfItsNgrams() throws {
        let model = try train(.skipgram).0.subwordModel(words: Self.words)
        var row = [Float](repeating: 0, count: 16)
        func mean(_ word: String, own: Int?) -> [Float] {
            var buckets: [Int32] = []
            FastTextSubwords.appendBuckets(of: word, minn: 3, maxn: 6, bucket: 5000, to: &buckets)
            var sum = own.map { Array(model.wordRows[($0 * 16)..<(($0 + 1) * 16)]) } ?? [Float](repeating: 0, count: 16)
            for b in buckets {
                model.bucketRow(Int(b), into: &row)
                for j in 0..<16 { sum[j] += row[j] }
            }
            return sum.map { $0 / Float(buckets.count + (own == nil ? 0 : 1)) }
        }
        for (a, b) in zip(model.vector(of: "omega3"), mean("omega3", own: 13)) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(model.vector(of: "alphabet"), mean("alphabet", own: nil)) { #expect(abs(a - b) < 1e-6) }
        // A bucket no word uses keeps its seeded start, rebuilt rather than stored.
        let unused = (0..<5000).first { !model.usedBuckets.contains(Int32($0)) }!
        var start = [Float](repeating: 0, count: 16)
        start.withUnsafeMutableBufferPointer { FastTextSubwords.initialRow(bucket: unused, seed: 1, dim: 16, into: $0.baseAddress!) }
        model.bucketRow(unused, into: &row)
        #expect(row == start && start.allSatisfy { abs($0) <= 1 / 16 } && Set(start).count == 16)
    }

    /// fastText's unsupervised update adds the whole hidden gradient to every row of the input
    /// (it divides by the number of rows only in supervised training): after one document of
    /// two words that share no n-gram (alpha0, omega1), every row of a word has moved by the same vector, and the
    /// word's vector (the rows' mean) by that vector too.
    @Test func everyRowOfAWordTakesTheWholeGradient() throws {
        let documents: [[Int32]] = [[0, 11]]
        let before = try train(.skipgram, documents: documents, epochs: 1, bucket: 100_003)
        let untrained = Word2VecTrainer(config: before.0.config, counts: [Int](repeating: 1, count: 20), words: Self.words)
        let subwords = before.0.subwords!
        let used = subwords.usedBuckets
        let after = before.0.trainedInputRows(usedBuckets: used), start = untrained.trainedInputRows(usedBuckets: used)
        func rowIndex(_ inputRow: Int32) -> Int { Int(inputRow) < 20 ? Int(inputRow) : 20 + used.firstIndex(of: inputRow - 20)! }
        func delta(_ inputRow: Int32) -> [Float] { let r = rowIndex(inputRow); return (0..<16).map { after[r * 16 + $0] - start[r * 16 + $0] } }
        let rows0 = subwords.rows[Int(subwords.offsets[0])..<Int(subwords.offsets[1])], rows10 = subwords.rows[Int(subwords.offsets[11])..<Int(subwords.offsets[12])]
        try #require(Set(rows0).isDisjoint(with: rows10), "the test needs words without a shared bucket")
        for rows in [rows0, rows10] {
            let first = delta(rows.first!)
            #expect(first.contains { $0 != 0 })
            for r in rows { for (a, b) in zip(delta(r), first) { #expect(abs(a - b) < 1e-7) } }
        }
        // Another word's rows did not move.
        let rows5 = subwords.rows[Int(subwords.offsets[5])..<Int(subwords.offsets[6])].filter { !rows0.contains($0) && !rows10.contains($0) }
        for r in rows5 { #expect(delta(r).allSatisfy { $0 == 0 }) }
    }

    @Test func oneThreadIsBitReproducibleAndTwoThreadsTrain() throws {
        let a = try train(.skipgram).0, b = try train(.skipgram).0
        #expect(a.trainedInputRows(usedBuckets: a.subwords!.usedBuckets) == b.trainedInputRows(usedBuckets: b.subwords!.usedBuckets))
        #expect(a.contextVectors == b.contextVectors)
        let (two, reports) = try train(.skipgram, threads: 2)
        #expect(reports.allSatisfy { $0.loss.isFinite })
        try expectTopicsSeparate(two.subwordModel(words: Self.words))
    }
}

import Testing
@testable import WordmillText

@Suite struct TokenTableTests {
    /// Keys of every length class (empty, 1–3, 4–7, 8, long, differing only after byte 8 or
    /// only in length) through many growths, against a Dictionary.
    @Test func agreesWithADictionaryThroughGrowth() {
        var table = TokenTable(capacity: 4)
        var reference: [String: Int32] = [:]
        var keys = ["", "a", "ab", "abc", "abcd", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefghik", "음식", "음식이 맛있다", "\u{0}", "\u{0}\u{0}"]
        var state: UInt64 = 42
        for _ in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60)
            keys.append(String((0..<length).map { i in Character(Unicode.Scalar(UInt8(97 + (state >> UInt64(i * 3 % 56)) % 4))) }))
        }
        for key in keys {
            let (id, inserted) = table.insert(key)
            if let known = reference[key] {
                #expect(!inserted && id == known, "\(key)")
            } else {
                #expect(inserted && Int(id) == reference.count, "\(key)")
                reference[key] = id
            }
        }
        #expect(table.count == reference.count)
        for (key, id) in reference {
            #expect(table.find(key) == id)
            #expect(table.string(Int(id)) == key)
        }
        #expect(table.find("abcdefghik ") == nil)
        #expect(table.find("zzzzzzzzzzzz") == nil)
    }
}

@Suite struct BytePairEncodingTests {
    @Test func mergesTheMostFrequentPairFirstWithDocumentedTies() {
        // Sennrich et al.'s example: "es" and "st" both occur 9 times; "es" < "st" wins the tie.
        let bpe = BytePairEncoding.learn(words: [("low", 5), ("lower", 2), ("newest", 6), ("widest", 3)], merges: 3, vocabularySize: nil)
        #expect(bpe.merges.count == 3)
        #expect(bpe.merges[0] == ("e", "s") && bpe.merges[1] == ("es", "t"))
        #expect(bpe.pieces(of: "newest").last == "est")
        // Third: "▁lo" and "ow" both occur 7 times; "ow" < "▁lo" in code points ("o" < "▁").
        #expect(bpe.merges[2] == ("o", "w"))
        #expect(bpe.pieces(of: "lowest") == ["▁l", "ow", "est"])
    }

    @Test func piecesJoinBackIntoTheWord() {
        let words: [(String, Int)] = [("음식이", 30), ("음식도", 20), ("음식", 12), ("서비스도", 9), ("맛있다", 7), ("naïve", 3), ("😀👍🏽", 2), ("a", 50)]
        let bpe = BytePairEncoding.learn(words: words, merges: 40, vocabularySize: nil)
        for word in words.map(\.0) + ["음식점", "처음", "x", "서비스"] {
            let pieces = bpe.pieces(of: word)
            #expect(pieces.first?.hasPrefix("▁") == true)
            #expect(String(pieces.joined().dropFirst()) == word)
        }
        #expect(bpe.pieces(of: "음식이") == ["▁음식이"], "a frequent word becomes one piece")
        #expect(bpe.pieces(of: "음식점") == ["▁음식", "점"], "an unseen word shares the learned stem")
        #expect(BytePairEncoding.learn(words: words, merges: 40, vocabularySize: nil) == bpe, "deterministic")
    }

    @Test func vocabularySizeBoundsTheSymbols() {
        let words: [(String, Int)] = (0..<200).map { ("word\($0 % 37)x\($0)", 1 + $0 % 5) }
        let bpe = BytePairEncoding.learn(words: words, merges: nil, vocabularySize: 60)
        let characters = Set(words.flatMap { w in w.0.unicodeScalars.enumerated().map { $0.offset == 0 ? "▁" + String($0.element) : String($0.element) } })
        #expect(characters.count + bpe.merges.count <= 60)
        #expect(bpe.merges.count > 10)
    }
}

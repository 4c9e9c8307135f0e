import Testing
@testable import WordmillText

@Suite struct TokenizerTests {
    /// The tokens `tokenize(utf8:)` gives (the byte paths, ASCII masks included).
    static func byteTokens(_ t: Tokenizer, _ line: [UInt8]) -> [String] {
        var bytes = line, scratch: [UInt8] = [], got: [String] = []
        bytes.withUnsafeMutableBufferPointer { b in
            t.tokenize(utf8: UnsafeBufferPointer(b), scratch: &scratch) { got.append(String(decoding: $0, as: UTF8.self)) }
        }
        return got
    }

    @Test func asciiMasksGiveTheScalarPathsTokens() {
        // Words that cross the 64-byte blocks the masks are built in, and a line ending in one.
        let long = String(repeating: "x", count: 70)
        let line = String(repeating: " ", count: 60) + long + "," + String(repeating: "Ab1", count: 30) + "\t!"
        #expect(Self.byteTokens(Tokenizer(kind: .words), Array(line.utf8)) == [long, ","] + [String(repeating: "Ab1", count: 30), "!"])
        #expect(Self.byteTokens(Tokenizer(kind: .whitespace), Array(line.utf8)) == [long + "," + String(repeating: "Ab1", count: 30), "!"])
        #expect(Self.byteTokens(Tokenizer(kind: .words, lowercase: true), Array("A_B-c\u{0B}D\rE".utf8)) == ["a", "_", "b", "-", "c", "d", "e"])
        // Random ASCII lines of 0–300 bytes (all 128 codes, white space and letters frequent)
        // against the scalar path that `tokens` takes.
        var state: UInt64 = 12345
        func next(_ n: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % n
        }
        let common = Array(" \t\n\u{0B}\u{0C}\rabcXYZ09_.,-".utf8)
        for _ in 0..<400 {
            let length = Int(next(301))
            let line = (0..<length).map { _ in next(2) == 0 ? common[Int(next(UInt64(common.count)))] : UInt8(next(128)) }
            let text = String(decoding: line, as: UTF8.self)
            for t in [Tokenizer(kind: .words), Tokenizer(kind: .words, lowercase: true), Tokenizer(kind: .whitespace), Tokenizer(kind: .whitespace, lowercase: true)] {
                #expect(Self.byteTokens(t, line) == t.tokens(text), "\(t.kind) lowercase \(t.lowercase): \(line)")
            }
        }
    }

    @Test func whitespaceSplitsOnAnyWhiteSpace() {
        #expect(Tokenizer(kind: .whitespace).tokens("정말 맛있다 .\t추천\u{3000}하다  .") == ["정말", "맛있다", ".", "추천", "하다", "."])
    }

    @Test func wordsSplitsPunctuationAndKeepsHangulRuns() {
        let t = Tokenizer(kind: .words)
        #expect(t.tokens("정말 맛있습니다. 추천합니다.") == ["정말", "맛있습니다", ".", "추천합니다", "."])
        #expect(t.tokens("완전 최고입니다! 재방문 의사 있습니다.") == ["완전", "최고입니다", "!", "재방문", "의사", "있습니다", "."])
        #expect(t.tokens("Hello, world—it's 2026 (ok?)") == ["Hello", ",", "world", "—", "it", "'", "s", "2026", "(", "ok", "?", ")"])
        #expect(t.tokens("café naïve Москва 東京 ١٢٣") == ["café", "naïve", "Москва", "東京", "١٢٣"])
        #expect(t.tokens("a😀b") == ["a", "😀", "b"])
        #expect(t.tokens("   ") == [])
    }

    @Test func lowercaseAndNormalization() {
        #expect(Tokenizer(kind: .words, lowercase: true).tokens("Hello WORLD") == ["hello", "world"])
        // NFKC folds full-width Latin and the ﬁ ligature; NFC leaves them.
        #expect(Tokenizer(kind: .words, normalization: .NFKC).tokens("ｈｅｌｌｏ ﬁne") == ["hello", "fine"])
        #expect(Tokenizer(kind: .words, normalization: .NFC).tokens("ｈｅｌｌｏ") == ["ｈｅｌｌｏ"])
        // Decomposed Hangul jamo (NFD) compose to syllables under NFC.
        let decomposed = "\u{1100}\u{1161}\u{11A8}"  // 각 as jamo
        #expect(Tokenizer(kind: .words, normalization: .NFC).tokens(decomposed) == ["각"])
        #expect(Tokenizer(kind: .words).tokens(decomposed) == [decomposed])
    }

    @Test func charsAreGraphemes() {
        #expect(Tokenizer(kind: .chars).tokens("hello") == ["h", "e", "l", "l", "o"])
        #expect(Tokenizer(kind: .chars).tokens("맛 있다") == ["맛", "있", "다"])
        #expect(Tokenizer(kind: .chars, keepWhitespace: true).tokens("a b") == ["a", "▁", "b"])
        #expect(Tokenizer(kind: .chars).tokens("e\u{301}👍🏽") == ["e\u{301}", "👍🏽"])
    }

    @Test func utf8CheckFindsFirstBadByte() {
        func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { UTF8Check.firstInvalidOffset($0) } }
        #expect(check(Array("정말 ok".utf8)) == nil)
        #expect(check([0x61, 0x62, 0xFF, 0x63]) == 2)
        #expect(check([0x61, 0xEC, 0xA0]) == 1)  // truncated 3-byte sequence
        #expect(check([0xC0, 0x80]) == 0)  // overlong
        #expect(check([0xED, 0xA0, 0x80]) == 0)  // surrogate
        #expect(check([0xED, 0x9F, 0xBF]) == nil)  // U+D7FF, the last scalar before the surrogates
        #expect(check([0xE0, 0x9F, 0xBF]) == 0)  // overlong three-byte form
        #expect(check(Array("음식이 맛있어요".utf8) + [0xEC, 0x9D, 0x41]) == 22)  // a Hangul run, then a bad continuation
        #expect(check(Array("맛".utf8) + [0xEF, 0xBF]) == 3)  // truncated after a valid syllable
        // Every lead byte with every continuation pair agrees with Swift's own validation.
        for lead in UInt8(0xE0)...0xEF {
            for c1 in stride(from: 0x70, through: 0xC5, by: 3) {
                for c2 in [0x41, 0x80, 0xBF, 0xC0] {
                    let bytes: [UInt8] = [lead, UInt8(c1), UInt8(c2)]
                    let valid = String(validating: bytes, as: UTF8.self) != nil
                    #expect((check(bytes) == nil) == valid, "\(bytes)")
                }
            }
        }
    }

    @Test func vocabularyOrderingAndLimits() {
        var c = VocabularyCounter()
        for t in ["b", "a", "c", "a", "b", "d"] { c.add(t) }
        #expect(c.vocabulary().tokens == ["b", "a", "c", "d"])  // ties keep first-seen order
        #expect(c.vocabulary(minCount: 2).tokens == ["b", "a"])
        let v = c.vocabulary(maxSize: 3, specials: ["<pad>", "<unk>"])
        #expect(v.tokens == ["<pad>", "<unk>", "b"])
        #expect(v.counts == [0, 0, 2])
        #expect(v.specialCount == 2)
        #expect(v.id(of: "b") == 2)
        #expect(v.id(of: "zzz") == nil)
    }
}

@Suite struct WordsOptionsTests {
    @Test func numbersSplitKeepOrReplace() {
        let text = "pi is 3.14, not 1,000 or x86 (٣٫١٤) v2.0"
        #expect(Tokenizer(kind: .words).tokens(text) == ["pi", "is", "3", ".", "14", ",", "not", "1", ",", "000", "or", "x86", "(", "٣", "٫", "١٤", ")", "v2", ".", "0"])
        #expect(Tokenizer(kind: .words, numbers: .keep).tokens(text) == ["pi", "is", "3.14", ",", "not", "1,000", "or", "x86", "(", "٣", "٫", "١٤", ")", "v2", ".", "0"])
        #expect(Tokenizer(kind: .words, numbers: .replace).tokens("3.14 and 42 and 2nd") == ["<num>", "and", "<num>", "and", "2nd"])
        #expect(Tokenizer(kind: .words, numbers: .replace, numberToken: "N").tokens("12") == ["N"])
    }

    @Test func urlsAndEmailsAreOneToken() {
        let t = Tokenizer(kind: .words, urls: true)
        #expect(t.tokens("see https://example.org/a?b=1, or www.debian.org.") == ["see", "https://example.org/a?b=1", ",", "or", "www.debian.org", "."])
        #expect(t.tokens("mail bob.k+news@mail.example.com; (HTTP://X.Y)") == ["mail", "bob.k+news@mail.example.com", ";", "(", "HTTP://X.Y", ")"])
        #expect(t.tokens("a@b is not an address, user@host.kr is") == ["a", "@", "b", "is", "not", "an", "address", ",", "user@host.kr", "is"])
        #expect(Tokenizer(kind: .words).tokens("https://x.org") == ["https", ":", "/", "/", "x", ".", "org"])
    }

    @Test func lengthLimitsCountCodePoints() {
        let t = Tokenizer(kind: .words, minLength: 2, maxLength: 4)
        #expect(t.tokens("a bb ccc dddd eeeee 음식 가나다라마 !") == ["bb", "ccc", "dddd", "음식"])
    }

    @Test func hangulSyllablesJamoAndNormalisation() {
        // NFKC turns compatibility jamo into conjoining jamo; NFC composes them into syllables.
        let jamo = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"  // 한글 as conjoining jamo
        #expect(Tokenizer(kind: .words, normalization: .NFC).tokens(jamo) == ["한글"])
        #expect(Tokenizer(kind: .words, normalization: .NFKC).tokens("ㄱ ＡＢＣ①") == ["ᄀ", "ABC1"])
        #expect(Tokenizer(kind: .words).tokens("한국어English混合 😀👍🏽") == ["한국어English混合", "😀", "👍", "🏽"])
    }
}

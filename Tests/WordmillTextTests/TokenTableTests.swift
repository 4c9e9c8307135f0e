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

import Testing
@testable import WordmillText

/// The `sklearn` tokenizer against scikit-learn's default analyser, `re.findall(r"(?u)\b\w\w+\b", text.lower())`
/// (expected lists printed by Python 3.11).
@Suite struct SklearnTokenizerTests {
    static let text = "Don't stop-believing, x86_64 2024 A b Café naïve Ærø cafe\u{301} 음식이 맛있어요 😀 ½ ²³ Ⅻ İstanbul ß_x"
    static let python = ["don", "stop", "believing", "x86_64", "2024", "café", "naïve", "ærø", "cafe", "음식이", "맛있어요", "²³", "stanbul", "ß_x"]

    @Test func matchesScikitLearnsDefaultAnalyser() {
        #expect(Tokenizer(kind: .sklearn, lowercase: true).tokens(Self.text) == Self.python)
    }

    @Test func byteFastPathGivesTheSameTokens() {
        for kind in [Tokenizer.Kind.sklearn, .words, .whitespace] {
            for lowercase in [false, true] {
                let t = Tokenizer(kind: kind, lowercase: lowercase)
                for line in [Self.text, "Plain ASCII Line, With: Punctuation_and 42 numbers", "", "ÀB ab"] {
                    var bytes = Array(line.utf8)
                    var scratch: [UInt8] = []
                    var got: [String] = []
                    bytes.withUnsafeMutableBufferPointer { b in
                        t.tokenize(utf8: UnsafeBufferPointer(b), scratch: &scratch) { got.append(String(decoding: $0, as: UTF8.self)) }
                    }
                    #expect(got == t.tokens(line), "\(kind) lowercase \(lowercase): \(line)")
                }
            }
        }
    }

    @Test func minLengthAndCase() {
        #expect(Tokenizer(kind: .sklearn, lowercase: false, minLength: 1).tokens("A b Cd") == ["A", "b", "Cd"])
        #expect(Tokenizer(kind: .sklearn, lowercase: true, minLength: 3).tokens("A bc DEF ghij") == ["def", "ghij"])
    }
}

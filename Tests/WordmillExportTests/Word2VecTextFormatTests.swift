import Foundation
import Testing
import WordmillModels
import WordmillTestSupport
@testable import WordmillExport

@Suite struct Word2VecTextFormatTests {
    @Test func exactBytesAndRoundTrip() throws {
        let table = EmbeddingTable(words: ["음식", "a", "."], dim: 2, vectors: [0.1, -2, 1e-05, 3.4028235e+38, 0, -0.5])
        let bytes = try Word2VecTextFormat.encode(table)
        #expect(String(decoding: bytes, as: UTF8.self) == "3 2\n음식 0.1 -2.0\na 1e-05 3.4028235e+38\n. 0.0 -0.5\n")
        let back = try Word2VecTextFormat.decode(bytes, path: "x.txt")
        #expect(back.words == table.words)
        #expect(back.vectors == table.vectors)
        #expect(back.dim == 2)
    }

    @Test func everyFloatRoundTripsExactly() throws {
        var state: UInt32 = 12345
        var values: [Float] = []
        for _ in 0..<3000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            let v = Float(bitPattern: state)
            values.append(v.isFinite ? v : 1)
        }
        let table = EmbeddingTable(words: (0..<1000).map { "w\($0)" }, dim: 3, vectors: values)
        let back = try Word2VecTextFormat.decode(try Word2VecTextFormat.encode(table), path: "x")
        #expect(back.vectors.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func unrepresentableTokensAreNamed() {
        for bad in ["a b", "", "x\ny", "tab\there", "ideo\u{3000}space"] {
            let table = EmbeddingTable(words: ["ok", bad], dim: 1, vectors: [1, 2])
            do {
                _ = try Word2VecTextFormat.encode(table)
                Issue.record("accepted \(bad.debugDescription)")
            } catch {
                #expect(error.description.contains("token 1"))
            }
        }
    }

    @Test func malformedFilesSayWhichLine() {
        let cases: [(String, Int)] = [("", 1), ("2 2\na 1 2\n", 2), ("1 2\na 1\n", 2), ("1 2\na 1 x\n", 2), ("x\n", 1)]
        for (text, line) in cases {
            do {
                _ = try Word2VecTextFormat.decode(Array(text.utf8), path: "v.txt")
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                if case .malformed(let path, let l, _) = error {
                    #expect(path == "v.txt")
                    #expect(l == line, "\(text.debugDescription): \(error)")
                } else {
                    Issue.record("wrong error \(error)")
                }
            }
        }
    }
}

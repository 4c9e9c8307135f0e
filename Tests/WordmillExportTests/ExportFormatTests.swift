import Foundation
import Testing
import WordmillModels
import WordmillTestSupport
@testable import WordmillExport

let sampleTable = EmbeddingTable(words: ["음식", "a", "."], dim: 2, vectors: [0.1, -2, 1e-05, 3.4028235e+38, 0, -0.5])

/// Tags balance, attribute values are quoted, and text holds no bare `<` or `&`: enough XML
/// well-formedness for the SVG the plots write.
func wellFormed(_ xml: String) -> Bool {
    var stack: [Substring] = []
    var rest = Substring(xml)
    while let open = rest.firstIndex(of: "<") {
        let text = rest[..<open]
        if text.contains("&") && text.split(separator: "&").dropFirst().contains(where: { !($0.hasPrefix("amp;") || $0.hasPrefix("lt;") || $0.hasPrefix("gt;") || $0.hasPrefix("quot;")) }) { return false }
        guard let close = rest[open...].firstIndex(of: ">") else { return false }
        let tag = rest[rest.index(after: open)..<close]
        if tag.filter({ $0 == "\"" }).count % 2 != 0 || tag.contains("<") { return false }
        if tag.hasPrefix("/") {
            guard stack.popLast() == tag.dropFirst() else { return false }
        } else if !tag.hasSuffix("/") {
            stack.append(tag.prefix { $0 != " " })
        }
        rest = rest[rest.index(after: close)...]
    }
    return stack.isEmpty
}

@Suite struct ExportFormatTests {
    @Test func word2vecBinaryExactBytesAndRoundTrip() throws {
        let bytes = try Word2VecBinaryFormat.encode(sampleTable)
        var expected = Array("3 2\n".utf8)
        for (w, r) in zip(sampleTable.words, 0..<3) {
            expected += Array(w.utf8) + [0x20]
            for v in sampleTable.vectors[(r * 2)..<(r * 2 + 2)] { withUnsafeBytes(of: v.bitPattern.littleEndian) { expected += $0 } }
            expected.append(0x0A)
        }
        #expect(bytes == expected)
        let back = try Word2VecBinaryFormat.decode(bytes, path: "v.bin")
        #expect(back.words == sampleTable.words)
        #expect(back.vectors.map(\.bitPattern) == sampleTable.vectors.map(\.bitPattern))
        // gensim's own writer puts no newline after a vector; both readings must work.
        var gensimStyle = Array("1 2\nab ".utf8)
        withUnsafeBytes(of: Float(1.5)) { gensimStyle += $0 }
        withUnsafeBytes(of: Float(-1)) { gensimStyle += $0 }
        #expect(try Word2VecBinaryFormat.decode(gensimStyle, path: "g.bin").vectors == [1.5, -1])
        #expect(throws: ExportError.self) { try Word2VecBinaryFormat.decode(Array(bytes.dropLast(5)), path: "t.bin") }
    }

    @Test func gloveTextHasNoHeader() throws {
        let bytes = try GloVeTextFormat.encode(sampleTable)
        #expect(String(decoding: bytes, as: UTF8.self) == "음식 0.1 -2.0\na 1e-05 3.4028235e+38\n. 0.0 -0.5\n")
        let back = try GloVeTextFormat.decode(bytes, path: "g.txt")
        #expect(back.words == sampleTable.words)
        #expect(back.vectors == sampleTable.vectors)
    }

    @Test func npyHeaderIsAlignedAndRoundTrips() throws {
        let bytes = NumpyFormat.encode(rows: 3, columns: 2, values: sampleTable.vectors)
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"))
        #expect(header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 24)
        let back = try NumpyFormat.decode(bytes, path: "x.npy")
        #expect(back.rows == 3 && back.columns == 2 && back.values == sampleTable.vectors)
        #expect(String(decoding: try NumpyFormat.vocabulary(sampleTable), as: UTF8.self) == "음식\na\n.\n")
    }

    @Test func projectorFilesPairRowsAndEscapeTrickyLabels() throws {
        let words = ["plain", "\u{3000}", "", "tab\there", " lead", "back\\slash", "mid dle"]
        let table = EmbeddingTable(words: words, dim: 2, vectors: (0..<14).map { Float($0) })
        let vectors = String(decoding: try ProjectorFormat.vectors(table), as: UTF8.self)
        #expect(vectors.split(separator: "\n").count == 7)
        #expect(vectors.hasPrefix("0.0\t1.0\n2.0\t3.0\n"))
        let (bytes, escaped) = ProjectorFormat.metadata(table)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(Array(lines) == ["plain", "\\u{3000}", "⟨empty⟩", "tab\\there", "\\u{20}lead", "back\\\\slash", "mid dle"])
        #expect(escaped == 5)
        // What the projector does to each line: JavaScript trim(), blank lines dropped. Nothing may vanish.
        #expect(lines.allSatisfy { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
        #expect(throws: ExportError.self) { try ProjectorFormat.vectors(EmbeddingTable(words: ["a"], dim: 1, vectors: [1])) }
    }

    @Test func svgPicturesAreWellFormed() throws {
        let table = EmbeddingTable(words: (0..<30).map { "w\($0)<&>" }, dim: 3, vectors: (0..<90).map { Float(($0 * 7919) % 13) })
        let projection = SVGPlot.embeddingProjection(table, count: 20, labelled: 5, title: "t & u")
        let loss = SVGPlot.lossCurve([4.2, 3.1, 2.5, 2.2], title: "loss")
        for svg in [projection, loss] { #expect(wellFormed(svg), "\(svg.prefix(300))") }
        #expect(projection.components(separatedBy: "<circle").count - 1 == 20)
        #expect(projection.components(separatedBy: "w0&lt;&amp;&gt;").count - 1 == 2)  // label and tooltip
        #expect(loss.components(separatedBy: "<circle").count - 1 == 4)
        #expect(!wellFormed("<svg><text>a < b</text></svg>"))
        #expect(!wellFormed("<svg><g></svg>"))
    }

    @Test func principalComponentsFindTheMainAxis() {
        // Points along (1, 1, 0) with a little spread on (1, −1, 0): the first component is the long axis.
        let values: [Float] = [-3, -3, 0, -1, -1, 0, 1, 1, 0, 3, 3, 0, 0.5, -0.5, 0, -0.5, 0.5, 0]
        let xy = PrincipalComponents.project(values, rows: 6, dim: 3, k: 2)
        let first = stride(from: 0, to: 12, by: 2).map { xy[$0] }
        #expect(abs(first[3] - 3 * 2.0.squareRoot()) < 1e-6)
        #expect(abs(first[0] + 3 * 2.0.squareRoot()) < 1e-6)
        #expect(abs(xy[9] - (-(0.5 * 2.0.squareRoot())).magnitude) < 1e-6 || abs(xy[9] + 0.5 * 2.0.squareRoot()) < 1e-6)
    }
}

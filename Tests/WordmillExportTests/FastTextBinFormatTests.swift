import Foundation
import Testing
import WordmillModels
import WordmillTestSupport
@testable import WordmillExport

/// fastText's `.bin` written and read back: the arguments, the dictionary, every row and the
/// vectors of seen and unseen words; damaged files are errors naming the byte.
@Suite struct FastTextBinFormatTests {
    static func model() -> FastTextSubwordModel {
        let words = ["cat", "dog", "한국어"], dim = 4
        let subwords = FastTextSubwords(words: words, minn: 2, maxn: 3, bucket: 50)
        let used = subwords.usedBuckets
        let wordRows = (0..<(words.count * dim)).map { Float($0) / 10 - 0.5 }
        let bucketRows = (0..<(used.count * dim)).map { Float($0 % 17) / 20 - 0.4 }
        return FastTextSubwordModel(words: words, dim: dim, minn: 2, maxn: 3, bucket: 50, seed: 9, wordRows: wordRows, usedBuckets: used, bucketRows: bucketRows)
    }

    static let arguments = FastTextBinFormat.Arguments(dim: 4, window: 3, epochs: 7, minCount: 2, negative: 4, wordNgrams: 1, loss: .negative,
                                                       model: .skipgram, bucket: 50, minn: 2, maxn: 3, sample: 1e-3)

    @Test func subwordModelRoundTrips() throws {
        let model = Self.model(), dir = TemporaryDirectory()
        let output = (0..<12).map { Float($0) }
        let path = dir.write("m.bin", bytes: try FastTextBinFormat.subwordModel(model, counts: [5, 3, 2], output: output, arguments: Self.arguments))
        let file = try FastTextBinFile(path: path)
        #expect(file.words == model.words && file.counts == [5, 3, 2] && file.dim == 4)
        let a = file.arguments
        #expect(a.window == 3 && a.epochs == 7 && a.minCount == 2 && a.negative == 4 && a.loss == .negative && a.model == .skipgram)
        #expect(a.bucket == 50 && a.minn == 2 && a.maxn == 3 && a.sample == 1e-3)
        for w in 0..<3 { #expect(file.row(w) == Array(model.wordRows[(w * 4)..<((w + 1) * 4)])) }
        var row = [Float](repeating: 0, count: 4)
        for b in [0, 17, 49] {
            model.bucketRow(b, into: &row)
            #expect(file.row(3 + b) == row, "bucket \(b)")
        }
        for word in ["cat", "한국어", "cats", "한국", "zq"] {
            let theirs = file.vector(of: word), ours = model.vector(of: word)
            #expect(zip(theirs, ours).allSatisfy { abs($0 - $1) < 1e-6 }, "\(word)")
        }
        #expect(file.table().words == model.words)
        #expect(VectorFiles.isFastTextModel(path))
    }

    @Test func classifierReadsBackWithoutItsLabels() throws {
        let words = ["good", "bad", "</s>"], classes = ["neg", "pos"]
        let model = FastTextClassifierModel(dim: 2, words: words, bucket: 0, wordNgrams: 1, classes: classes,
                                            input: [1, 2, 3, 4, 5, 6], output: [0.5, -0.5, -0.5, 0.5], wordCounts: [3, 2, 4], classCounts: [2, 2])
        let dir = TemporaryDirectory()
        let path = dir.write("c.bin", bytes: try FastTextBinFormat.classifier(model, epochs: 5))
        let file = try FastTextBinFile(path: path)
        #expect(file.words == words && file.counts == [3, 2, 4] && file.arguments.model == .supervised && file.arguments.loss == .softmax)
        #expect(file.vector(of: "bad") == [3, 4])
        #expect(file.vector(of: "unseen") == [0, 0])  // no n-grams: zeros, as fastText
    }

    @Test func damagedFilesNameTheByte() throws {
        let dir = TemporaryDirectory()
        let bytes = try FastTextBinFormat.subwordModel(Self.model(), counts: [5, 3, 2], output: [Float](repeating: 0, count: 12), arguments: Self.arguments)
        func error(_ damaged: [UInt8]) -> String {
            do { _ = try FastTextBinFile(path: dir.write("d.bin", bytes: damaged)); return "" } catch { return "\(error)" }
        }
        #expect(error(Array(bytes.prefix(bytes.count - 8))).contains("truncated"))
        #expect(error(Array(bytes.prefix(70))).contains("byte 70: unexpected end of file"))
        var version = bytes
        version[4] = 11
        #expect(error(version).contains("byte 4: fastText model version 11"))
        var magic = bytes
        magic[0] ^= 0xFF
        #expect(error(magic).contains("byte 0: not a fastText model"))
        #expect(!VectorFiles.isFastTextModel(dir.write("w.txt", "1 2\na 0.5 0.25\n")))
    }
}

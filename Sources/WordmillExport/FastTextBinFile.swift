import Foundation
import WordmillModels

/// A fastText `.bin` model file (version 12, unquantised) opened for its vectors, as
/// `fasttext.load_model` reads it: the arguments, the dictionary, and the input matrix, mapped
/// from the file rather than read (a 2,000,000-bucket model is gigabytes; only the pages of the
/// rows asked for are read). `vector(of:)` is fastText's `get_word_vector`:
/// the mean of a word's own row and its character n-grams' rows, or of the n-grams' alone for
/// a word outside the dictionary.
public final class FastTextBinFile {
    public let path: String
    public let arguments: FastTextBinFormat.Arguments
    /// The dictionary's words (labels left out) in row order, and their counts.
    public let words: [String]
    public let counts: [Int]
    private let index: [String: Int]
    private let data: Data
    /// Byte offset of the input matrix's first value.
    private let matrixOffset: UInt64
    private let matrixRows: Int
    /// The output matrix's rows and the byte offset of its first value.
    public let outputRows: Int
    private let outputOffset: Int

    /// Reads the header and dictionary; a malformed, quantised or pruned file is an error
    /// naming the byte offset.
    public init(path: String) throws {
        self.path = path
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ExportError.malformedBinary(path: path, offset: 0, reason: "cannot read the file: \(error.localizedDescription)")
        }
        var reader = ByteReader(data: data, path: path)
        let magic = try reader.int32(), version = try reader.int32()
        guard magic == FastTextBinFormat.magic else { throw ExportError.malformedBinary(path: path, offset: 0, reason: "not a fastText model (magic \(magic), expected \(FastTextBinFormat.magic))") }
        guard version == FastTextBinFormat.version else { throw ExportError.malformedBinary(path: path, offset: 4, reason: "fastText model version \(version); only version 12 (fastText 0.9) is read") }
        var a: [Int] = []
        for _ in 0..<12 { a.append(Int(try reader.int32())) }
        let sample = Double(bitPattern: try reader.uint64())
        guard let loss = FastTextBinFormat.Arguments.Loss(rawValue: Int32(a[6])),
              let model = FastTextBinFormat.Arguments.Model(rawValue: Int32(a[7])), a[0] >= 1, a[8] >= 0
        else { throw ExportError.malformedBinary(path: path, offset: 8, reason: "arguments out of range: dim \(a[0]), loss \(a[6]), model \(a[7]), bucket \(a[8])") }
        arguments = FastTextBinFormat.Arguments(dim: a[0], window: a[1], epochs: a[2], minCount: a[3], negative: a[4], wordNgrams: a[5], loss: loss,
                                                model: model, bucket: a[8], minn: a[9], maxn: a[10], sample: sample)
        let size = Int(try reader.int32()), nwords = Int(try reader.int32()), _ = try reader.int32()
        _ = try reader.int64()
        let pruned = try reader.int64()
        guard size >= nwords, nwords >= 0 else { throw ExportError.malformedBinary(path: path, offset: reader.offset - 24, reason: "dictionary of \(size) entries with \(nwords) words") }
        var words: [String] = [], counts: [Int] = []
        words.reserveCapacity(nwords)
        for n in 0..<size {
            let start = reader.offset
            let bytes = try reader.bytes(until: 0)
            let count = Int(try reader.int64()), type = try reader.byte()
            guard let word = String(validating: bytes, as: UTF8.self) else { throw ExportError.malformedBinary(path: path, offset: start, reason: "dictionary entry \(n) is not valid UTF-8") }
            if type == 0 { words.append(word); counts.append(count) }
        }
        guard words.count == nwords else { throw ExportError.malformedBinary(path: path, offset: reader.offset, reason: "the dictionary lists \(words.count) words, its header \(nwords)") }
        guard pruned < 0 else { throw ExportError.malformedBinary(path: path, offset: reader.offset, reason: "a pruned model (fasttext quantize, .ftz) is not read; use the unquantised .bin") }
        let quantised = try reader.byte()
        guard quantised == 0 else { throw ExportError.malformedBinary(path: path, offset: reader.offset - 1, reason: "a quantised input matrix is not read; use the unquantised .bin") }
        let rows = Int(try reader.int64()), cols = Int(try reader.int64())
        guard rows == nwords + arguments.bucket, cols == arguments.dim else {
            throw ExportError.malformedBinary(path: path, offset: reader.offset - 16, reason: "input matrix \(rows) × \(cols), expected \(nwords + arguments.bucket) × \(arguments.dim)")
        }
        matrixOffset = UInt64(reader.offset)
        matrixRows = rows
        // The output matrix after it: a quantised byte, rows, cols, values; the file ends there.
        let end = data.count, inputEnd = Int(matrixOffset) + rows * cols * 4
        guard end >= inputEnd + 17 else { throw ExportError.malformedBinary(path: path, offset: end, reason: "the input matrix is truncated") }
        reader.offset = inputEnd
        let quantisedOutput = try reader.byte(), outputRows = Int(try reader.int64()), outputCols = Int(try reader.int64())
        guard quantisedOutput == 0, outputCols == cols, outputRows >= 0 else {
            throw ExportError.malformedBinary(path: path, offset: inputEnd, reason: "output matrix \(outputRows) × \(outputCols)\(quantisedOutput == 0 ? "" : ", quantised"), expected unquantised × \(cols)")
        }
        let expectedEnd = inputEnd + 17 + outputRows * cols * 4
        (self.outputRows, outputOffset) = (outputRows, inputEnd + 17)
        guard end == expectedEnd else {
            throw ExportError.malformedBinary(path: path, offset: min(end, expectedEnd), reason: end < expectedEnd ? "the output matrix is truncated" : "\(end - expectedEnd) bytes after the output matrix")
        }
        (self.words, self.counts) = (words, counts)
        index = Dictionary(words.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    public var dim: Int { arguments.dim }

    /// Input row `r` (a word's below `words.count`, then the buckets').
    public func row(_ r: Int) -> [Float] {
        precondition(r >= 0 && r < matrixRows)
        let start = Int(matrixOffset) + r * dim * 4
        return data.withUnsafeBytes { raw in (0..<dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self))) } }
    }

    /// The output matrix, outputRows × dim.
    public func output() -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<(outputRows * dim)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: outputOffset + $0 * 4, as: UInt32.self))) }
        }
    }

    /// Whether `word` is in the dictionary.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// fastText's `get_word_vector`: zeros for a word outside the dictionary without n-grams.
    public func vector(of word: String) -> [Float] {
        var rows: [Int] = index[word].map { [$0] } ?? []
        if index[word] == nil || word != "</s>" {
            var buckets: [Int32] = []
            FastTextSubwords.appendBuckets(of: word, minn: arguments.minn, maxn: arguments.maxn, bucket: arguments.bucket, to: &buckets)
            rows += buckets.map { words.count + Int($0) }
        }
        var sum = [Float](repeating: 0, count: dim)
        guard !rows.isEmpty else { return sum }
        for r in rows { for (j, v) in row(r).enumerated() { sum[j] += v } }
        return sum.map { $0 / Float(rows.count) }
    }

    /// The vocabulary's vectors as a table (each word's `vector(of:)`).
    public func table() -> EmbeddingTable {
        var vectors: [Float] = []
        vectors.reserveCapacity(words.count * dim)
        for w in words { vectors += vector(of: w) }
        return EmbeddingTable(words: words, dim: dim, vectors: vectors)
    }
}

/// Sequential little-endian reads from the mapped file, counting the byte offset.
private struct ByteReader {
    let data: Data
    let path: String
    var offset = 0

    mutating func byte() throws -> UInt8 {
        guard offset < data.count else { throw ExportError.malformedBinary(path: path, offset: offset, reason: "unexpected end of file") }
        defer { offset += 1 }
        return data[data.startIndex + offset]
    }

    mutating func uint64(bytes: Int = 8) throws -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<bytes { v |= UInt64(try byte()) << (8 * UInt64(k)) }
        return v
    }

    mutating func int32() throws -> Int32 { Int32(truncatingIfNeeded: try uint64(bytes: 4)) }
    mutating func int64() throws -> Int64 { Int64(bitPattern: try uint64()) }

    mutating func bytes(until terminator: UInt8) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let b = try byte()
            if b == terminator { return out }
            out.append(b)
        }
    }
}

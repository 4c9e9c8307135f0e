import WordmillModels

/// The word2vec binary format (word2vec.c `-binary 1`, gensim `load_word2vec_format(binary=True)`):
/// a `V D\n` header, then per word its UTF-8 bytes, one space, D little-endian float32 values
/// and a `\n` (word2vec.c writes it; gensim strips it from the next word).
public enum Word2VecBinaryFormat {
    public static func encode(_ table: EmbeddingTable) throws(ExportError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.words.count * (table.dim * 4 + 16))
        out.append(contentsOf: "\(table.words.count) \(table.dim)\n".utf8)
        for (row, word) in table.words.enumerated() {
            if let reason = Word2VecTextFormat.problem(with: word) {
                throw .unrepresentableToken(format: "word2vec binary", id: row, token: word, reason: reason)
            }
            out.append(contentsOf: word.utf8)
            out.append(0x20)
            table.vectors[(row * table.dim)..<((row + 1) * table.dim)].withUnsafeBytes { out.append(contentsOf: $0) }
            out.append(0x0A)
        }
        return out
    }

    /// Reads the binary format as gensim does (a leading `\n` before a word is skipped).
    public static func decode(_ bytes: [UInt8], path: String) throws(ExportError) -> EmbeddingTable {
        guard let newline = bytes.firstIndex(of: 0x0A) else { throw .malformed(path: path, line: 1, reason: "no header line") }
        let header = String(decoding: bytes[0..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 2, let count = Int(header[0]), let dim = Int(header[1]), count >= 0, dim > 0 else {
            throw .malformed(path: path, line: 1, reason: "expected a header \"<words> <dimension>\"")
        }
        var words: [String] = []
        var vectors: [Float] = []
        vectors.reserveCapacity(count * dim)
        var i = newline + 1
        for n in 0..<count {
            while i < bytes.count, bytes[i] == 0x0A { i += 1 }
            guard let space = bytes[i...].firstIndex(of: 0x20) else {
                throw .malformed(path: path, line: n + 2, reason: "unexpected end of file in record \(n + 1) of \(count)")
            }
            guard let word = String(validating: bytes[i..<space], as: UTF8.self) else {
                throw .malformed(path: path, line: n + 2, reason: "record \(n + 1): the word is not valid UTF-8")
            }
            let start = space + 1, end = start + dim * 4
            guard end <= bytes.count else { throw .malformed(path: path, line: n + 2, reason: "record \(n + 1) is truncated") }
            bytes[start..<end].withUnsafeBytes { raw in
                for k in 0..<dim { vectors.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)))) }
            }
            words.append(word)
            i = end
        }
        return EmbeddingTable(words: words, dim: dim, vectors: vectors)
    }
}

import WordmillModels

/// The word2vec text format as gensim's `KeyedVectors.load_word2vec_format(binary=False)`
/// and word2vec.c read it: a `V D` header line, then one line per word — the word, then
/// each value after a single space as the shortest decimal that round-trips the float32.
public enum Word2VecTextFormat {
    /// Why a token cannot be written in a format where fields are split on spaces, or nil.
    public static func problem(with token: String) -> String? {
        if token.isEmpty { return "it is empty" }
        if token.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return "it contains white space" }
        return nil
    }

    /// The whole file's bytes.
    public static func encode(_ table: EmbeddingTable) throws(ExportError) -> [UInt8] {
        try encode(table, header: true, format: "word2vec text")
    }

    /// Lines of a word and its values; with `header`, the `V D` line first (GloVe's text format has none).
    static func encode(_ table: EmbeddingTable, header: Bool, format: String) throws(ExportError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.words.count * (table.dim * 12 + 16))
        if header { out.append(contentsOf: "\(table.words.count) \(table.dim)\n".utf8) }
        for (row, word) in table.words.enumerated() {
            if let reason = problem(with: word) {
                throw .unrepresentableToken(format: format, id: row, token: word, reason: reason)
            }
            out.append(contentsOf: word.utf8)
            let base = row * table.dim
            for d in 0..<table.dim {
                out.append(0x20)
                out.append(contentsOf: table.vectors[base + d].description.utf8)
            }
            out.append(0x0A)
        }
        return out
    }

    /// Reads a word2vec text file (header required), as gensim does: fields split on single spaces.
    public static func decode(_ bytes: [UInt8], path: String) throws(ExportError) -> EmbeddingTable {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw .malformed(path: path, line: 1, reason: "empty file") }
        let header = String(decoding: first, as: UTF8.self).split(separator: " ")
        guard header.count == 2, let count = Int(header[0]), let dim = Int(header[1]), count >= 0, dim > 0 else {
            throw .malformed(path: path, line: 1, reason: "expected a header \"<words> <dimension>\"")
        }
        guard lines.count - 1 == count else {
            throw .malformed(path: path, line: lines.count, reason: "header says \(count) words, the file has \(lines.count - 1) lines")
        }
        var words: [String] = []
        var vectors: [Float] = []
        words.reserveCapacity(count)
        vectors.reserveCapacity(count * dim)
        for (n, line) in lines.dropFirst().enumerated() {
            guard let text = String(validating: line, as: UTF8.self) else { throw .malformed(path: path, line: n + 2, reason: "invalid UTF-8") }
            var fields = text.split(separator: " ", omittingEmptySubsequences: false)
            while fields.last?.isEmpty == true { fields.removeLast() }
            guard fields.count == dim + 1 else {
                throw .malformed(path: path, line: n + 2, reason: "expected a word and \(dim) values, found \(fields.count) fields")
            }
            words.append(String(fields[0]))
            for f in fields.dropFirst() {
                guard let v = Float(f) else { throw .malformed(path: path, line: n + 2, reason: "\"\(f)\" is not a number") }
                vectors.append(v)
            }
        }
        return EmbeddingTable(words: words, dim: dim, vectors: vectors)
    }
}

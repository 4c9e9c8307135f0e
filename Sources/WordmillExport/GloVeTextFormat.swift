import WordmillModels

/// Stanford GloVe's text vectors (`glove.c` `save_params`, `-binary 0`): no header, one line per
/// word — the word, then each value after a space. gensim reads it with
/// `load_word2vec_format(path, binary=False, no_header=True)`. Values are written as the
/// shortest decimal that reads back as the same float32 (GloVe writes `%lf`).
public enum GloVeTextFormat {
    public static func encode(_ table: EmbeddingTable) throws(ExportError) -> [UInt8] {
        try Word2VecTextFormat.encode(table, header: false, format: "GloVe text")
    }

    /// Reads a headerless file: the dimension is the field count of the first line minus one.
    public static func decode(_ bytes: [UInt8], path: String) throws(ExportError) -> EmbeddingTable {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw .malformed(path: path, line: 1, reason: "empty file") }
        let dim = first.split(separator: 0x20).count - 1
        guard dim > 0 else { throw .malformed(path: path, line: 1, reason: "expected a word and its values") }
        var header = Array("\(lines.count) \(dim)\n".utf8)
        header.append(contentsOf: bytes)
        return try Word2VecTextFormat.decode(header, path: path)
    }
}

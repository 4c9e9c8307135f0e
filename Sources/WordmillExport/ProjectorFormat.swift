import WordmillModels

/// TensorBoard Embedding Projector files: `vectors.tsv` (values separated by tabs, no
/// header) and `metadata.tsv` (one label per line, no header for a single column).
///
/// The projector trims lines and skips blank ones, which would shift every later label, so a
/// token that is empty, white space only, or holds a tab or line break is written escaped
/// (`\t`, `\n`, `\\`, and U+2420 ␠ for an all-space token) and counted.
public enum ProjectorFormat {
    public static func vectors(_ table: EmbeddingTable) throws(ExportError) -> [UInt8] {
        guard table.dim >= 2 else {
            throw .unrepresentableToken(format: "projector TSV", id: 0, token: "", reason: "the projector needs at least two dimensions")
        }
        var out: [UInt8] = []
        out.reserveCapacity(table.words.count * table.dim * 12)
        for row in 0..<table.words.count {
            for d in 0..<table.dim {
                if d > 0 { out.append(0x09) }
                out.append(contentsOf: table.vectors[row * table.dim + d].description.utf8)
            }
            out.append(0x0A)
        }
        return out
    }

    /// The labels file and how many labels had to be escaped.
    public static func metadata(_ table: EmbeddingTable) -> (bytes: [UInt8], escaped: Int) {
        var out: [UInt8] = []
        var escaped = 0
        for word in table.words {
            let label = escape(word)
            if label != word { escaped += 1 }
            out.append(contentsOf: label.utf8)
            out.append(0x0A)
        }
        return (out, escaped)
    }

    /// A label that survives the projector's `trim()` and line splitting: backslash, tab and
    /// line breaks escaped, white space at either end written as `\u{…}`, the empty token as `⟨empty⟩`.
    public static func escape(_ word: String) -> String {
        if word.isEmpty { return "⟨empty⟩" }
        let scalars = Array(word.unicodeScalars)
        var s = ""
        for (i, u) in scalars.enumerated() {
            switch u {
            case "\\": s += "\\\\"
            case "\t": s += "\\t"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            default:
                if (i == 0 || i == scalars.count - 1) && u.properties.isWhitespace {
                    s += "\\u{\(String(u.value, radix: 16))}"
                } else {
                    s.unicodeScalars.append(u)
                }
            }
        }
        return s
    }
}

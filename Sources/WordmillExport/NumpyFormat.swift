import WordmillModels

/// NumPy `.npy` version 1.0 (`numpy/lib/format.py`): magic `\x93NUMPY`, version 1.0, a
/// little-endian u16 header length, an ASCII dict `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (V, D), }` padded with spaces to end in `\n` at a multiple of 64 bytes, then the
/// C-order data. `np.load(path)` reads it; the words go to a `vocab.txt` beside it.
public enum NumpyFormat {
    /// The `.npy` bytes of a float32 matrix.
    public static func encode(rows: Int, columns: Int, values: [Float]) -> [UInt8] {
        precondition(values.count == rows * columns)
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(dict.utf8.count)
        out.append(UInt8(length & 0xFF))
        out.append(UInt8(length >> 8))
        out.append(contentsOf: dict.utf8)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// `vocab.txt`: one word per line, in row order.
    public static func vocabulary(_ table: EmbeddingTable) throws(ExportError) -> [UInt8] {
        var out: [UInt8] = []
        for (row, word) in table.words.enumerated() {
            if word.isEmpty || word.contains(where: \.isNewline) {
                throw .unrepresentableToken(format: "vocab.txt", id: row, token: word, reason: word.isEmpty ? "it is empty" : "it contains a line break")
            }
            out.append(contentsOf: word.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Reads a float32 `.npy` v1.0 matrix back: (rows, columns, values).
    public static func decode(_ bytes: [UInt8], path: String) throws(ExportError) -> (rows: Int, columns: Int, values: [Float]) {
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else {
            throw .malformed(path: path, line: 1, reason: "not a NumPy .npy version 1 file")
        }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length else { throw .malformed(path: path, line: 1, reason: "truncated header") }
        let header = String(decoding: bytes[10..<(10 + length)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
            let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw .malformed(path: path, line: 1, reason: "expected a C-order float32 array") }
        let dims = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard dims.count == 2 else { throw .malformed(path: path, line: 1, reason: "expected a 2-D array") }
        let start = 10 + length
        guard bytes.count - start == dims[0] * dims[1] * 4 else { throw .malformed(path: path, line: 1, reason: "data size does not match the shape") }
        var values = [Float](repeating: 0, count: dims[0] * dims[1])
        values.withUnsafeMutableBytes { $0.copyBytes(from: bytes[start...]) }
        return (dims[0], dims[1], values)
    }
}

import Foundation
import WordmillArtifacts
import WordmillModels

/// Loads word vectors for queries (`similar`, `analogy`, `evaluate`) from a model artifact,
/// a fastText `.bin` model, a word2vec binary file (`.bin`) or a word2vec text file, telling
/// artifacts and fastText models apart by their magic bytes.
public enum VectorFiles {
    public static func load(_ path: String) throws -> EmbeddingTable {
        if isFastTextModel(path) { return try FastTextBinFile(path: path).table() }
        let bytes = try FileSystem.readFile(path)
        if bytes.starts(with: ArtifactLayout.magic) {
            return try EmbeddingTable(reader: ArtifactReader(path: path))
        }
        if path.hasSuffix(".bin") { return try Word2VecBinaryFormat.decode(bytes, path: path) }
        return try Word2VecTextFormat.decode(bytes, path: path)
    }

    /// Whether the file starts with fastText's model magic number.
    public static func isFastTextModel(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return head.count == 4 && head.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) } == FastTextBinFormat.magic
    }
}

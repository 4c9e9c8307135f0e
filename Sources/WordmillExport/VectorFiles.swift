import WordmillArtifacts
import WordmillModels

/// Loads word vectors for queries (`similar`, `analogy`, `evaluate`) from a model artifact,
/// a word2vec binary file (`.bin`) or a word2vec text file, telling artifacts apart by their
/// magic bytes.
public enum VectorFiles {
    public static func load(_ path: String) throws -> EmbeddingTable {
        let bytes = try FileSystem.readFile(path)
        if bytes.starts(with: ArtifactLayout.magic) {
            return try EmbeddingTable(reader: ArtifactReader(path: path))
        }
        if path.hasSuffix(".bin") { return try Word2VecBinaryFormat.decode(bytes, path: path) }
        return try Word2VecTextFormat.decode(bytes, path: path)
    }
}

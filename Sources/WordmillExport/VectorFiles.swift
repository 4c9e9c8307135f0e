import WordmillArtifacts
import WordmillModels

/// Loads word vectors for queries (`similar`, `analogy`) from a model artifact or a
/// word2vec text file, telling the two apart by the artifact's magic bytes.
public enum VectorFiles {
    public static func load(_ path: String) throws -> EmbeddingTable {
        let bytes = try FileSystem.readFile(path)
        if bytes.starts(with: ArtifactLayout.magic) {
            return try EmbeddingTable(reader: ArtifactReader(path: path))
        }
        return try Word2VecTextFormat.decode(bytes, path: path)
    }
}

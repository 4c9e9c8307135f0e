import WordmillArtifacts
import WordmillSupport
import WordmillText

/// The `fasttext` model artifact (subword vectors): the vocabulary's sections,
/// `input_vectors` (f32 V×D: each word's vector, the mean of its own row and its n-grams',
/// under the name every word-vector reader looks for), `word_rows` (f32 V×D: the words' own
/// rows), `ngram_buckets` (i32, ascending: the buckets some word uses) and `ngram_rows` (f32
/// per used bucket), `output_vectors` (f32: V×D for negative sampling, (V−1)×D for
/// hierarchical softmax), `loss_per_epoch` (f64). Metadata: `minn`, `maxn`, `bucket`, and
/// `ngram_seed`, from which every unused bucket's row is rebuilt.
public enum FastTextSubwordArtifact {
    public static let kind = "fasttext"

    /// Writes a trained model's sections into an open artifact.
    public static func write(_ model: FastTextSubwordModel, vocabulary: Vocabulary, outputVectors: [Float], losses: [Double], to writer: ArtifactWriter) throws {
        try vocabulary.write(to: writer)
        try writer.writeSection("input_vectors", type: .f32, values: model.wordVectors)
        try writer.writeSection("word_rows", type: .f32, values: model.wordRows)
        try writer.writeSection("ngram_buckets", type: .i32, values: model.usedBuckets)
        try writer.writeSection("ngram_rows", type: .f32, values: model.bucketRows)
        try writer.writeSection("output_vectors", type: .f32, values: outputVectors)
        try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
    }

    /// The metadata `read` needs besides the sections.
    public static func metadata(_ model: FastTextSubwordModel) -> [String: JSONValue] {
        ["minn": .integer(model.minn), "maxn": .integer(model.maxn), "bucket": .integer(model.bucket), "ngram_seed": .integer(Int(model.seed))]
    }

    /// Reads the model back.
    public static func read(_ reader: ArtifactReader) throws -> FastTextSubwordModel {
        let m = reader.header.metadata
        guard let minn = m["minn"]?.intValue, let maxn = m["maxn"]?.intValue, let bucket = m["bucket"]?.intValue, let seed = m["ngram_seed"]?.intValue,
              let dim = reader.header.counts["dim"], dim >= 1, minn >= 1, maxn >= 0, bucket >= 0, seed >= 0
        else { throw ArtifactError.damaged(path: reader.path, reason: "metadata lacks minn, maxn, bucket, ngram_seed or dim") }
        let vocabulary = try Vocabulary(reader: reader)
        let wordRows = try reader.readArray("word_rows", as: Float.self)
        let buckets = try reader.readArray("ngram_buckets", as: Int32.self), rows = try reader.readArray("ngram_rows", as: Float.self)
        guard wordRows.count == vocabulary.count * dim, rows.count == buckets.count * dim,
              zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }), buckets.allSatisfy({ $0 >= 0 && Int($0) < bucket })
        else { throw ArtifactError.damaged(path: reader.path, reason: "word_rows, ngram_buckets or ngram_rows do not match \(vocabulary.count) words, \(bucket) buckets of dim \(dim)") }
        return FastTextSubwordModel(words: vocabulary.tokens, dim: dim, minn: minn, maxn: maxn, bucket: bucket, seed: UInt64(seed),
                                    wordRows: wordRows, usedBuckets: buckets, bucketRows: rows)
    }
}

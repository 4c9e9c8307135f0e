import WordmillArtifacts
import WordmillSupport

/// The `fasttext-classifier` model artifact: `words` and `classes` (records), `input`
/// ((words + bucket) × dim f32: the words' rows, then the hashed word n-grams') and `output`
/// (classes × dim f32; classes − 1 rows, the tree's inner nodes, for the hierarchical softmax), `word_counts` and `class_counts` (u64, in the training documents). Header metadata: dim, bucket, word_ngrams, loss, and the `tokenizer`
/// needed to turn new text into the same words.
public enum FastTextClassifierArtifact {
    public static let kind = "fasttext-classifier"

    /// Writes the model's sections.
    public static func write(_ model: FastTextClassifierModel, to writer: ArtifactWriter) throws {
        try writer.writeStrings("words", model.words)
        try writer.writeStrings("classes", model.classes)
        try writer.writeSection("input", type: .f32, values: model.input)
        try writer.writeSection("output", type: .f32, values: model.output)
        try writer.writeSection("word_counts", type: .u64, values: model.wordCounts.map { UInt64($0) })
        try writer.writeSection("class_counts", type: .u64, values: model.classCounts.map { UInt64($0) })
    }

    /// The metadata `read` needs besides the sections.
    public static func metadata(_ model: FastTextClassifierModel, tokenizer: JSONValue) -> [String: JSONValue] {
        ["dim": .integer(model.dim), "bucket": .integer(model.bucket), "word_ngrams": .integer(model.wordNgrams), "loss": .string(model.loss.rawValue), "tokenizer": tokenizer]
    }

    /// Reads the model back.
    public static func read(_ reader: ArtifactReader) throws -> FastTextClassifierModel {
        let m = reader.header.metadata
        guard let dim = m["dim"]?.intValue, let bucket = m["bucket"]?.intValue, let n = m["word_ngrams"]?.intValue, dim >= 1, bucket >= 0, n >= 1,
              let loss = m["loss"]?.stringValue.flatMap(FastTextLoss.init(rawValue:))
        else { throw ArtifactError.damaged(path: reader.path, reason: "metadata lacks dim, bucket, word_ngrams or a known loss") }
        let words = try reader.readStrings("words"), classes = try reader.readStrings("classes")
        let input = try reader.readArray("input", as: Float.self), output = try reader.readArray("output", as: Float.self)
        let wordCounts = try reader.readArray("word_counts", as: UInt64.self).map { Int($0) }
        let classCounts = try reader.readArray("class_counts", as: UInt64.self).map { Int($0) }
        guard !classes.isEmpty, input.count == (words.count + bucket) * dim, output.count == loss.outputRows(classes: classes.count) * dim,
              wordCounts.count == words.count, classCounts.count == classes.count, loss != .hierarchical || classes.count >= 2 else {
            throw ArtifactError.damaged(path: reader.path, reason: "the matrices or counts do not match \(words.count) words + \(bucket) buckets and \(classes.count) classes of dim \(dim)")
        }
        return FastTextClassifierModel(dim: dim, words: words, bucket: bucket, wordNgrams: n, classes: classes, loss: loss, input: input, output: output,
                                       wordCounts: wordCounts, classCounts: classCounts)
    }
}

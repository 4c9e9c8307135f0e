import WordmillArtifacts
import WordmillModels

/// A trained `fasttext-classifier` ready for raw text: tokenizes as its training data was,
/// then scores the words and word n-grams.
public struct FastTextPredictor {
    public let model: FastTextClassifierModel
    let splitter: TextSplitter
    let featurizer: FastTextFeaturizer
    private var rows: [Int32] = []
    private var hashes: [UInt32] = []

    /// Loads a `fasttext-classifier` model artifact; `mecabDictionary` for models over MeCab morphemes.
    public init(path: String, mecabDictionary: String? = nil) throws {
        let reader = try ArtifactReader(path: path, kinds: [FastTextClassifierArtifact.kind])
        model = try FastTextClassifierArtifact.read(reader)
        splitter = try TextSplitter(options: reader.header.metadata["tokenizer"] ?? .null, modelPath: path, mecabDictionary: mecabDictionary)
        featurizer = FastTextFeaturizer(words: model.words, bucket: model.bucket, wordNgrams: model.wordNgrams)
    }

    /// Whether texts should come in batches through `prepare` (an analyser command).
    public var prefersBatches: Bool { splitter.prefersBatches }

    /// Tokenizes a batch of texts ahead of `classify` (runs an analyser command once).
    public func prepare(_ texts: [String]) throws { try splitter.prepare(texts) }

    /// The `k` most probable classes of a text with probability at least `threshold`, best first.
    public mutating func classify(_ text: String, k: Int, threshold: Float) throws -> [(label: Int, probability: Float)] {
        featurizer.rows(tokens: try splitter.split(text), into: &rows, scratch: &hashes)
        return FastTextClassifierModel.top(model.probabilities(rows: rows), k: k, threshold: threshold)
    }
}

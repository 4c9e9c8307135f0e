import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillText

/// A trained classifier ready for raw text: the model, the features it was trained on and
/// the tokenizer its training data went through (all read from the model artifact), so new
/// text is tokenized and featurized exactly as training did.
public struct TextClassifier {
    public let model: NaiveBayesModel
    public let featurizer: BagOfWordsFeaturizer
    let splitter: TextSplitter
    private var row = SparseRow()
    private var scratch = BagOfWordsFeaturizer.Scratch()
    private var scores: [Double] = []

    /// Loads a `naive-bayes` model artifact; `mecabDictionary` for models over MeCab morphemes.
    public init(path: String, mecabDictionary: String? = nil) throws {
        let reader = try ArtifactReader(path: path, kinds: [NaiveBayesArtifact.kind])
        (model, featurizer) = try NaiveBayesArtifact.read(reader)
        splitter = try TextSplitter(options: reader.header.metadata["tokenizer"] ?? .null, modelPath: path, mecabDictionary: mecabDictionary)
    }

    /// Whether texts should come in batches through `prepare` (an analyser command).
    public var prefersBatches: Bool { splitter.prefersBatches }

    /// Tokenizes a batch of texts ahead of `classify` (runs an analyser command once).
    public func prepare(_ texts: [String]) throws { try splitter.prepare(texts) }

    /// One text's class log-probabilities (in `model.classes` order) and the best class.
    public mutating func classify(_ text: String) throws -> (best: Int, logProbabilities: [Double]) {
        let tokens = try splitter.split(text)
        featurizer.featurize(tokens, into: &row, scratch: &scratch)
        model.jointLogLikelihood(row, into: &scores)
        NaiveBayesModel.normalize(&scores)
        return (NaiveBayesModel.argmax(scores), scores)
    }
}

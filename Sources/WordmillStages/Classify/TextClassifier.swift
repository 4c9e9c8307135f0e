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
    public let tokenizer: Tokenizer
    private var row = SparseRow()
    private var scratch = BagOfWordsFeaturizer.Scratch()
    private var lineScratch: [UInt8] = []
    private var tokens: [String] = []
    private var scores: [Double] = []

    /// Loads a `naive-bayes` model artifact.
    public init(path: String) throws {
        let reader = try ArtifactReader(path: path, kinds: [NaiveBayesArtifact.kind])
        (model, featurizer) = try NaiveBayesArtifact.read(reader)
        guard let options = reader.header.metadata["tokenizer"]?.objectValue, let kind = options["kind"]?.stringValue else {
            throw ArtifactError.damaged(path: path, reason: "the model does not record the tokenizer its data went through")
        }
        guard Tokenizer.Kind(rawValue: kind) != nil else {
            throw UnsupportedTokenizer(description: "\(path) was trained on tokens from the \"\(kind)\" tokenizer, which predict cannot run yet; tokenize the texts with the same command and classify them with a model whose tokenize stage reads them with \"whitespace\"")
        }
        tokenizer = TokenizeOperation.tokenizer(from: options)
    }

    /// One text's class log-probabilities (in `model.classes` order) and the best class.
    public mutating func classify(_ text: String) -> (best: Int, logProbabilities: [Double]) {
        tokens.removeAll(keepingCapacity: true)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { line in
            tokenizer.tokenize(utf8: UnsafeBufferPointer(line), scratch: &lineScratch) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        }
        featurizer.featurize(tokens, into: &row, scratch: &scratch)
        model.jointLogLikelihood(row, into: &scores)
        NaiveBayesModel.normalize(&scores)
        return (NaiveBayesModel.argmax(scores), scores)
    }
}

/// A model whose tokenizer `predict` cannot reproduce.
public struct UnsupportedTokenizer: Error, CustomStringConvertible {
    public let description: String
}

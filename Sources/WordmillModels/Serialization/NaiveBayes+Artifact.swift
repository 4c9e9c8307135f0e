import WordmillArtifacts
import WordmillData

/// The `naive-bayes` model artifact: `classes` and `features` (records), `features.ngram`
/// (u8), `idf` (f64, tf-idf only), `class_count` (f64), `feature_count`, `class_log_prior`
/// and `feature_log_prob` (f64, features × classes, feature-major). Header metadata: the
/// variant and its settings, and the bag-of-words settings and `tokenizer` needed to turn
/// new text into the same features.
public enum NaiveBayesArtifact {
    public static let kind = "naive-bayes"

    /// Writes the model's sections and returns the metadata describing it.
    public static func write(_ model: NaiveBayesModel, featurizer: BagOfWordsFeaturizer, to writer: ArtifactWriter) throws {
        try writer.writeStrings("classes", model.classes)
        try writer.writeStrings("features", featurizer.features)
        try writer.writeSection("features.ngram", type: .u8, values: featurizer.ngramLengths)
        if let idf = featurizer.idf { try writer.writeSection("idf", type: .f64, values: idf) }
        try writer.writeSection("class_count", type: .f64, values: model.classCount)
        try writer.writeSection("feature_count", type: .f64, values: model.featureCount)
        try writer.writeSection("class_log_prior", type: .f64, values: model.classLogPrior)
        try writer.writeSection("feature_log_prob", type: .f64, values: model.featureLogProb)
    }

    /// The metadata `read` needs besides the sections.
    public static func metadata(_ config: NaiveBayesConfig, featurizer: BagOfWordsFeaturizer, tokenizer: JSONValue) -> [String: JSONValue] {
        var m: [String: JSONValue] = [
            "variant": .string(config.variant.rawValue), "alpha": .double(config.alpha), "fit_prior": .bool(config.fitPrior),
            "norm": .bool(config.norm), "binary": .bool(featurizer.binary), "weighting": .string(featurizer.idf == nil ? "counts" : "tfidf"),
            "ngram_range": [.integer(featurizer.ngramRange.lowerBound), .integer(featurizer.ngramRange.upperBound)], "tokenizer": tokenizer,
        ]
        if let prior = config.classPrior { m["class_prior"] = .array(prior.map { .double($0) }) }
        return m
    }

    /// Reads the model and its featurizer back (log-probabilities recomputed from the counts,
    /// which gives the stored values bit for bit).
    public static func read(_ reader: ArtifactReader) throws -> (model: NaiveBayesModel, featurizer: BagOfWordsFeaturizer) {
        let m = reader.header.metadata
        func damaged(_ why: String) -> ArtifactError { .damaged(path: reader.path, reason: why) }
        guard let variant = m["variant"]?.stringValue.flatMap(NaiveBayesConfig.Variant.init(rawValue:)), let alpha = m["alpha"]?.doubleValue
        else { throw damaged("metadata lacks the variant or alpha") }
        let config = NaiveBayesConfig(variant: variant, alpha: alpha, fitPrior: m["fit_prior"]?.boolValue ?? true,
                                      classPrior: m["class_prior"]?.arrayValue?.compactMap(\.doubleValue), norm: m["norm"]?.boolValue ?? false)
        let classes = try reader.readStrings("classes")
        let featurizer = try BagOfWordsMatrix.readFeaturizer(reader)
        let features = featurizer.features.count
        let classCount = try reader.readArray("class_count", as: Double.self)
        let featureCount = try reader.readArray("feature_count", as: Double.self)
        guard !classes.isEmpty, classCount.count == classes.count, featureCount.count == features * classes.count,
              config.classPrior == nil || config.classPrior!.count == classes.count
        else { throw damaged("section sizes disagree: \(classes.count) classes, \(features) features") }
        let model = NaiveBayesModel(config: config, classes: classes, features: features, classCount: classCount, featureCount: featureCount)
        return (model, featurizer)
    }
}

import WordmillArtifacts
import WordmillData
import WordmillSupport

/// The `naive-bayes` model artifact: `classes` and `features` (records), `features.ngram`
/// (u8), `idf` (f64, tf-idf only), `class_count` and `class_log_prior` (f64 per class), the
/// nonzero feature counts as CSR over features (`feature_count.offsets` u64, `.classes` u32,
/// `.values` f64), and the log-likelihood table: `feature_log_prob.cells` (f64, at the
/// nonzero counts' cells) and, for every other cell (j, c), `class_term[c] + feature_term[j]
/// · class_factor[c]`. Header metadata: the variant and its settings, and the bag-of-words
/// settings and `tokenizer` needed to turn new text into the same features.
public enum NaiveBayesArtifact {
    public static let kind = "naive-bayes"

    /// Writes the model's sections and returns the metadata describing it.
    public static func write(_ model: NaiveBayesModel, featurizer: BagOfWordsFeaturizer, to writer: ArtifactWriter) throws {
        try writer.writeStrings("classes", model.classes)
        try writer.writeStrings("features", featurizer.features)
        try writer.writeSection("features.ngram", type: .u8, values: featurizer.ngramLengths)
        if let idf = featurizer.idf { try writer.writeSection("idf", type: .f64, values: idf) }
        try writer.writeSection("class_count", type: .f64, values: model.classCount)
        try writer.writeSection("feature_count.offsets", type: .u64, values: model.featureCounts.offsets.map { UInt64($0) })
        try writer.writeSection("feature_count.classes", type: .u32, values: model.featureCounts.classes.map { UInt32($0) })
        try writer.writeSection("feature_count.values", type: .f64, values: model.featureCounts.values)
        try writer.writeSection("class_log_prior", type: .f64, values: model.classLogPrior)
        let table = model.featureLogProb
        try writer.writeSection("feature_log_prob.class_term", type: .f64, values: table.classTerm)
        try writer.writeSection("feature_log_prob.feature_term", type: .f64, values: table.featureTerm)
        try writer.writeSection("feature_log_prob.class_factor", type: .f64, values: table.classFactor)
        try writer.writeSection("feature_log_prob.cells", type: .f64, values: table.cellValues)
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
        let offsets = try reader.readArray("feature_count.offsets", as: UInt64.self)
        let cellClasses = try reader.readArray("feature_count.classes", as: UInt32.self)
        let values = try reader.readArray("feature_count.values", as: Double.self)
        guard !classes.isEmpty, classCount.count == classes.count, offsets.count == features + 1, offsets.first == 0,
              offsets.last == UInt64(values.count), cellClasses.count == values.count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              cellClasses.allSatisfy({ Int($0) < classes.count }), config.classPrior == nil || config.classPrior!.count == classes.count
        else { throw damaged("the count sections disagree with \(classes.count) classes and \(features) features") }
        let counts = NaiveBayesModel.SparseCounts(offsets: offsets.map { Int($0) }, classes: cellClasses.map { Int32($0) }, values: values)
        let model = NaiveBayesModel(config: config, classes: classes, features: features, classCount: classCount, featureCounts: counts)
        return (model, featurizer)
    }
}

import Foundation
import WordmillData
import WordmillModels
import WordmillSupport

/// RFC 4180 fields: quoted when they hold a comma, a quote, or a line break.
public enum CSV {
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One evaluated document: its index in the dataset, true and predicted class, and the
/// predicted class's probability.
public struct PredictionRecord: Sendable {
    public var document: Int
    public var truth: String
    public var predicted: String
    public var probability: Double
    public init(document: Int, truth: String, predicted: String, probability: Double) {
        self.document = document
        self.truth = truth
        self.predicted = predicted
        self.probability = probability
    }
}

/// A predictions file format: a header, then one line per prediction, so the file can be
/// written a prediction at a time.
public struct PredictionsEncoding: Sendable {
    public let header: String
    public let line: @Sendable (PredictionRecord) -> String
}

/// The classifier exports: predictions as CSV or JSON lines, and a naive Bayes model as JSON.
public enum ClassifierFormats {
    /// `document,label,predicted,probability` with a header line.
    public static let predictionsCSV = PredictionsEncoding(header: "document,label,predicted,probability\n") { r in
        "\(r.document),\(CSV.field(r.truth)),\(CSV.field(r.predicted)),\(r.probability)\n"
    }

    /// One JSON object per line: `{"document", "label", "predicted", "probability"}`.
    public static let predictionsJSONL = PredictionsEncoding(header: "") { r in
        JSONValue.object(["document": .integer(r.document), "label": .string(r.truth), "predicted": .string(r.predicted),
                          "probability": .double(r.probability)]).canonicalText + "\n"
    }

    /// The model as one JSON document: variant and settings, classes, class log-priors and
    /// counts, and per feature its name, n-gram length, idf (tf-idf) and per-class
    /// log-likelihoods (`feature_log_prob` in scikit-learn's terms, class order).
    public static func naiveBayesJSON(_ model: NaiveBayesModel, featurizer: BagOfWordsFeaturizer, tokenizer: JSONValue) -> [UInt8] {
        let c = model.classes.count
        var features: [JSONValue] = []
        features.reserveCapacity(featurizer.features.count)
        for (j, name) in featurizer.features.enumerated() {
            var f: [String: JSONValue] = ["feature": .string(name), "log_prob": .array((0..<c).map { .double(model.featureLogProb.value(feature: j, class: $0)) })]
            if featurizer.ngramRange.upperBound > 1 { f["n"] = .integer(Int(featurizer.ngramLengths[j])) }
            if let idf = featurizer.idf { f["idf"] = .double(idf[j]) }
            features.append(.object(f))
        }
        var settings: [String: JSONValue] = ["variant": .string(model.config.variant.rawValue), "alpha": .double(model.config.alpha),
                                             "fit_prior": .bool(model.config.fitPrior)]
        if model.config.variant == .complement { settings["norm"] = .bool(model.config.norm) }
        if let prior = model.config.classPrior { settings["class_prior"] = .array(prior.map { .double($0) }) }
        let document: JSONValue = [
            "model": .object(settings),
            "features_from": ["tokenizer": tokenizer, "ngram_range": [.integer(featurizer.ngramRange.lowerBound), .integer(featurizer.ngramRange.upperBound)],
                              "binary": .bool(featurizer.binary), "weighting": .string(featurizer.idf == nil ? "counts" : "tfidf")],
            "classes": .array(model.classes.map { .string($0) }),
            "class_log_prior": .array(model.classLogPrior.map { .double($0) }),
            "class_count": .array(model.classCount.map { .double($0) }),
            "features": .array(features),
        ]
        return Array((document.prettyText + "\n").utf8)
    }
}

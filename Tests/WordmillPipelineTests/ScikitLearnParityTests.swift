import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport
@testable import WordmillStages

/// Every case of `Tests/Fixtures/naive-bayes/sklearn-nb.json` (made with scikit-learn's
/// CountVectorizer / TfidfVectorizer and MultinomialNB / ComplementNB / BernoulliNB): the
/// same features, class log-priors, feature log-probabilities and test-document class
/// log-probabilities to 1e-9, and the same predictions.
@Suite struct ScikitLearnParityTests {
    static let fixture: JSONValue = {
        let bytes = try! FileSystem.readFile(Repository.fixture("naive-bayes/sklearn-nb.json"))
        return try! JSONParser.parse(bytes)
    }()

    static var caseNames: [String] { fixture["cases"]!.arrayValue!.map { $0["name"]!.stringValue! } }

    static func tsv(_ documents: JSONValue) -> String {
        documents.arrayValue!.map { "\($0["label"]!.stringValue!)\t\($0["text"]!.stringValue!)\n" }.joined()
    }

    @Test(arguments: caseNames)
    func matchesScikitLearn(_ name: String) throws {
        let c = Self.fixture["cases"]!.arrayValue!.first { $0["name"]?.stringValue == name }!
        let v = c["vectorizer"]!
        var bow: [String: JSONValue] = ["name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"],
                                        "ngram_range": v["ngram_range"]!, "binary": v["binary"]!, "weighting": v["weighting"]!,
                                        "min_df": v["min_df"]!, "max_df": v["max_df"]!]
        if let m = v["max_features"], m != .null { bow["max_features"] = m }
        var nb: [String: JSONValue] = ["name": "nb", "op": "train", "from": "bow", "model": "naive-bayes",
                                       "variant": c["variant"]!, "alpha": c["alpha"]!, "fit_prior": c["fit_prior"]!]
        if let p = c["class_prior"], p != .null { nb["class_prior"] = p }
        if let n = c["norm"] { nb["norm"] = n }
        let spec: JSONValue = ["wordmill": 1, "name": "parity", "artifacts": "art", "stages": [
            ["name": "tokens", "op": "tokenize", "inputs": "train.tsv", "test_inputs": "test.tsv", "format": "tsv", "tokenizer": "sklearn"],
            ["name": "vocab", "op": "vocab", "from": "tokens"], .object(bow), .object(nb),
        ]]
        let (dir, result) = try runSpec(spec.prettyText, files: ["train.tsv": Self.tsv(Self.fixture["train"]!), "test.tsv": Self.tsv(Self.fixture["test"]!)])
        #expect(result.exitCode == .ok)
        var classifier = try TextClassifier(path: dir.file("art/nb.wma"))
        let model = classifier.model
        let classes = c["classes"]!.arrayValue!.map { $0.stringValue! }
        #expect(model.classes == classes)
        let features = c["features"]!.arrayValue!.map { $0.stringValue! }
        #expect(Set(classifier.featurizer.features) == Set(features))
        guard Set(classifier.featurizer.features) == Set(features) else { return }
        for (k, expected) in c["class_log_prior"]!.arrayValue!.enumerated() {
            #expect(abs(model.classLogPrior[k] - expected.doubleValue!) < 1e-9)
        }
        let flp = c["feature_log_prob"]!.arrayValue!
        var worst = 0.0
        for (k, row) in flp.enumerated() {
            for (j, value) in row.arrayValue!.enumerated() {
                let ours = Int(classifier.featurizer.id(of: features[j])!)
                worst = max(worst, abs(model.featureLogProb.value(feature: ours, class: k) - value.doubleValue!))
            }
        }
        #expect(worst < 1e-9, "feature_log_prob differs by \(worst)")
        let tests = Self.fixture["test"]!.arrayValue!
        let expectedLogProba = c["test_log_proba"]!.arrayValue!
        let expectedPredictions = c["test_predictions"]!.arrayValue!.map { $0.stringValue! }
        for (i, document) in tests.enumerated() {
            let (best, logp) = try classifier.classify(document["text"]!.stringValue!)
            #expect(classes[best] == expectedPredictions[i], "document \(i)")
            for (k, expected) in expectedLogProba[i].arrayValue!.enumerated() {
                #expect(abs(logp[k] - expected.doubleValue!) < 1e-9, "document \(i) class \(k): \(logp[k]) vs \(expected.doubleValue!)")
            }
        }
    }
}

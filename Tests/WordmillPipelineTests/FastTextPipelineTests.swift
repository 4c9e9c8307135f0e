import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport
@testable import WordmillModels
@testable import WordmillPipeline
@testable import WordmillStages

/// The fastText classifier in a pipeline: tsv → tokens → vocab → sequences → train → evaluate,
/// then `wordmill predict` on raw text, and the spec rules `validate` enforces.
@Suite struct FastTextPipelineTests {
    static let train = """
        sport\tthe team won the match in the final minute
        sport\ta late goal won the cup for the home team
        sport\tthe match ended with a goal from the captain
        food\tthe soup was warm and the bread was fresh
        food\ta sweet cake with fresh cream and fruit
        food\tthe bread and soup came with a cake

        """
    static let test = "sport\tthe captain scored a goal in the match\nfood\tfresh fruit and cream on a warm cake\n"

    static func spec(_ train: String) -> String {
        """
        {"wordmill": 1, "name": "ft", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "test_inputs": "test.tsv", "format": "tsv"},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
          {"name": "ft", "op": "train", "from": "sequences", \(train)},
          {"name": "eval", "op": "evaluate", "from": ["ft", "sequences"], "metrics": "metrics.json"}
        ]}
        """
    }

    @Test func trainsEvaluatesAndPredicts() throws {
        let (dir, result) = try runSpec(Self.spec(#""model": "fasttext-classifier", "dim": 10, "epochs": 40, "lr": 0.5, "word_ngrams": 2, "bucket": 1000"#),
                                        files: ["train.tsv": Self.train, "test.tsv": Self.test])
        #expect(result.exitCode == .ok)
        let metrics = try JSONParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("metrics.json"))), as: UTF8.self))
        #expect(metrics["accuracy"]?.doubleValue == 1.0)
        let model = try FastTextClassifierArtifact.read(ArtifactReader(path: dir.file("art/ft.wma")))
        #expect(model.classes == ["food", "sport"] && model.bucket == 1000 && model.wordNgrams == 2 && model.words.last == "</s>")
        #expect(model.input.count == (model.words.count + 1000) * 10)
        let predict = try runWordmill(["predict", dir.file("art/ft.wma"), "--k", "2", "--format", "jsonl", "a goal for the team"])
        #expect(predict.status == 0)
        let line = try JSONParser.parse(predict.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(line["label"] == "sport")
        let probabilities = line["probabilities"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(probabilities.count == 2 && abs(probabilities.reduce(0, +) - 1) < 1e-5 && probabilities[0] > probabilities[1])
        // --k and --threshold belong to fastText models.
        #expect(try runWordmill(["predict", dir.file("art/ft.wma"), "--threshold", "0.5", "soup"]).stdout.contains("food,"))
        let thresholdOnly = try runWordmill(["predict", dir.file("art/ft.wma"), "--threshold", "1", "soup"])
        #expect(thresholdOnly.stdout.hasSuffix(",,soup\n"))
    }

    @Test func validateRejectsWhatTrainingCannotUse() {
        let files = ["train.tsv": Self.train, "test.tsv": Self.test]
        let noBucket = issues(Self.spec(#""model": "fasttext-classifier", "word_ngrams": 2, "bucket": 0"#), files: files)
        #expect(noBucket.issues.map(\.path) == ["stages[3].bucket"])
        let otherLoss = issues(Self.spec(#""model": "fasttext-classifier", "loss": "hs""#), files: files)
        #expect(otherLoss.issues.map(\.path) == ["stages[3].loss"])
        let lm = issues(Self.spec(#""model": "fasttext-classifier""#).replacingOccurrences(of: #""task": "classify""#, with: #""task": "lm""#), files: files)
        #expect(lm.issues.count == 1 && lm.issues[0].message.contains("classify"))
        // The default bucket follows word_ngrams.
        #expect(issues(Self.spec(#""model": "fasttext-classifier", "word_ngrams": 2"#), files: files).issues.isEmpty)
    }

    /// The subword model on windows: the rules word2vec's windows rules share, the n-gram range,
    /// and export formats that take its vectors.
    @Test func validateRejectsSubwordSettingsTrainingCannotUse() {
        func spec(_ train: String, edges: String = "truncate") -> String {
            """
            {"wordmill": 1, "name": "sw", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "c.txt"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 2, "edges": "\(edges)"},
              {"name": "ft", "op": "train", "from": "windows", "model": "fasttext", \(train)},
              {"name": "bin", "op": "export", "from": "ft", "format": "fasttext-bin", "path": "m.bin"},
              {"name": "vec", "op": "export", "from": "ft", "format": "word2vec-text", "path": "m.vec"}
            ]}
            """
        }
        let files = ["c.txt": "a b c d\n"]
        #expect(issues(spec(#""minn": 3, "maxn": 6"#), files: files).issues.isEmpty)
        #expect(issues(spec(#""minn": 4, "maxn": 3"#), files: files).issues.map(\.path) == ["stages[3].maxn"])
        #expect(issues(spec(#""objective": "softmax""#), files: files).issues.map(\.path) == ["stages[3].objective"])
        #expect(issues(spec(#""architecture": "cbow""#), files: files).issues.map(\.path) == ["stages[3].architecture"])
        #expect(issues(spec(#""dim": 8"#, edges: "pad"), files: files).issues.map(\.path).contains("stages[3].objective"))
        #expect(issues(spec(#""bucket": 0"#), files: files).issues.map(\.path) == ["stages[3].bucket"])
        #expect(issues(spec(#""cbow_mean": false"#), files: files).issues.map(\.path) == ["stages[3].cbow_mean"])
    }
}

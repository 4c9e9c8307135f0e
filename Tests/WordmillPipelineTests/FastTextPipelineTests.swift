import Foundation
import Testing
import WordmillArtifacts
import WordmillData
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
          {"name": "eval", "op": "evaluate", "from": ["ft", "sequences"], "metrics": "metrics.json"},
          {"name": "eval2", "op": "evaluate", "from": ["ft", "sequences"], "metrics": "metrics2.json", "k": 2}
        ]}
        """
    }

    @Test func trainsEvaluatesAndPredicts() throws {
        let (dir, result) = try runSpec(Self.spec(#""model": "fasttext-classifier", "dim": 10, "epochs": 40, "lr": 0.5, "word_ngrams": 2, "bucket": 1000"#),
                                        files: ["train.tsv": Self.train, "test.tsv": Self.test])
        #expect(result.exitCode == .ok)
        let metrics = try JSONParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("metrics.json"))), as: UTF8.self))
        #expect(metrics["accuracy"]?.doubleValue == 1.0)
        #expect(metrics["precision_at_k"]?.doubleValue == 1.0 && metrics["recall_at_k"]?.doubleValue == 1.0 && metrics["k"] == 1)
        // Two classes, one label each: the two best labels always hold the true one.
        let atTwo = try JSONParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("metrics2.json"))), as: UTF8.self))
        #expect(atTwo["precision_at_k"]?.doubleValue == 0.5 && atTwo["recall_at_k"]?.doubleValue == 1.0)
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

    /// A corpus sorted by class and larger than `memory_mb` trains from random blocks read
    /// while training: as accurate as holding it, a different visiting order, and with one
    /// thread the same model on every run.
    @Test func aCorpusOverItsMemoryTrainsInRandomBlocks() throws {
        var state: UInt64 = 5
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        let classes = ["red", "green", "blue"]
        func document(_ c: Int) -> String {
            (0..<10).map { _ in next(3) == 0 ? "shared\(next(20))" : "\(classes[c])\(next(30))" }.joined(separator: " ")
        }
        // 36,000 documents of 10 tokens: 84 bytes each featurized, 2.9 MiB, so 3 blocks of memory_mb 1.
        let train = (0..<3).flatMap { c in (0..<12_000).map { _ in "\(classes[c])\t\(document(c))\n" } }.joined()
        let test = (0..<300).map { i in "\(classes[i % 3])\t\(document(i % 3))\n" }.joined()
        func run(_ memory: Int) throws -> (accuracy: Double, blocks: Int, input: [Float]) {
            let (dir, result) = try runSpec(Self.spec(#""model": "fasttext-classifier", "dim": 8, "epochs": 3, "lr": 0.2, "memory_mb": \#(memory)"#),
                                            files: ["train.tsv": train, "test.tsv": test])
            #expect(result.exitCode == .ok)
            let metrics = try JSONParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("metrics.json"))), as: UTF8.self))
            let reader = try ArtifactReader(path: dir.file("art/ft.wma"))
            return (metrics["accuracy"]?.doubleValue ?? 0, reader.header.counts["blocks_per_epoch"] ?? 0, try FastTextClassifierArtifact.read(reader).input)
        }
        let held = try run(256), blocked = try run(1), again = try run(1)
        #expect(held.blocks == 1 && blocked.blocks == 3)
        #expect(held.accuracy > 0.97 && blocked.accuracy > 0.97, "held \(held.accuracy), blocked \(blocked.accuracy)")
        #expect(blocked.input != held.input)
        #expect(again.input == blocked.input)
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

    /// Training continues from an earlier subword model on new data: the words both corpora
    /// share and every n-gram bucket start where the earlier model ended (with a negligible
    /// learning rate, they stay there), new words start fresh, and the shapes must agree.
    @Test func subwordTrainingContinuesFromAnEarlierModel() throws {
        let old = String(repeating: "the cat sat on the mat with the dog\nthe dog ran to the cat\n", count: 40)
        let new = String(repeating: "the cat and the dog met a fox\na fox ran past the cat\n", count: 40)
        func spec(_ continued: String) -> String {
            """
            {"wordmill": 1, "name": "continue", "artifacts": "art", "stages": [
              {"name": "old-tokens", "op": "tokenize", "inputs": "old.txt"},
              {"name": "old-vocab", "op": "vocab", "from": "old-tokens"},
              {"name": "old-windows", "op": "windows", "from": ["old-tokens", "old-vocab"], "kind": "skipgram", "window": 2},
              {"name": "old", "op": "train", "from": "old-windows", "model": "fasttext", "dim": 8, "epochs": 2, "bucket": 5000, "seed": 3},
              {"name": "new-tokens", "op": "tokenize", "inputs": "new.txt"},
              {"name": "new-vocab", "op": "vocab", "from": "new-tokens"},
              {"name": "new-windows", "op": "windows", "from": ["new-tokens", "new-vocab"], "kind": "skipgram", "window": 2},
              {"name": "new", "op": "train", "from": \(continued), "model": "fasttext", "dim": 8, "epochs": 1, "lr": 1e-9, "bucket": 5000}
            ]}
            """
        }
        let files = ["old.txt": old, "new.txt": new]
        let (dir, result) = try runSpec(spec(#"["new-windows", "old"]"#), files: files)
        #expect(result.exitCode == .ok)
        let before = try FastTextSubwordArtifact.read(ArtifactReader(path: dir.file("art/old.wma")))
        let after = try FastTextSubwordArtifact.read(ArtifactReader(path: dir.file("art/new.wma")))
        #expect(after.seed == 3, "unused buckets are rebuilt from the earlier model's seed")
        for word in ["cat", "dog", "the", "unseen"] {
            #expect(zip(before.vector(of: word), after.vector(of: word)).allSatisfy { abs($0 - $1) < 1e-5 }, "\(word)")
        }
        // "fox" is new: the n-grams it shares with nothing the old model knew, and its own row, start fresh.
        #expect(!before.contains("fox") && after.contains("fox"))
        let (freshDir, _) = try runSpec(spec(#""new-windows""#), files: files)
        let fresh = try FastTextSubwordArtifact.read(ArtifactReader(path: freshDir.file("art/new.wma")))
        #expect(zip(before.vector(of: "cat"), fresh.vector(of: "cat")).contains { abs($0 - $1) > 1e-3 })
        // The shapes must agree.
        let mismatch = issues(spec(#"["new-windows", "old"]"#).replacingOccurrences(of: #""lr": 1e-9, "bucket": 5000"#, with: #""lr": 1e-9, "bucket": 6000"#), files: files)
        #expect(mismatch.issues.map(\.path) == ["stages[7].bucket"])
    }

    /// Several labels per document (tsv with a label separator, jsonl arrays): one-vs-all
    /// learns every label, P@k and R@k score label sets, and the single-label classifiers are
    /// refused before anything runs.
    @Test func multiLabelDocumentsTrainOneVsAll() throws {
        var lines: [String] = []
        for i in 0..<60 {
            switch i % 3 {
            case 0: lines.append("sport\tthe team won the match")
            case 1: lines.append("food\tthe soup and the bread were warm")
            default: lines.append("sport,food\tthe team ate soup and bread after the match")
            }
        }
        let train = lines.joined(separator: "\n") + "\n"
        func spec(_ format: String, _ model: String, input: String = "train.tsv") -> String {
            """
            {"wordmill": 1, "name": "ml", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "\(input)", "format": \(format)},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
              {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
              {"name": "model", "op": "train", "from": \(model)},
              {"name": "eval", "op": "evaluate", "from": ["model", "sequences"], "metrics": "metrics.json", "part": "train", "k": 2, "threshold": 0.5}
            ]}
            """
        }
        let multi = #"{"kind": "tsv", "label_separator": ","}"#
        let ova = #""sequences", "model": "fasttext-classifier", "loss": "one-vs-all", "dim": 8, "epochs": 30, "lr": 0.5"#
        let (dir, result) = try runSpec(spec(multi, ova), files: ["train.tsv": train])
        #expect(result.exitCode == .ok)
        let tokens = try ArtifactReader(path: dir.file("art/tokens.wma"))
        let labels = try DocumentLabels(reader: tokens, documents: 60)
        #expect(labels.classes == ["food", "sport"] && labels.isMultiLabel && labels.labelSet(2) == [1, 0] && labels.labelSet(0) == [1])
        let metrics = try JSONParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("metrics.json"))), as: UTF8.self))
        // Above the threshold: exactly each document's labels (80 labels over 60 documents).
        #expect(metrics["precision_at_k"]?.doubleValue == 1.0 && metrics["recall_at_k"]?.doubleValue == 1.0, "\(metrics.canonicalText)")
        let predict = try runWordmill(["predict", dir.file("art/model.wma"), "--k", "2", "--threshold", "0.5", "--format", "jsonl", "soup after the match"])
        #expect(try JSONParser.parse(predict.stdout)["labels"]?.arrayValue?.count == 2, "\(predict.stdout)")
        // jsonl arrays read the same labels.
        let jsonl = (0..<60).map { i in
            i % 3 == 2 ? #"{"text": "the team ate soup", "y": ["sport", "food"]}"# : (i % 3 == 0 ? #"{"text": "the match", "y": "sport"}"# : #"{"text": "the soup", "y": ["food"]}"#)
        }.joined(separator: "\n") + "\n"
        let jsonFormat = #"{"kind": "jsonl", "label_field": "y", "multi_label": true}"#
        let (jsonDir, jsonResult) = try runSpec(spec(jsonFormat, ova, input: "train.jsonl"), files: ["train.jsonl": jsonl])
        #expect(jsonResult.exitCode == .ok)
        #expect(try DocumentLabels(reader: ArtifactReader(path: jsonDir.file("art/tokens.wma")), documents: 60).labelSet(2) == [1, 0])
        // The single-label classifiers are refused at validation.
        let nb = issues(spec(multi, #""bow", "model": "naive-bayes""#).replacingOccurrences(of: #", "k": 2, "threshold": 0.5"#, with: "")
                          .replacingOccurrences(of: #"["model", "sequences"]"#, with: #"["model", "bow"]"#), files: ["train.tsv": train])
        #expect(nb.issues.map(\.path) == ["stages[4]"] && nb.issues[0].message.contains("several labels"), "\(nb.issues)")
        let rnn = issues(spec(multi, #""sequences", "model": "rnn""#).replacingOccurrences(of: #", "k": 2, "threshold": 0.5"#, with: ""), files: ["train.tsv": train])
        #expect(rnn.issues.map(\.path) == ["stages[4]"], "\(rnn.issues)")
        #expect(issues(spec(#""tsv""#, #""sequences", "model": "rnn""#).replacingOccurrences(of: #", "k": 2, "threshold": 0.5"#, with: ""), files: ["train.tsv": train]).issues.isEmpty)
    }
}

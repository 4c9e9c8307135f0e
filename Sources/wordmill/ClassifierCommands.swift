import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillModels
import WordmillPipeline
import WordmillExport
import WordmillStages
import WordmillSupport

/// Loads a classifier or exits with an input error.
func loadClassifier(_ path: String, mecabDictionary: String? = nil) -> TextClassifier {
    do { return try TextClassifier(path: path, mecabDictionary: mecabDictionary) } catch { fail("\(error)", code: .inputError) }
}

/// Runs `body`, or exits with an input error naming what failed (e.g. MeCab on a text).
func orFail<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { fail("\(error)", code: .inputError) }
}

/// `wordmill predict`: classify texts given as arguments or read from standard input.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Classify or tag texts with a trained model (a naive-bayes, rnn or fasttext-classifier model artifact).",
        discussion: "Texts are tokenized exactly as the model's training data was. With - (or no text) one document per line is read from standard input. A tagger prints each token with its tag (csv: token/tag pairs separated by spaces). A fasttext-classifier gives the --k most probable labels with probability at least --threshold (csv: one row per label, best first).")

    @Argument(help: "A naive-bayes, rnn or fasttext-classifier model artifact (.wma).") var model: String
    @Argument(help: "Texts to classify; - reads one document per line from standard input.") var texts: [String] = []
    @Option(help: "csv (label,probability,text) or jsonl (adds every class's probability).") var format: PredictionFormat = .csv
    @Option(help: "The MeCab dictionary folder, for a model trained on MeCab morphemes.") var mecabDictionary: String?
    @Option(name: .customLong("k"), help: "fasttext-classifier: how many labels per text, most probable first (default 1).") var k: Int?
    @Option(help: "fasttext-classifier: only labels with at least this probability (default 0).") var threshold: Float?

    func run() throws {
        let kind = artifactKind(model)
        if kind == FastTextClassifierArtifact.kind { return try predictFastText() }
        if k != nil || threshold != nil { fail("--k and --threshold apply to fasttext-classifier models; \(model) is a \(kind) model", code: .usage) }
        if kind == RecurrentArtifact.kind { return try predictRecurrent() }
        var classifier = loadClassifier(model, mecabDictionary: mecabDictionary)
        let classes = classifier.model.classes
        if format == .csv { print("label,probability,text") }
        func emit(_ text: String) {
            let (best, logp) = orFail { try classifier.classify(text) }
            let probability = Foundation.exp(logp[best])
            if format == .csv {
                print("\(CSV.field(classes[best])),\(probability),\(CSV.field(text))")
            } else {
                let all = JSONValue.object(Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, .double(Foundation.exp(logp[$0.offset]))) }))
                print(JSONValue.object(["text": .string(text), "label": .string(classes[best]), "probability": .double(probability), "probabilities": all]).canonicalText)
            }
        }
        forEachText(batched: classifier.prefersBatches, prepare: classifier.prepare, emit)
    }
}

extension PredictCommand {
    /// Reads the texts: the arguments, or standard input line by line. A model whose texts
    /// go through an analyser command gets them in batches of `batchLines` first (`prepare`),
    /// so the command starts once per batch.
    func forEachText(batched: Bool, prepare: ([String]) throws -> Void, _ body: (String) -> Void) {
        let batchLines = 1000
        func run(_ batch: [String]) {
            if batched { orFail { try prepare(batch) } }
            batch.forEach(body)
        }
        guard texts.isEmpty || texts == ["-"] else { return run(texts) }
        var batch: [String] = []
        while let line = readLine(strippingNewline: true) {
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard batched else { body(text); continue }
            batch.append(text)
            if batch.count == batchLines {
                run(batch)
                batch.removeAll()
            }
        }
        if !batch.isEmpty { run(batch) }
    }

    func predictFastText() throws {
        let k = self.k ?? 1, threshold = self.threshold ?? 0
        guard k >= 1, (0...1).contains(threshold) else { fail("--k must be at least 1 and --threshold between 0 and 1", code: .usage) }
        var predictor = orFail { try FastTextPredictor(path: model, mecabDictionary: mecabDictionary) }
        let classes = predictor.model.classes
        if format == .csv { print("label,probability,text") }
        forEachText(batched: predictor.prefersBatches, prepare: predictor.prepare) { text in
            let top = orFail { try predictor.classify(text, k: k, threshold: threshold) }
            if format == .csv {
                if top.isEmpty { print(",,\(CSV.field(text))") }
                for (label, p) in top { print("\(CSV.field(classes[label])),\(p),\(CSV.field(text))") }
            } else {
                var object: [String: JSONValue] = ["text": .string(text), "labels": .array(top.map { .string(classes[$0.label]) }),
                                                   "probabilities": .array(top.map { .double(Double($0.probability)) })]
                object["label"] = top.first.map { .string(classes[$0.label]) } ?? .null
                object["probability"] = top.first.map { .double(Double($0.probability)) } ?? .null
                print(JSONValue.object(object).canonicalText)
            }
        }
    }

    func predictRecurrent() throws {
        let predictor = loadRecurrent(model, mecabDictionary: mecabDictionary)
        let classes = predictor.classes
        switch predictor.task {
        case .classify:
            if format == .csv { print("label,probability,text") }
            forEachText(batched: predictor.prefersBatches, prepare: predictor.prepare) { text in
                guard let (best, p) = orFail({ try predictor.classify(text) }) else {
                    if format == .csv { print(",,\(CSV.field(text))") } else { print(JSONValue.object(["text": .string(text), "label": .null]).canonicalText) }
                    return
                }
                if format == .csv {
                    print("\(CSV.field(classes[best])),\(p[best]),\(CSV.field(text))")
                } else {
                    let all = JSONValue.object(Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, .double(Double(p[$0.offset]))) }))
                    print(JSONValue.object(["text": .string(text), "label": .string(classes[best]), "probability": .double(Double(p[best])), "probabilities": all]).canonicalText)
                }
            }
        case .tag:
            if format == .csv { print("tagged,text") }
            forEachText(batched: predictor.prefersBatches, prepare: predictor.prepare) { text in
                let tagged = orFail { try predictor.tag(text) }
                if format == .csv {
                    print("\(CSV.field(tagged.map { "\($0.token)/\(classes[$0.tag])" }.joined(separator: " "))),\(CSV.field(text))")
                } else {
                    print(JSONValue.object([
                        "text": .string(text), "tokens": .array(tagged.map { .string($0.token) }),
                        "tags": .array(tagged.map { .string(classes[$0.tag]) }), "probabilities": .array(tagged.map { .double(Double($0.probability)) }),
                    ]).canonicalText)
                }
            }
        case .lm:
            fail("\(model) is a language model; use wordmill generate \(model) --prompt TEXT", code: .usage)
        }
    }
}

/// The kind of an artifact, or exit with an input error.
func artifactKind(_ path: String) -> String {
    do { return try ArtifactReader(path: path).header.kind } catch { fail("\(error)", code: .inputError) }
}

/// Loads an rnn model or exits with an input error.
func loadRecurrent(_ path: String, mecabDictionary: String? = nil) -> RecurrentPredictor {
    do { return try RecurrentPredictor(path: path, mecabDictionary: mecabDictionary) } catch { fail("\(error)", code: .inputError) }
}

/// `wordmill generate`: sample a continuation from a language model.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Continue a prompt with a trained language model (an rnn model with task lm).",
        discussion: "The prompt is tokenized as the training data was; generation stops after --length tokens or at <eos>. Temperature 0 always takes the most likely token.")

    @Argument(help: "An rnn language model artifact (.wma).") var model: String
    @Option(help: "Text to continue (empty: start a new document).") var prompt = ""
    @Option(help: "Tokens to generate.") var length = 50
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 1
    @Option(name: .customLong("top-k"), help: "Sample only among the k most likely tokens (0: all).") var topK = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The MeCab dictionary folder, for a model trained on MeCab morphemes.") var mecabDictionary: String?

    func run() throws {
        guard length >= 0, temperature >= 0, topK >= 0 else { fail("--length, --temperature and --top-k must not be negative", code: .usage) }
        guard artifactKind(model) == RecurrentArtifact.kind else { fail("\(model) is not an rnn model", code: .inputError) }
        let predictor = loadRecurrent(model, mecabDictionary: mecabDictionary)
        guard predictor.task == .lm else { fail("\(model) is a \(predictor.task.rawValue) model, not a language model; use wordmill predict", code: .usage) }
        let tokens = orFail { try predictor.generate(prompt: prompt, length: length, temperature: temperature, topK: topK, seed: seed) }
        let joined = predictor.characterLevel ? tokens.map { $0 == "▁" ? " " : $0 }.joined() : tokens.joined(separator: " ")
        print(predictor.characterLevel ? prompt + joined : (prompt.isEmpty ? joined : prompt + " " + joined))
    }
}

/// `wordmill explain`: the features that most favour each class.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "List each class's most indicative features: log P(f|c) − log P(f|not c).")

    @Argument(help: "A naive-bayes model artifact (.wma).") var model: String
    @Option(help: "Features per class.") var top = 20
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let classifier = loadClassifier(model)
        let lists = classifier.model.indicativeFeatures(top: top)
        let names = classifier.featurizer.features
        if json {
            let object = JSONValue.object(Dictionary(uniqueKeysWithValues: classifier.model.classes.enumerated().map { k, name in
                (name, JSONValue.array(lists[k].map { ["feature": .string(names[$0.feature]), "log_ratio": .double($0.score)] }))
            }))
            print(object.prettyText)
            return
        }
        for (k, name) in classifier.model.classes.enumerated() {
            print("\(name): " + lists[k].map { "\(names[$0.feature]) \(String(format: "%.2f", $0.score))" }.joined(separator: ", "))
        }
    }
}

/// How `predict` prints its predictions.
enum PredictionFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

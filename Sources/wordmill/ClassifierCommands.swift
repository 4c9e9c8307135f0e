import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillModels
import WordmillPipeline
import WordmillExport
import WordmillStages

/// Loads a classifier or exits with an input error.
func loadClassifier(_ path: String) -> TextClassifier {
    do { return try TextClassifier(path: path) } catch { fail("\(error)", code: .inputError) }
}

/// `wordmill predict`: classify texts given as arguments or read from standard input.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Classify texts with a trained classifier (a naive-bayes model artifact).",
        discussion: "Texts are tokenized exactly as the model's training data was. With - (or no text) one document per line is read from standard input.")

    @Argument(help: "A naive-bayes model artifact (.wma).") var model: String
    @Argument(help: "Texts to classify; - reads one document per line from standard input.") var texts: [String] = []
    @Option(help: "csv (label,probability,text) or jsonl (adds every class's probability).") var format = "csv"

    func run() throws {
        guard format == "csv" || format == "jsonl" else { fail("--format must be csv or jsonl, got \(format)", code: .usage) }
        var classifier = loadClassifier(model)
        let classes = classifier.model.classes
        if format == "csv" { print("label,probability,text") }
        func emit(_ text: String) {
            let (best, logp) = classifier.classify(text)
            let probability = Foundation.exp(logp[best])
            if format == "csv" {
                print("\(CSV.field(classes[best])),\(probability),\(CSV.field(text))")
            } else {
                let all = JSONValue.object(Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, .double(Foundation.exp(logp[$0.offset]))) }))
                print(JSONValue.object(["text": .string(text), "label": .string(classes[best]), "probability": .double(probability), "probabilities": all]).canonicalText)
            }
        }
        if texts.isEmpty || texts == ["-"] {
            while let line = readLine(strippingNewline: true) { emit(line.hasSuffix("\r") ? String(line.dropLast()) : line) }
        } else {
            for text in texts { emit(text) }
        }
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

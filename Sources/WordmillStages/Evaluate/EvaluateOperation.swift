import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `evaluate`: word vectors → analogy accuracy and word-pair similarity correlations; or a
/// classifier + its labelled bag-of-words (or an rnn or fastText model + its sequences) → classification
/// metrics or perplexity on the held-out part. The kind of the model read picks the variant.
/// Kept in an `evaluation` artifact and optionally a metrics JSON file.
enum EvaluateOperation {
    /// The kind every evaluate stage writes.
    static let artifactKind = "evaluation"

    static let definition = OperationDefinition(
        name: "evaluate",
        summary: "score word vectors on analogies and similarity pairs, or a classifier on held-out documents",
        parameters: [
            ParameterSpec("metrics", .string(), default: .null, doc: "also write the metrics as JSON to this file"),
        ],
        selector: .inputKind(slot: "model"),
        variants: [wordVectors, classifier, recurrent, fastTextClassifier])

    static let wordVectors = VariantDeclaration(
        name: "word-vectors", summary: "analogy accuracy (3CosAdd, 3CosMul) and word-pair similarity correlations, as gensim scores them",
        parameters: [
            ParameterSpec("analogies", .paths, default: [], doc: "questions-words.txt format files"),
            ParameterSpec("similarities", .paths, default: [], doc: "word-pair files: w1 w2 score (WordSim-353, SimLex-999)"),
            ParameterSpec("restrict_vocab", .integer(min: 1), default: 30_000, doc: "only the N most frequent words take part (gensim's restrict_vocab)"),
            ParameterSpec("case_insensitive", .boolean, default: true, doc: "match words ignoring case, the most frequent spelling winning (gensim)"),
            ParameterSpec("methods", .choiceList(AnalogyMethod.allCases.map(\.rawValue)), default: ["add", "mul"], doc: "analogy scoring: add (3CosAdd), mul (3CosMul)"),
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds)], outputKind: artifactKind, algorithmVersion: 1,
        fileParameters: ["analogies", "similarities"],
        check: { c in
            c.parameters.strings("analogies").isEmpty && c.parameters.strings("similarities").isEmpty
                ? [c.issue(nil, "name \"analogies\" or \"similarities\" files to evaluate the word vectors on")] : []
        },
        run: runWordVectors)

    /// Which documents a classifier or rnn evaluation scores.
    enum Part: String, CaseIterable {
        case test, train, all
        /// Whether a document of the training part (or not) is scored.
        func includes(training: Bool) -> Bool { self == .all || (self == .train) == training }
        /// The same documents as a sequences stream's part.
        var sequencePart: SequenceSource.Part {
            switch self {
            case .test: return .test
            case .train: return .training
            case .all: return .all
            }
        }
    }

    static let heldOut: [ParameterSpec] = [
        ParameterSpec("part", .string(choices: Part.allCases.map(\.rawValue)), default: "test", doc: "which documents to score"),
        ParameterSpec("confusion_svg", .string(), default: .null, doc: "also draw the confusion matrix as an SVG heat map here"),
    ]

    static let classifier = VariantDeclaration(
        name: "classifier", summary: "accuracy, per-class precision / recall / F1 and the confusion matrix of a naive Bayes classifier",
        parameters: heldOut,
        inputs: [InputSlot("model", kinds: [NaiveBayesArtifact.kind]), InputSlot("data", kinds: [BagOfWordsMatrix.artifactKind])],
        outputKind: artifactKind, algorithmVersion: 1
    ) { context in try ClassifierEvaluation.run(context, model: context.input("model"), data: context.input("data")) }

    static let recurrent = VariantDeclaration(
        name: "rnn", summary: "classification metrics of an rnn classifier or tagger, or a language model's loss and perplexity",
        parameters: heldOut,
        inputs: [InputSlot("model", kinds: [RecurrentArtifact.kind]), InputSlot("data", kinds: [SequenceDataset.artifactKind])],
        outputKind: artifactKind, algorithmVersion: 1,
        check: { c in
            guard c.parameters["confusion_svg"] != nil, let data = c.upstream["data"], data.parameters.isChoice("task", RecurrentTask.lm) else { return [] }
            return [c.issue("confusion_svg", "applies to classifiers and taggers; stage '\(data.name)' is a language model's stream")]
        }
    ) { context in try RecurrentEvaluation.run(context, model: context.input("model"), data: context.input("data")) }

    static let fastTextClassifier = VariantDeclaration(
        name: "fasttext-classifier", summary: "accuracy, P@k and R@k, per-class precision / recall / F1 and the confusion matrix of a fastText classifier",
        parameters: heldOut + [
            ParameterSpec("k", .integer(min: 1, max: 100_000), default: 1, doc: "P@k and R@k over each document's k most probable labels (fasttext test's k)"),
            ParameterSpec("threshold", .number(min: 0, max: 1), default: 0.0, doc: "only labels at least this probable count toward P@k and R@k (fasttext test's threshold)"),
        ],
        inputs: [InputSlot("model", kinds: [FastTextClassifierArtifact.kind]), InputSlot("data", kinds: [SequenceDataset.artifactKind])],
        outputKind: artifactKind, algorithmVersion: 2  // 2: P@k and R@k
    ) { context in try FastTextEvaluation.run(context, model: context.input("model"), data: context.input("data")) }

    static func runWordVectors(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let methods = p.strings("methods").map { AnalogyMethod(rawValue: $0)! }
        let table = try EmbeddingTable(reader: context.input("model"))
        // Resolve each list on its own: a glob can stand for several files, so positions in
        // `context.files` (both lists together) do not say which list a file came from.
        let analogyPaths = try CorpusFiles.resolve(p.strings("analogies"), spec: context.spec, path: "\(context.stage.jsonPath).analogies")
        let similarityPaths = try CorpusFiles.resolve(p.strings("similarities"), spec: context.spec, path: "\(context.stage.jsonPath).similarities")
        let metrics = try Evaluator.evaluate(table, analogyFiles: analogyPaths, similarityFiles: similarityPaths,
                                             restrictVocab: p.int("restrict_vocab"), caseInsensitive: p.bool("case_insensitive"), methods: methods,
                                             displayName: { TokenizeOperation.displayPath($0, context: context) })
        var outputs: [JSONValue] = []
        if let path = p.optionalString("metrics") {
            let bytes = Array((metrics.prettyText + "\n").utf8)
            try AtomicFile.write(bytes, to: context.resolvePath(path))
            outputs.append(["path": .string(path), "bytes": .integer(bytes.count), "xxh64": .string(XXH64.hash(bytes).hex16)])
        }
        try context.writeArtifact(kind: artifactKind) { _ in ([:], ["metrics": metrics, "outputs": .array(outputs)]) }
        return StageReport(summary: Evaluator.summary(metrics))
    }
}

/// Runs the evaluations and shapes the metrics JSON (shared by the stage and `wordmill evaluate`).
public enum Evaluator {
    public static func evaluate(
        _ table: EmbeddingTable, analogyFiles: [String], similarityFiles: [String], restrictVocab: Int, caseInsensitive: Bool,
        methods: [AnalogyMethod], displayName: (String) -> String = { $0 }
    ) throws -> JSONValue {
        var analogies: [String: JSONValue] = [:]
        for file in analogyFiles {
            let questions = try AnalogyQuestions.parse(String(decoding: try FileSystem.readFile(file), as: UTF8.self), path: file)
            var byMethod: [String: JSONValue] = [:]
            for method in methods {
                let r = AnalogyEvaluation.evaluate(table, questions: questions, restrictVocab: restrictVocab, caseInsensitive: caseInsensitive, method: method)
                byMethod[method == .add ? "3CosAdd" : "3CosMul"] = [
                    "total": .double(r.total), "semantic": .double(r.semantic), "syntactic": .double(r.syntactic),
                    "answered": .integer(r.answered), "skipped": .integer(r.skipped),
                    "sections": .object(Dictionary(r.sections.map { ($0.name, ["accuracy": .double($0.accuracy), "correct": .integer($0.correct), "total": .integer($0.total)] as JSONValue) }) { a, _ in a }),
                ]
            }
            analogies[displayName(file)] = .object(byMethod)
        }
        var similarities: [String: JSONValue] = [:]
        for file in similarityFiles {
            let pairs = try WordPairs.parse(String(decoding: try FileSystem.readFile(file), as: UTF8.self), path: file)
            let r = SimilarityEvaluation.evaluate(table, pairs: pairs, restrictVocab: max(restrictVocab, 300_000), caseInsensitive: caseInsensitive)
            similarities[displayName(file)] = ["spearman": .double(r.spearman), "pearson": .double(r.pearson), "pairs": .integer(r.pairs), "skipped": .integer(r.skipped)]
        }
        return ["analogies": .object(analogies), "similarities": .object(similarities), "restrict_vocab": .integer(restrictVocab), "vocab_size": .integer(table.words.count)]
    }

    /// One line: each file's headline numbers.
    public static func summary(_ metrics: JSONValue) -> String {
        var parts: [String] = []
        for (file, value) in (metrics["analogies"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (method, r) in (value.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                parts.append("\(FileSystem.baseName(of: file)) \(method) \(String(format: "%.3f", r["total"]?.doubleValue ?? 0)) (sem \(String(format: "%.3f", r["semantic"]?.doubleValue ?? 0)), syn \(String(format: "%.3f", r["syntactic"]?.doubleValue ?? 0)))")
            }
        }
        for (file, r) in (metrics["similarities"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(FileSystem.baseName(of: file)) ρ \(String(format: "%.3f", r["spearman"]?.doubleValue ?? 0)) (\(r["skipped"]?.intValue ?? 0) pairs skipped)")
        }
        return parts.joined(separator: "; ")
    }
}

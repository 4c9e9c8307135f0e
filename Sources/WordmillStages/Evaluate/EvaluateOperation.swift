import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline

/// `evaluate`: word vectors → analogy accuracy and word-pair similarity correlations; or a
/// classifier + its labelled bag-of-words (or an rnn model + its sequences) → classification
/// metrics or perplexity on the held-out part.
/// Kept in an `evaluation` artifact and optionally a metrics JSON file.
enum EvaluateOperation {
    static let definition = OperationDefinition(
        name: "evaluate",
        summary: "score word vectors on analogies and similarity pairs, or a classifier on held-out documents",
        parameters: [
            ParameterSpec("analogies", .paths, default: [], doc: "questions-words.txt format files"),
            ParameterSpec("similarities", .paths, default: [], doc: "word-pair files: w1 w2 score (WordSim-353, SimLex-999)"),
            ParameterSpec("restrict_vocab", .integer(min: 1), default: 30_000, doc: "only the N most frequent words take part (gensim's restrict_vocab)"),
            ParameterSpec("case_insensitive", .boolean, default: true, doc: "match words ignoring case, the most frequent spelling winning (gensim)"),
            ParameterSpec("methods", .stringList, default: ["add", "mul"], doc: "analogy scoring: add (3CosAdd), mul (3CosMul)"),
            ParameterSpec("metrics", .string(), default: .null, doc: "also write the metrics as JSON to this file"),
            ParameterSpec("part", .string(choices: ["test", "train", "all"]), default: "test", doc: "classifiers: which documents to score"),
            ParameterSpec("confusion_svg", .string(), default: .null, doc: "classifiers: also draw the confusion matrix as an SVG heat map here"),
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds + [NaiveBayesArtifact.kind, RecurrentArtifact.kind]),
                 InputSlot("data", kinds: [BagOfWordsMatrix.artifactKind, SequenceDataset.artifactKind], optional: true)],
        outputKind: { _ in "evaluation" },
        algorithmVersion: 1,
        fileParameters: ["analogies", "similarities"],
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let model = context.input("model")
        if model.header.kind == NaiveBayesArtifact.kind {
            return try ClassifierEvaluation.run(context, model: model, data: context.optionalInput("data"))
        }
        if model.header.kind == RecurrentArtifact.kind {
            return try RecurrentEvaluation.run(context, model: model, data: context.optionalInput("data"))
        }
        if let data = context.optionalInput("data") {
            throw StageInputError("\(context.stage.jsonPath).from: stage '\(data.header.stage)' is a labelled dataset; word vectors are evaluated on analogies and similarities")
        }
        if p["confusion_svg"] != nil { throw StageInputError("\(context.stage.jsonPath).confusion_svg applies to classifiers, not word vectors") }
        let analogyFiles = p.strings("analogies"), similarityFiles = p.strings("similarities")
        if analogyFiles.isEmpty && similarityFiles.isEmpty {
            throw StageInputError("\(context.stage.jsonPath): name \"analogies\" or \"similarities\" files to evaluate on")
        }
        var methods: [AnalogyMethod] = []
        for m in p.strings("methods") {
            guard let method = AnalogyMethod(rawValue: m) else { throw StageInputError("\(context.stage.jsonPath).methods: unknown method \"\(m)\"; use \"add\" or \"mul\"") }
            methods.append(method)
        }
        let table = try EmbeddingTable(reader: context.input("model"))
        // Resolve each list on its own: a glob can stand for several files, so positions in
        // `context.files` (both lists together) do not say which list a file came from.
        let analogyPaths = try CorpusFiles.resolve(analogyFiles, spec: context.spec, path: "\(context.stage.jsonPath).analogies")
        let similarityPaths = try CorpusFiles.resolve(similarityFiles, spec: context.spec, path: "\(context.stage.jsonPath).similarities")
        let metrics = try Evaluator.evaluate(table, analogyFiles: analogyPaths, similarityFiles: similarityPaths,
                                             restrictVocab: p.int("restrict_vocab"), caseInsensitive: p.bool("case_insensitive"), methods: methods,
                                             displayName: { TokenizeOperation.displayPath($0, context: context) })
        var outputs: [JSONValue] = []
        if let path = p.optionalString("metrics") {
            let bytes = Array((metrics.prettyText + "\n").utf8)
            try AtomicFile.write(bytes, to: context.resolvePath(path))
            outputs.append(["path": .string(path), "bytes": .integer(bytes.count), "xxh64": .string(XXH64.hash(bytes).hex16)])
        }
        try context.writeArtifact(kind: "evaluation") { _ in ([:], ["metrics": metrics, "outputs": .array(outputs)]) }
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

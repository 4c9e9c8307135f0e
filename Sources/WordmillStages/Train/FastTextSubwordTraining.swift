import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `train` with `model: "fasttext"`: fastText's unsupervised subword vectors (`fasttext
/// skipgram`, `fasttext cbow`; Bojanowski et al. 2017) on a windows artifact: word2vec in
/// which each word's input is the mean of its own row and its character n-grams' rows, so
/// that any word, seen or not, has a vector.
enum FastTextSubwordTraining {
    static let variant = VariantDeclaration(
        name: "fasttext", summary: "fastText's subword vectors: skip-gram or CBOW over each word's row and its character n-grams' rows",
        parameters: parameters,
        inputs: [InputSlot("dataset", kinds: [WindowDataset.artifactKind]), InputSlot("initial", kinds: [FastTextSubwordArtifact.kind], optional: true)],
        outputKind: FastTextSubwordArtifact.kind, algorithmVersion: 1, check: check, run: run)

    /// The objectives fastText's unsupervised models train with (`-loss ns`, `-loss hs`).
    enum Objective: String, CaseIterable { case negative, hierarchical }

    /// fastText's noise distribution: unigram counts to the power 0.5 (word2vec: 0.75).
    static let noisePower = 0.5

    static let parameters: [ParameterSpec] = [
        ParameterSpec("architecture", .string(choices: WindowConfig.Kind.allCases.map(\.rawValue)),
                      default: .derived(doc: "the kind of the windows stage read") { $0.upstream["dataset"]?.parameters["kind"] },
                      doc: "cbow or skipgram; must match the windows stage"),
        ParameterSpec("objective", .string(choices: Objective.allCases.map(\.rawValue)), default: "negative",
                      doc: "negative sampling (fastText's -loss ns) or hierarchical softmax (-loss hs)"),
        ParameterSpec("negative", .integer(min: 1, max: 100), default: 5, onlyWith: ParameterCondition("objective", [Objective.negative]),
                      doc: "noise words per prediction (-neg)"),
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "size of the word and n-gram vectors (-dim)"),
        ParameterSpec("lr", .number(positive: true), default: 0.05, doc: "initial learning rate, decaying linearly to 0 over all epochs' words (-lr)"),
        ParameterSpec("epochs", .integer(min: 1, max: 100_000), default: 5, doc: "passes over the data (-epoch)"),
        ParameterSpec("sample", .number(min: 0, max: 1), default: 0.0001, doc: "subsampling threshold of frequent words (-t; 0 = off)"),
        ParameterSpec("minn", .integer(min: 1, max: 100), default: 3, doc: "shortest character n-gram, in code points with < and > around the word (-minn)"),
        ParameterSpec("maxn", .integer(min: 1, max: 100), default: 6, doc: "longest character n-gram (-maxn)"),
        ParameterSpec("bucket", .integer(min: 1, max: 100_000_000), default: 2_000_000, doc: "rows the character n-grams are hashed into (-bucket)"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "training threads (Hogwild); 1 is bit-reproducible (-thread)"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "initialisation of the vectors and the random draws (-seed)"),
    ]

    /// The settings a model training continues from must share.
    static let sharedWithInitial = ["dim", "minn", "maxn", "bucket"]

    /// Word2vec's rules between the parameters and the windows stage, the n-gram range, and
    /// the shapes a model training continues from must share.
    static func check(_ c: StageCheck) -> [SpecIssue] {
        var issues = Word2VecTraining.check(c)
        if c.parameters.int("maxn") < c.parameters.int("minn") {
            issues.append(c.issue("maxn", "is \(c.parameters.int("maxn")), below minn \(c.parameters.int("minn")); a model without character n-grams is \"model\": \"word2vec\""))
        }
        if let initial = c.upstream["initial"] {
            for name in sharedWithInitial where initial.parameters[name] != c.parameters[name] {
                issues.append(c.issue(name, "is \(c.parameters[name]?.canonicalText ?? "unset") but stage '\(initial.name)', which training continues from, has \(initial.parameters[name]?.canonicalText ?? "unset")"))
            }
        }
        return issues
    }

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let (reader, vocabulary, windows) = try Word2VecTraining.windowsInput(context)
        let objective: Objective = p.choice("objective")
        let config = Word2VecConfig(
            architecture: windows.kind == .cbow ? .cbow : .skipgram,
            objective: objective == .negative ? .negative(p.int("negative")) : .hierarchical,
            dim: p.int("dim"), window: windows.window, lr: Float(p.double("lr")), minLr: 0, epochs: p.int("epochs"),
            sample: p.double("sample"), cbowMean: true, threads: p.int("threads"), seed: UInt64(p.int("seed")), noisePower: noisePower,
            subwords: .init(minn: p.int("minn"), maxn: p.int("maxn"), bucket: p.int("bucket")))
        let trained = try Word2VecTraining.trainAtScale(context, reader: reader, vocabulary: vocabulary, config: config) { trainer in
            guard let initial = context.optionalInput("initial") else { return }
            let model = try FastTextSubwordArtifact.read(initial)
            guard model.dim == config.dim, model.minn == config.subwords?.minn, model.maxn == config.subwords?.maxn, model.bucket == config.subwords?.bucket else {
                throw StageInputError("the artifact of stage '\(initial.header.stage)' has dim \(model.dim), minn \(model.minn), maxn \(model.maxn), bucket \(model.bucket); \(context.stage.jsonPath) must have the same to continue from it")
            }
            // Output rows carry over only between negative-sampling models: a Huffman tree's inner nodes depend on the counts.
            let sameObjective = initial.header.metadata["objective"]?.stringValue == Objective.negative.rawValue && objective == .negative
            let outputs = sameObjective ? try initial.readArray("output_vectors", as: Float.self) : nil
            let matched = trainer.continueFrom(model, outputVectors: outputs, words: vocabulary.tokens)
            context.log("continuing from stage '\(initial.header.stage)': \(matched) of \(vocabulary.count) words and its \(model.usedBuckets.count) trained n-gram buckets")
        }
        let model = trained.trainer.subwordModel(words: vocabulary.tokens)
        let corpus = trained.corpus
        try Word2VecTraining.writeModel(
            context, kind: FastTextSubwordArtifact.kind, vocabulary: vocabulary, dim: config.dim, architecture: config.architecture.rawValue,
            objective: objective.rawValue, losses: trained.losses,
            counts: ["corpus_words": corpus.totalWords, "epochs": config.epochs, "ngram_buckets_used": model.usedBuckets.count],
            metadata: FastTextSubwordArtifact.metadata(model).merging(["window": .integer(windows.window)]) { a, _ in a }
        ) { writer in
            try FastTextSubwordArtifact.write(model, vocabulary: vocabulary, outputVectors: trained.trainer.contextVectors, losses: trained.losses, to: writer)
        }
        trained.checkpoint.remove()
        let wordObjective: Word2VecTraining.Objective = objective == .negative ? .negative : .hierarchical
        return StageReport(counts: ["corpus_words": corpus.totalWords, "epochs": config.epochs, "words_per_second": Int(trained.wordsPerSecond)],
                           summary: Word2VecTraining.summary(config, wordObjective, trained, words: vocabulary.count) + ", \(model.usedBuckets.count) n-gram buckets used")
    }
}

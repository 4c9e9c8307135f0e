import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `train` with `model: "naive-bayes"`: a labelled bag-of-words dataset → a `naive-bayes`
/// model fitted on its training documents (scikit-learn's MultinomialNB / ComplementNB / BernoulliNB).
enum NaiveBayesTraining {
    static let variant = VariantDeclaration(
        name: "naive-bayes", summary: "a naive Bayes text classifier (scikit-learn's MultinomialNB, ComplementNB, BernoulliNB)",
        parameters: parameters, inputs: [InputSlot("dataset", kinds: [BagOfWordsMatrix.artifactKind])], outputKind: NaiveBayesArtifact.kind,
        algorithmVersion: 2,  // 2: sparse tables
        check: { c in MultiLabel.issue(c, model: "naive-bayes") }, run: run)

    static let parameters: [ParameterSpec] = [
        ParameterSpec("variant", .string(choices: NaiveBayesConfig.Variant.allCases.map(\.rawValue)), default: "multinomial",
                      doc: "multinomial (the lecture's), complement, or bernoulli"),
        ParameterSpec("alpha", .number(positive: true), default: 1.0, doc: "additive smoothing: 1 is Laplace, below 1 Lidstone"),
        ParameterSpec("fit_prior", .boolean, default: true, doc: "learn class priors from the training documents (false: uniform)"),
        ParameterSpec("class_prior", .numberList, default: .null, doc: "given class priors, one per class in sorted class order"),
        ParameterSpec("norm", .boolean, default: false, onlyWith: ParameterCondition("variant", [NaiveBayesConfig.Variant.complement]),
                      doc: "normalise the weights (ComplementNB norm=True)"),
    ]

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        let variant: NaiveBayesConfig.Variant = p.choice("variant")
        let documents = try reader.section(BagOfWordsMatrix.rowsSection).count
        let labels = try DocumentLabels(reader: reader, documents: documents)
        try MultiLabel.refuse(multiLabel: labels.isMultiLabel, stage: reader.header.stage, model: "naive-bayes")
        guard labels.isLabelled else {
            throw StageInputError("stage '\(reader.header.stage)' has no labels: give its tokenize stage a labelled \"format\" (tsv, jsonl with label_field, folders)")
        }
        let classPrior = p["class_prior"]?.arrayValue?.map { $0.doubleValue! }
        if let classPrior, classPrior.count != labels.classes.count {
            throw StageInputError("\(context.stage.jsonPath).class_prior has \(classPrior.count) values for \(labels.classes.count) classes (\(labels.classes.prefix(10).joined(separator: ", "))\(labels.classes.count > 10 ? ", …" : ""))")
        }
        let config = NaiveBayesConfig(variant: variant, alpha: p.double("alpha"), fitPrior: p.bool("fit_prior"), classPrior: classPrior,
                                      norm: p["norm"] == .bool(true))  // declared only with the complement variant
        let featurizer = try BagOfWordsMatrix.readFeaturizer(reader)
        var trainer = NaiveBayesTrainer(config: config, classes: labels.classes, features: featurizer.features.count)
        var trained = 0
        try BagOfWordsMatrix.forEachRow(reader, features: featurizer.features.count) { i, row in
            guard labels.isTraining(i) else { return }
            trainer.add(row, label: Int(labels.labels[i]))
            trained += 1
        }
        if trained == 0 { throw StageInputError("stage '\(reader.header.stage)' has no training documents: every document is in the test part") }
        let model = trainer.model()
        let counts = ["classes": labels.classes.count, "features": featurizer.features.count, "training_documents": trained]
        try context.writeArtifact(kind: NaiveBayesArtifact.kind) { writer in
            try NaiveBayesArtifact.write(model, featurizer: featurizer, to: writer)
            return (counts, NaiveBayesArtifact.metadata(config, featurizer: featurizer, tokenizer: reader.header.metadata["tokenizer"] ?? .null))
        }
        return StageReport(counts: counts, summary: "\(variant.rawValue) naive Bayes, \(labels.classes.count) classes × \(featurizer.features.count) features, fitted on \(trained) documents")
    }
}

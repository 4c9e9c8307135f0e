import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillText

/// `train`: a dataset → a model artifact; `model` picks the trainer.
enum TrainOperation {
    static let definition = OperationDefinition(
        name: "train",
        summary: "train a model on a dataset",
        parameters: [],
        variantKey: "model",
        variants: ["word2vec": Word2VecTraining.parameters, "naive-bayes": NaiveBayesTraining.parameters, "glove": GloVeTraining.parameters,
                   "rnn": RecurrentTraining.parameters],
        inputs: [InputSlot("dataset", kinds: [WindowDataset.artifactKind, BagOfWordsMatrix.artifactKind, CooccurrenceMatrix.artifactKind, SequenceDataset.artifactKind]),
                 InputSlot("embeddings", kinds: ["word2vec", GloVeArtifact.kind], optional: true)],
        outputKind: { p in p["model"]?.stringValue ?? "model" },
        algorithmVersion: 3,  // 2: gensim 4.4 init range and saturation rule; 3: sparse naive Bayes tables
        run: { context in
            if let embeddings = context.optionalInput("embeddings"), context.parameters.string("model") != "rnn" {
                throw StageInputError("\(context.stage.jsonPath).from: stage '\(embeddings.header.stage)' gives pretrained embeddings, which only model \"rnn\" uses")
            }
            switch context.parameters.string("model") {
            case "word2vec": return try Word2VecTraining.run(context)
            case "naive-bayes": return try NaiveBayesTraining.run(context)
            case "glove": return try GloVeTraining.run(context)
            case "rnn": return try RecurrentTraining.run(context)
            default: throw StageInputError("unknown model \(context.parameters.string("model"))")
            }
        })
}

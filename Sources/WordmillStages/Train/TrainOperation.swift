import WordmillPipeline

/// `train`: a dataset → a model artifact; `model` names the variant, each declared in its own file.
enum TrainOperation {
    static let definition = OperationDefinition(
        name: "train", summary: "train a model on a dataset", selector: .parameter("model"),
        variants: [Word2VecTraining.variant, NaiveBayesTraining.variant, GloVeTraining.variant, RecurrentTraining.variant,
                   FastTextClassifierTraining.variant, FastTextSubwordTraining.variant])
}

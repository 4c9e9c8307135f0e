import WordmillPipeline

/// Every op a spec can name: one table, op name → definition.
public enum StageCatalog {
    public static let operations = OperationCatalog([
        TokenizeOperation.definition,
        SubwordOperation.definition,
        VocabOperation.definition,
        WindowsOperation.definition,
        BagOfWordsOperation.definition,
        SequencesOperation.definition,
        CooccurrenceOperation.definition,
        TrainOperation.definition,
        ExportOperation.definition,
        EvaluateOperation.definition,
        ImportOperation.definition,
    ])
}

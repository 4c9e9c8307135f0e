/// Training examples for the softmax word2vec, held in memory.
///
/// CBOW: each row of `inputs` holds the 2W context ids of one example (−1 marks "no word
/// here", for windows cut at a sentence edge) and the target is the centre word.
/// Skip-gram: `width` 1, the input is the centre word and the target one context word
/// (the lecture's `SkipGramDataset`: x = centre, y = context).
public struct Word2VecExamples: Sendable, Equatable {
    /// `count × width` input ids, row-major; −1 means "no word".
    public let inputs: [Int32]
    /// Input ids per example (2W for CBOW, 1 for skip-gram).
    public let width: Int
    /// One target id per example.
    public let targets: [Int32]

    /// Examples from flat inputs (`targets.count × width`, row-major) and their targets.
    public init(inputs: [Int32], width: Int, targets: [Int32]) {
        precondition(width >= 1, "Word2VecExamples needs width ≥ 1, got \(width)")
        precondition(inputs.count == width * targets.count,
                     "\(inputs.count) input ids do not make \(targets.count) rows of width \(width)")
        self.inputs = inputs
        self.width = width
        self.targets = targets
    }

    /// The number of examples.
    public var count: Int { targets.count }

    /// The first example holding an id the model cannot index: an input that is neither −1
    /// nor in 0..<vocabularySize, or a target outside 0..<vocabularySize. Nil when all are valid.
    public func firstInvalidID(vocabularySize: Int) -> (example: Int, id: Int32)? {
        let v = Int32(clamping: vocabularySize)
        for (i, id) in inputs.enumerated() where id < -1 || id >= v { return (i / width, id) }
        for (i, id) in targets.enumerated() where id < 0 || id >= v { return (i, id) }
        return nil
    }
}

/// A query word that the table does not have.
public enum EmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `word` is not among the table's `vocabularySize` words.
    case unknownWord(String, vocabularySize: Int)

    public var description: String {
        switch self {
        case .unknownWord(let word, let n):
            return "\"\(word)\" is not in the vocabulary of \(n) words"
        }
    }
}

/// How `EmbeddingTable.analogy` scores a candidate x for "a is to b as c is to x".
public enum AnalogyMethod: String, Sendable, CaseIterable {
    /// 3CosAdd (Mikolov et al. 2013): cos(x, b) − cos(x, a) + cos(x, c).
    case add
    /// 3CosMul (Levy & Goldberg 2014): cos′(x, b) · cos′(x, c) / (cos′(x, a) + 0.001), with
    /// every cosine shifted into [0, 1] by cos′ = (cos + 1) / 2.
    case mul
}

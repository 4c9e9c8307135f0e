import Foundation

/// The classifier's output layer and loss (fastText's `-loss`): a softmax over the classes, a
/// hierarchical softmax over a Huffman tree of the class counts (`hs`: log C dot products per
/// document instead of C), or one independent logistic regression per class (`ova`: a
/// document may belong to several classes; the probabilities do not sum to 1).
public enum FastTextLoss: String, Sendable, CaseIterable {
    case softmax
    case hierarchical
    case oneVsAll = "one-vs-all"

    /// Output rows for `classes` classes: one per class, or one per inner node of the tree.
    public func outputRows(classes: Int) -> Int { self == .hierarchical ? classes - 1 : classes }
}

/// fastText's hierarchical softmax tree over the classes: word2vec.c's Huffman construction on
/// the class counts, with fastText's convention that the turn coded 1 has probability σ(score).
/// A class's probability is the product over its path of σ(s) where the code is 1 and 1 − σ(s)
/// where it is 0.
public struct FastTextClassTree: Sendable {
    /// Per class: the inner nodes from the root down (output rows) and the codes.
    public let points: [[Int32]]
    public let codes: [[UInt8]]
    /// The classes by count, most frequent first (ties by class order): the order fastText's
    /// dictionary must list them in for its own tree to equal this one.
    public let order: [Int]

    public init(counts: [Int]) {
        let tree = HuffmanTree(counts: counts)
        (points, codes) = (tree.points, tree.codes)
        order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
    }
}

/// σ and log σ computed exactly (the classifier's few outputs per document need no table).
@inline(__always) func logistic(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }

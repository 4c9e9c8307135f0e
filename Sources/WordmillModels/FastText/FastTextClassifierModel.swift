import Foundation
import WordmillNumerics

/// fastText's linear text classifier (Joulin et al. 2017, "Bag of Tricks for Efficient Text
/// Classification"): a document is the mean of the input rows of its words and of its hashed
/// word n-grams, and a linear layer over that mean gives the class scores (`FastTextLoss`:
/// softmax, hierarchical softmax or one-vs-all).
///
/// Input rows: the `words` vocabulary rows, then `bucket` rows for hashed word n-grams.
public struct FastTextClassifierModel: Sendable {
    public let dim: Int
    /// The vocabulary: row i of `input` is word i's.
    public let words: [String]
    /// Rows for hashed word n-grams after the words' (0 when `wordNgrams` is 1).
    public let bucket: Int
    /// Longest word n-gram (1: words only).
    public let wordNgrams: Int
    public let classes: [String]
    public let loss: FastTextLoss
    /// (words + bucket) × dim.
    public let input: [Float]
    /// `loss.outputRows(classes:)` × dim: a row per class, or per inner node of `tree`.
    public let output: [Float]
    /// The hierarchical softmax's tree (over `classCounts`); nil for the other losses.
    public let tree: FastTextClassTree?
    /// Occurrences of each word and each class in the training documents (a `.bin` export's
    /// dictionary records them); empty when not known.
    public let wordCounts: [Int]
    public let classCounts: [Int]

    /// `classCounts` are required for the hierarchical softmax (its tree is built from them).
    public init(dim: Int, words: [String], bucket: Int, wordNgrams: Int, classes: [String], loss: FastTextLoss = .softmax, input: [Float], output: [Float],
                wordCounts: [Int] = [], classCounts: [Int] = []) {
        precondition(input.count == (words.count + bucket) * dim && output.count == loss.outputRows(classes: classes.count) * dim)
        precondition((wordCounts.isEmpty || wordCounts.count == words.count) && (classCounts.isEmpty || classCounts.count == classes.count))
        precondition(loss != .hierarchical || (classCounts.count == classes.count && classes.count >= 2))
        (self.dim, self.words, self.bucket, self.wordNgrams, self.classes, self.input, self.output) = (dim, words, bucket, wordNgrams, classes, input, output)
        (self.wordCounts, self.classCounts, self.loss) = (wordCounts, classCounts, loss)
        tree = loss == .hierarchical ? FastTextClassTree(counts: classCounts) : nil
    }

    /// Class probabilities for a document given as input rows (words' and n-grams'); all
    /// zero for a document without rows. One-vs-all gives each class its own probability.
    public func probabilities(rows: [Int32]) -> [Float] {
        var p = [Float](repeating: 0, count: classes.count)
        guard !rows.isEmpty else { return p }
        let hidden = self.hidden(rows: rows)
        output.withUnsafeBufferPointer { o in
            hidden.withUnsafeBufferPointer { h in
                p.withUnsafeMutableBufferPointer { p in
                    FastTextOutput.probabilities(o.baseAddress!, loss: loss, tree: tree, classes: classes.count, hidden: h.baseAddress!, dim: dim, into: p.baseAddress!)
                }
            }
        }
        return p
    }

    /// The training loss of one document: −log p(label) for softmax and hierarchical softmax,
    /// the sum over classes of −log σ(±score) for one-vs-all.
    public func loss(rows: [Int32], label: Int) -> Double {
        let p = probabilities(rows: rows)
        guard loss == .oneVsAll else { return -Foundation.log(Double(p[label])) }
        return p.indices.reduce(0.0) { $0 - Foundation.log(Double($1 == label ? p[$1] : 1 - p[$1])) }
    }

    /// The mean of a document's input rows.
    func hidden(rows: [Int32]) -> [Float] {
        var hidden = [Float](repeating: 0, count: dim)
        input.withUnsafeBufferPointer { w in
            hidden.withUnsafeMutableBufferPointer { h in
                for r in rows { VectorKernels.axpy(1, w.baseAddress! + Int(r) * dim, h.baseAddress!, dim) }
                VectorKernels.scale(1 / Float(rows.count), h.baseAddress!, dim)
            }
        }
        return hidden
    }

    /// The `k` most probable classes with probability at least `threshold`, best first (ties
    /// by class order).
    public static func top(_ probabilities: [Float], k: Int, threshold: Float) -> [(label: Int, probability: Float)] {
        probabilities.enumerated().filter { $0.element >= threshold }
            .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(k).map { ($0.offset, $0.element) }
    }
}

/// The classes' probabilities from a hidden vector, per loss.
enum FastTextOutput {
    @inline(__always)
    static func probabilities(_ output: UnsafePointer<Float>, loss: FastTextLoss, tree: FastTextClassTree?, classes: Int, hidden: UnsafePointer<Float>,
                              dim: Int, into p: UnsafeMutablePointer<Float>) {
        switch loss {
        case .softmax:
            FastTextSoftmax.probabilities(output, classes: classes, hidden: hidden, dim: dim, into: p)
        case .oneVsAll:
            for c in 0..<classes { p[c] = logistic(VectorKernels.dot(output + c * dim, hidden, dim)) }
        case .hierarchical:
            // Every class's path; the inner nodes' σ computed once each.
            var turn = [Float](repeating: .nan, count: max(1, classes - 1))
            for c in 0..<classes {
                var q: Float = 1
                for (node, code) in zip(tree!.points[c], tree!.codes[c]) {
                    let n = Int(node)
                    if turn[n].isNaN { turn[n] = logistic(VectorKernels.dot(output + n * dim, hidden, dim)) }
                    q *= code == 1 ? turn[n] : 1 - turn[n]
                }
                p[c] = q
            }
        }
    }
}

/// Softmax over the classes' scores o_c · hidden, max-shifted as fastText computes it.
enum FastTextSoftmax {
    @inline(__always)
    static func probabilities(_ output: UnsafePointer<Float>, classes: Int, hidden: UnsafePointer<Float>, dim: Int, into p: UnsafeMutablePointer<Float>) {
        var best = -Float.infinity
        for c in 0..<classes {
            p[c] = VectorKernels.dot(output + c * dim, hidden, dim)
            best = max(best, p[c])
        }
        var sum: Float = 0
        for c in 0..<classes {
            p[c] = Foundation.exp(p[c] - best)
            sum += p[c]
        }
        let inverse = 1 / sum
        for c in 0..<classes { p[c] *= inverse }
    }
}

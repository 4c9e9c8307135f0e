import Foundation
import WordmillNumerics

/// fastText's linear text classifier (Joulin et al. 2017, "Bag of Tricks for Efficient Text
/// Classification"): a document is the mean of the input rows of its words and of its hashed
/// word n-grams, and a linear layer over that mean gives the class scores (softmax).
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
    /// (words + bucket) × dim.
    public let input: [Float]
    /// classes × dim.
    public let output: [Float]
    /// Occurrences of each word and each class in the training documents (a `.bin` export's
    /// dictionary records them); empty when not known.
    public let wordCounts: [Int]
    public let classCounts: [Int]

    public init(dim: Int, words: [String], bucket: Int, wordNgrams: Int, classes: [String], input: [Float], output: [Float],
                wordCounts: [Int] = [], classCounts: [Int] = []) {
        precondition(input.count == (words.count + bucket) * dim && output.count == classes.count * dim)
        precondition((wordCounts.isEmpty || wordCounts.count == words.count) && (classCounts.isEmpty || classCounts.count == classes.count))
        (self.dim, self.words, self.bucket, self.wordNgrams, self.classes, self.input, self.output) = (dim, words, bucket, wordNgrams, classes, input, output)
        (self.wordCounts, self.classCounts) = (wordCounts, classCounts)
    }

    /// Class probabilities for a document given as input rows (words' and n-grams'); all
    /// zero for a document without rows.
    public func probabilities(rows: [Int32]) -> [Float] {
        var p = [Float](repeating: 0, count: classes.count)
        guard !rows.isEmpty else { return p }
        var hidden = [Float](repeating: 0, count: dim)
        input.withUnsafeBufferPointer { w in
            hidden.withUnsafeMutableBufferPointer { h in
                for r in rows { VectorKernels.axpy(1, w.baseAddress! + Int(r) * dim, h.baseAddress!, dim) }
                VectorKernels.scale(1 / Float(rows.count), h.baseAddress!, dim)
            }
        }
        output.withUnsafeBufferPointer { o in
            hidden.withUnsafeBufferPointer { h in
                p.withUnsafeMutableBufferPointer { p in FastTextSoftmax.probabilities(o.baseAddress!, classes: classes.count, hidden: h.baseAddress!, dim: dim, into: p.baseAddress!) }
            }
        }
        return p
    }

    /// The `k` most probable classes with probability at least `threshold`, best first (ties
    /// by class order).
    public static func top(_ probabilities: [Float], k: Int, threshold: Float) -> [(label: Int, probability: Float)] {
        probabilities.enumerated().filter { $0.element >= threshold }
            .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(k).map { ($0.offset, $0.element) }
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

import Foundation
import WordmillNumerics

/// Analogy accuracy as gensim's `evaluate_word_analogies` computes it: only the
/// `restrictVocab` most frequent words take part (questions with another word are skipped
/// and counted); matching is case-insensitive when asked (the most frequent spelling wins);
/// the answer is the best-scoring word other than a, b and c.
public struct AnalogyResult: Sendable {
    public struct SectionScore: Sendable {
        public let name: String
        public let correct: Int
        public let total: Int
        public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }
    }
    public let method: AnalogyMethod
    public let sections: [SectionScore]
    public let skipped: Int

    func sum(_ keep: (SectionScore) -> Bool) -> (Int, Int) {
        sections.filter(keep).reduce((0, 0)) { ($0.0 + $1.correct, $0.1 + $1.total) }
    }
    public var semantic: Double { let (c, t) = sum { !$0.name.hasPrefix("gram") }; return t > 0 ? Double(c) / Double(t) : 0 }
    public var syntactic: Double { let (c, t) = sum { $0.name.hasPrefix("gram") }; return t > 0 ? Double(c) / Double(t) : 0 }
    public var total: Double { let (c, t) = sum { _ in true }; return t > 0 ? Double(c) / Double(t) : 0 }
    public var answered: Int { sum { _ in true }.1 }
}

public enum AnalogyEvaluation {
    /// Scores `questions` on `table` with 3CosAdd or 3CosMul, questions batched through sgemm.
    public static func evaluate(_ table: EmbeddingTable, questions: AnalogyQuestions, restrictVocab: Int = 30_000,
                                caseInsensitive: Bool = true, method: AnalogyMethod = .add) -> AnalogyResult {
        let n = min(restrictVocab, table.words.count), d = table.dim
        let unit = UnitRows(table, rows: n)
        var lookup: [String: Int] = [:]
        for i in (0..<n).reversed() { lookup[caseInsensitive ? table.words[i].lowercased() : table.words[i]] = i }
        func id(_ w: String) -> Int? { lookup[caseInsensitive ? w.lowercased() : w] }
        var skipped = 0
        var scores: [AnalogyResult.SectionScore] = []
        let batch = 256
        var aM = [Float](repeating: 0, count: batch * d), bM = aM, cM = aM
        var sa = [Float](repeating: 0, count: batch * n), sb = sa, sc = sa
        for section in questions.sections {
            var items: [(Int, Int, Int, Int)] = []
            for (a, b, c, e) in section.questions {
                if let ia = id(a), let ib = id(b), let ic = id(c), let ie = id(e) { items.append((ia, ib, ic, ie)) } else { skipped += 1 }
            }
            var correct = 0
            var start = 0
            while start < items.count {
                let chunk = Array(items[start..<min(items.count, start + batch)])
                for (k, q) in chunk.enumerated() {
                    for j in 0..<d {
                        aM[k * d + j] = unit.values[q.0 * d + j]
                        bM[k * d + j] = unit.values[q.1 * d + j]
                        cM[k * d + j] = unit.values[q.2 * d + j]
                    }
                }
                unit.cosines(aM, count: chunk.count, into: &sa)
                unit.cosines(bM, count: chunk.count, into: &sb)
                unit.cosines(cM, count: chunk.count, into: &sc)
                for (k, q) in chunk.enumerated() {
                    var best = -1
                    var bestScore = -Float.infinity
                    for i in 0..<n where i != q.0 && i != q.1 && i != q.2 {
                        let ca = sa[k * n + i], cb = sb[k * n + i], cc = sc[k * n + i]
                        let s = method == .add ? cb - ca + cc : ((cb + 1) / 2) * ((cc + 1) / 2) / ((ca + 1) / 2 + 0.001)
                        if s > bestScore { bestScore = s; best = i }
                    }
                    if best == q.3 { correct += 1 }
                }
                start += batch
            }
            scores.append(.init(name: section.name, correct: correct, total: items.count))
        }
        return AnalogyResult(method: method, sections: scores, skipped: skipped)
    }
}

/// The first rows of a table scaled to unit length, and batched cosine scores against them.
struct UnitRows {
    let values: [Float]
    let rows: Int
    let dim: Int

    init(_ table: EmbeddingTable, rows: Int) {
        dim = table.dim
        self.rows = rows
        var v = Array(table.vectors[0..<(rows * table.dim)])
        for r in 0..<rows {
            var norm: Float = 0
            for j in 0..<dim { norm += v[r * dim + j] * v[r * dim + j] }
            if norm > 0 { let inv = 1 / norm.squareRoot(); for j in 0..<dim { v[r * dim + j] *= inv } }
        }
        values = v
    }

    /// out (count × rows) = queries (count × dim) · unitRowsᵀ.
    func cosines(_ queries: [Float], count: Int, into out: inout [Float]) {
        queries.withUnsafeBufferPointer { q in
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    BLAS.sgemm(transposeA: false, transposeB: true, m: count, n: rows, k: dim, alpha: 1,
                               a: q.baseAddress!, b: v.baseAddress!, beta: 0, c: o.baseAddress!)
                }
            }
        }
    }
}

/// Word-pair similarity as gensim's `evaluate_word_pairs` scores it: cosine similarity of
/// each pair whose words are both among the `restrictVocab` most frequent, against the
/// human scores, as Spearman's ρ (ties get their average rank) and Pearson's r.
public struct SimilarityResult: Sendable {
    public let spearman: Double
    public let pearson: Double
    public let pairs: Int
    public let skipped: Int
}

public enum SimilarityEvaluation {
    public static func evaluate(_ table: EmbeddingTable, pairs: WordPairs, restrictVocab: Int = 300_000, caseInsensitive: Bool = true) -> SimilarityResult {
        let n = min(restrictVocab, table.words.count)
        let unit = UnitRows(table, rows: n)
        var lookup: [String: Int] = [:]
        for i in (0..<n).reversed() { lookup[caseInsensitive ? table.words[i].lowercased() : table.words[i]] = i }
        var model: [Double] = [], human: [Double] = []
        var skipped = 0
        for (a, b, score) in pairs.pairs {
            guard let ia = lookup[caseInsensitive ? a.lowercased() : a], let ib = lookup[caseInsensitive ? b.lowercased() : b] else {
                skipped += 1
                continue
            }
            var dot: Float = 0
            for j in 0..<unit.dim { dot += unit.values[ia * unit.dim + j] * unit.values[ib * unit.dim + j] }
            model.append(Double(dot))
            human.append(score)
        }
        return SimilarityResult(spearman: Statistics.spearman(model, human), pearson: Statistics.pearson(model, human), pairs: model.count, skipped: skipped)
    }
}

/// Correlation coefficients.
public enum Statistics {
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        guard x.count > 1 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }

    /// Ranks from 1, ties sharing their average rank (scipy's `rankdata`).
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, x[order[j + 1]] == x[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = average }
            i = j + 1
        }
        return r
    }

    public static func spearman(_ x: [Double], _ y: [Double]) -> Double { pearson(ranks(x), ranks(y)) }
}

/// The first principal components of row vectors, by power iteration on the covariance
/// with deflation: deterministic (fixed start vector, fixed iteration count), no LAPACK.
public enum PrincipalComponents {
    /// Projects the first `rows` rows of a rows×dim matrix onto its top `k` components
    /// (centred); returns rows×k coordinates.
    public static func project(_ values: [Float], rows: Int, dim: Int, k: Int = 2, iterations: Int = 200) -> [Double] {
        precondition(values.count >= rows * dim && k >= 1)
        guard rows > 0 else { return [] }
        var mean = [Double](repeating: 0, count: dim)
        for r in 0..<rows { for j in 0..<dim { mean[j] += Double(values[r * dim + j]) } }
        for j in 0..<dim { mean[j] /= Double(rows) }
        var covariance = [Double](repeating: 0, count: dim * dim)
        var centred = [Double](repeating: 0, count: dim)
        for r in 0..<rows {
            for j in 0..<dim { centred[j] = Double(values[r * dim + j]) - mean[j] }
            for a in 0..<dim where centred[a] != 0 {
                let ca = centred[a]
                for b in a..<dim { covariance[a * dim + b] += ca * centred[b] }
            }
        }
        for a in 0..<dim { for b in 0..<a { covariance[a * dim + b] = covariance[b * dim + a] } }
        var components: [[Double]] = []
        for _ in 0..<min(k, dim) {
            var v = (0..<dim).map { 1 + Double($0 % 7) / 10 }
            for _ in 0..<iterations {
                var w = [Double](repeating: 0, count: dim)
                for a in 0..<dim { var s = 0.0; for b in 0..<dim { s += covariance[a * dim + b] * v[b] }; w[a] = s }
                for c in components {  // keep orthogonal to components found
                    let p = zip(w, c).reduce(0) { $0 + $1.0 * $1.1 }
                    for a in 0..<dim { w[a] -= p * c[a] }
                }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm == 0 { break }
                v = w.map { $0 / norm }
            }
            // Fix the sign so the largest coordinate is positive.
            if let m = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[m] < 0 { v = v.map { -$0 } }
            components.append(v)
        }
        var out = [Double](repeating: 0, count: rows * components.count)
        for r in 0..<rows {
            for (c, comp) in components.enumerated() {
                var s = 0.0
                for j in 0..<dim { s += (Double(values[r * dim + j]) - mean[j]) * comp[j] }
                out[r * components.count + c] = s
            }
        }
        return out
    }
}

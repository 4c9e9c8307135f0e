import Foundation
import WordmillData

/// A trained Naive Bayes classifier over sparse feature rows, computed in log space exactly
/// as scikit-learn does (`MultinomialNB`, `ComplementNB`, `BernoulliNB`).
///
/// Matrices are stored feature-major (row j holds the C classes' values of feature j), so
/// scoring a sparse row adds one contiguous C-vector per nonzero.
public struct NaiveBayesModel: Sendable {
    public let config: NaiveBayesConfig
    public let classes: [String]
    public let featureCountTotal: Int
    /// Training documents per class.
    public let classCount: [Double]
    /// Summed feature values per (feature, class); for Bernoulli, documents holding the feature.
    public let featureCount: [Double]
    public let classLogPrior: [Double]
    /// log P(feature | class) per (feature, class); the complement variant's weights for `complement`.
    public let featureLogProb: [Double]
    /// Per (feature, class): what one unit of a feature adds to a class's joint log-likelihood.
    let weights: [Double]
    /// Per class: the joint log-likelihood of an empty document.
    let bias: [Double]

    public var classCountTotal: Int { classes.count }

    /// Computes every log-probability from the counts (what `fit` does after counting).
    public init(config: NaiveBayesConfig, classes: [String], features: Int, classCount: [Double], featureCount: [Double]) {
        let c = classes.count
        precondition(classCount.count == c && featureCount.count == features * c)
        self.config = config
        self.classes = classes
        self.featureCountTotal = features
        self.classCount = classCount
        self.featureCount = featureCount
        let alpha = config.alpha

        var prior = [Double](repeating: 0, count: c)
        let documents = classCount.reduce(0, +)
        for k in 0..<c {
            if let given = config.classPrior {
                prior[k] = Foundation.log(given[k])
            } else if classCount[k] == 0 {
                prior[k] = -.infinity  // a class with no training documents (scikit-learn would not know it)
            } else if config.fitPrior {
                prior[k] = Foundation.log(classCount[k]) - Foundation.log(documents)
            } else {
                prior[k] = -Foundation.log(Double(c - classCount.filter { $0 == 0 }.count))
            }
        }
        classLogPrior = prior

        // Most (feature, class) counts are zero in a sparse corpus: their logarithms are a
        // per-class (or per-feature) constant, computed once instead of per cell.
        var logProb = [Double](repeating: 0, count: features * c)
        var weights: [Double]
        var bias = prior
        switch config.variant {
        case .multinomial:
            var totals = [Double](repeating: alpha * Double(features), count: c)
            for j in 0..<features { for k in 0..<c { totals[k] += featureCount[j * c + k] } }
            let logTotals = totals.map { Foundation.log($0) }
            let unseen = logTotals.map { Foundation.log(alpha) - $0 }
            for j in 0..<features {
                for k in 0..<c {
                    let n = featureCount[j * c + k]
                    logProb[j * c + k] = n == 0 ? unseen[k] : Foundation.log(n + alpha) - logTotals[k]
                }
            }
            weights = logProb
        case .complement:
            var all = [Double](repeating: 0, count: features)
            for j in 0..<features { for k in 0..<c { all[j] += featureCount[j * c + k] } }
            var totals = [Double](repeating: 0, count: c)
            for j in 0..<features { for k in 0..<c { totals[k] += all[j] + alpha - featureCount[j * c + k] } }
            let logTotals = totals.map { Foundation.log($0) }
            var sums = [Double](repeating: 0, count: c)
            for j in 0..<features {
                let logAll = Foundation.log(all[j] + alpha)
                for k in 0..<c {
                    let n = featureCount[j * c + k]
                    let logged = (n == 0 ? logAll : Foundation.log(all[j] + alpha - n)) - logTotals[k]
                    logProb[j * c + k] = logged
                    sums[k] += logged
                }
            }
            for j in 0..<features { for k in 0..<c { logProb[j * c + k] = config.norm ? logProb[j * c + k] / sums[k] : -logProb[j * c + k] } }
            weights = logProb
            if c > 1 { bias = [Double](repeating: 0, count: c) }  // scikit-learn adds the prior only with a single class
        case .bernoulli:
            weights = logProb
            let logTotals = classCount.map { Foundation.log($0 + 2 * alpha) }
            let unseen = logTotals.map { Foundation.log(alpha) - $0 }
            let unseenAbsent = unseen.map { Foundation.log(1 - Foundation.exp($0)) }
            for j in 0..<features {
                for k in 0..<c {
                    let n = featureCount[j * c + k]
                    let lp = n == 0 ? unseen[k] : Foundation.log(n + alpha) - logTotals[k]
                    let absent = n == 0 ? unseenAbsent[k] : Foundation.log(1 - Foundation.exp(lp))
                    logProb[j * c + k] = lp
                    weights[j * c + k] = lp - absent
                    bias[k] += absent
                }
            }
        }
        self.featureLogProb = logProb
        self.weights = weights
        self.bias = bias
    }

    /// Joint log-likelihood log P(c) + log P(x | c) (up to a constant) of one row, per class.
    public func jointLogLikelihood(_ row: SparseRow, into out: inout [Double]) {
        let c = classes.count
        if out.count != c { out = [Double](repeating: 0, count: c) }
        let binarize = config.variant == .bernoulli
        weights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { o in
                for k in 0..<c { o[k] = bias[k] }
                for (n, j) in row.indices.enumerated() {
                    let x = binarize ? (row.values[n] > 0 ? 1.0 : 0.0) : row.values[n]
                    let base = Int(j) * c
                    for k in 0..<c { o[k] += x * w[base + k] }
                }
            }
        }
    }

    /// Turns joint log-likelihoods into log-probabilities in place (subtracting their log-sum-exp).
    public static func normalize(_ jll: inout [Double]) {
        guard let top = jll.max(), top.isFinite else { return }
        var sum = 0.0
        for v in jll { sum += Foundation.exp(v - top) }
        let logSum = top + Foundation.log(sum)
        for k in jll.indices { jll[k] -= logSum }
    }

    /// The most probable class (the first on a tie, as numpy's argmax).
    public static func argmax(_ scores: [Double]) -> Int {
        var best = 0
        for k in scores.indices where scores[k] > scores[best] { best = k }
        return best
    }

    /// Per class, the `top` features that most favour it: the largest log P(f|c) − log P(f|¬c),
    /// with ¬c the other classes' counts pooled and smoothed the same way.
    public func indicativeFeatures(top: Int) -> [[(feature: Int, score: Double)]] {
        let c = classes.count
        let v = featureCountTotal
        let alpha = config.alpha
        var totals = [Double](repeating: 0, count: c)
        var all = [Double](repeating: 0, count: v)
        for j in 0..<v { for k in 0..<c { totals[k] += featureCount[j * c + k]; all[j] += featureCount[j * c + k] } }
        let grand = totals.reduce(0, +)
        return (0..<c).map { k in
            let inClass = totals[k] + alpha * Double(v), outClass = grand - totals[k] + alpha * Double(v)
            var scored = (0..<v).map { j -> (feature: Int, score: Double) in
                let p = (featureCount[j * c + k] + alpha) / inClass
                let q = (all[j] - featureCount[j * c + k] + alpha) / outClass
                return (j, Foundation.log(p) - Foundation.log(q))
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.feature < $1.feature }
            return Array(scored.prefix(top))
        }
    }
}

/// Counts training rows into a `NaiveBayesModel`.
public struct NaiveBayesTrainer {
    public let config: NaiveBayesConfig
    public let classes: [String]
    public let features: Int
    private var classCount: [Double]
    private var featureCount: [Double]

    public init(config: NaiveBayesConfig, classes: [String], features: Int) {
        self.config = config
        self.classes = classes
        self.features = features
        classCount = [Double](repeating: 0, count: classes.count)
        featureCount = [Double](repeating: 0, count: features * classes.count)
    }

    /// Adds one training document of class `label`.
    public mutating func add(_ row: SparseRow, label: Int) {
        let c = classes.count
        classCount[label] += 1
        let binarize = config.variant == .bernoulli
        featureCount.withUnsafeMutableBufferPointer { fc in
            for (n, j) in row.indices.enumerated() {
                fc[Int(j) * c + label] += binarize ? (row.values[n] > 0 ? 1 : 0) : row.values[n]
            }
        }
    }

    public func model() -> NaiveBayesModel {
        NaiveBayesModel(config: config, classes: classes, features: features, classCount: classCount, featureCount: featureCount)
    }
}

import Foundation
import WordmillData

/// A trained Naive Bayes classifier over sparse feature rows, computed in log space exactly
/// as scikit-learn does (`MultinomialNB`, `ComplementNB`, `BernoulliNB`).
///
/// Counts are kept sparse (only the nonzero (feature, class) cells) and the log-likelihood
/// tables as `SeparableMatrix`es: a cell with a zero count has a value that depends only on
/// its class (and, for the complement variant, its feature's total), so memory and scoring
/// follow the nonzero counts rather than features × classes.
public struct NaiveBayesModel: Sendable {
    public let config: NaiveBayesConfig
    public let classes: [String]
    public let featureCountTotal: Int
    /// Training documents per class.
    public let classCount: [Double]
    /// Summed feature values per nonzero (feature, class) cell, CSR over features; for
    /// Bernoulli, the documents holding the feature. `featureCounts.cellValues` holds them.
    public let featureCounts: SparseCounts
    public let classLogPrior: [Double]
    /// log P(feature | class) — for `complement`, the complement variant's weights.
    public let featureLogProb: SeparableMatrix
    /// What one unit of a feature adds to a class's joint log-likelihood.
    let weights: SeparableMatrix
    /// Per class: the joint log-likelihood of an empty document.
    let bias: [Double]

    /// Nonzero counts, CSR over features.
    public struct SparseCounts: Sendable, Equatable {
        public var offsets: [Int]
        public var classes: [Int32]
        public var values: [Double]
        public init(offsets: [Int], classes: [Int32], values: [Double]) {
            self.offsets = offsets
            self.classes = classes
            self.values = values
        }

        /// The counts summed per class and per feature.
        func totals(classes c: Int) -> (perClass: [Double], perFeature: [Double]) {
            var perClass = [Double](repeating: 0, count: c)
            var perFeature = [Double](repeating: 0, count: offsets.count - 1)
            for j in perFeature.indices {
                for n in offsets[j]..<offsets[j + 1] {
                    perClass[Int(classes[n])] += values[n]
                    perFeature[j] += values[n]
                }
            }
            return (perClass, perFeature)
        }
    }

    /// Computes every log-probability from the counts (what `fit` does after counting).
    public init(config: NaiveBayesConfig, classes: [String], features: Int, classCount: [Double], featureCounts counts: SparseCounts) {
        let c = classes.count
        precondition(classCount.count == c && counts.offsets.count == features + 1 && counts.classes.count == counts.values.count)
        self.config = config
        self.classes = classes
        self.featureCountTotal = features
        self.classCount = classCount
        self.featureCounts = counts
        let alpha = config.alpha
        let log = { (x: Double) in Foundation.log(x) }

        var prior = [Double](repeating: 0, count: c)
        let documents = classCount.reduce(0, +)
        let trainedClasses = classCount.filter { $0 > 0 }.count
        for k in 0..<c {
            if let given = config.classPrior {
                prior[k] = log(given[k])
            } else if classCount[k] == 0 {
                prior[k] = -.infinity  // a class with no training documents (scikit-learn would not know it)
            } else {
                prior[k] = config.fitPrior ? log(classCount[k]) - log(documents) : -log(Double(trainedClasses))
            }
        }
        classLogPrior = prior

        let (columnSums, featureTotals) = counts.totals(classes: c)
        let zeros = [Double](repeating: 0, count: c), noFeatureTerm = [Double](repeating: 0, count: features)
        func cells(_ value: (_ j: Int, _ k: Int, _ count: Double) -> Double) -> [Double] {
            var out = [Double](repeating: 0, count: counts.values.count)
            for j in 0..<features {
                for n in counts.offsets[j]..<counts.offsets[j + 1] { out[n] = value(j, Int(counts.classes[n]), counts.values[n]) }
            }
            return out
        }
        func matrix(_ classTerm: [Double], _ featureTerm: [Double], _ classFactor: [Double], _ values: [Double]) -> SeparableMatrix {
            SeparableMatrix(classTerm: classTerm, featureTerm: featureTerm, classFactor: classFactor, offsets: counts.offsets, cellClasses: counts.classes, cellValues: values)
        }

        switch config.variant {
        case .multinomial:
            // log P(w|c) = log(N_wc + α) − log(N_c + αV)
            let logTotals = columnSums.map { log($0 + alpha * Double(features)) }
            let table = matrix(logTotals.map { log(alpha) - $0 }, noFeatureTerm, zeros, cells { _, k, n in log(n + alpha) - logTotals[k] })
            featureLogProb = table
            weights = table
            bias = prior
        case .complement:
            // logged = log((N_w + α − N_wc) / Σ_w (N_w + α − N_wc)); weights −logged, or logged / Σ_w logged with norm.
            let logAll = featureTotals.map { log($0 + alpha) }
            let allPlusAlpha = featureTotals.reduce(0) { $0 + $1 + alpha }
            let logTotals = columnSums.map { log(allPlusAlpha - $0) }
            let logged = cells { j, k, n in log(featureTotals[j] + alpha - n) - logTotals[k] }
            let table: SeparableMatrix
            if config.norm {
                var sums = logTotals.map { -Double(features) * $0 + logAll.reduce(0, +) }
                for j in 0..<features {
                    for n in counts.offsets[j]..<counts.offsets[j + 1] { sums[Int(counts.classes[n])] += logged[n] - (logAll[j] - logTotals[Int(counts.classes[n])]) }
                }
                table = matrix((0..<c).map { -logTotals[$0] / sums[$0] }, logAll, sums.map { 1 / $0 },
                               logged.indices.map { n in logged[n] / sums[Int(counts.classes[n])] })
            } else {
                table = matrix(logTotals, logAll, [Double](repeating: -1, count: c), logged.map { -$0 })
            }
            featureLogProb = table
            weights = table
            bias = c > 1 ? zeros : prior  // scikit-learn adds the prior only with a single class
        case .bernoulli:
            // log P(w|c) = log(D_wc + α) − log(D_c + 2α); absent features add log(1 − P(w|c)).
            let logTotals = classCount.map { log($0 + 2 * alpha) }
            let unseen = logTotals.map { log(alpha) - $0 }
            let unseenAbsent = unseen.map { log(1 - Foundation.exp($0)) }
            let present = cells { _, k, n in log(n + alpha) - logTotals[k] }
            let absent = present.map { log(1 - Foundation.exp($0)) }
            featureLogProb = matrix(unseen, noFeatureTerm, zeros, present)
            weights = matrix((0..<c).map { unseen[$0] - unseenAbsent[$0] }, noFeatureTerm, zeros, zip(present, absent).map { $0 - $1 })
            var b = (0..<c).map { prior[$0] + Double(features) * unseenAbsent[$0] }
            for j in 0..<features {
                for n in counts.offsets[j]..<counts.offsets[j + 1] {
                    let k = Int(counts.classes[n])
                    b[k] += absent[n] - unseenAbsent[k]
                }
            }
            bias = b
        }
    }

    /// The count at (feature, class).
    public func count(feature j: Int, class k: Int) -> Double {
        for n in featureCounts.offsets[j]..<featureCounts.offsets[j + 1] where Int(featureCounts.classes[n]) == k { return featureCounts.values[n] }
        return 0
    }

    /// Joint log-likelihood log P(c) + log P(x | c) (up to a constant) of one row, per class.
    public func jointLogLikelihood(_ row: SparseRow, into out: inout [Double]) {
        let c = classes.count
        if out.count != c { out = [Double](repeating: 0, count: c) }
        let values = config.variant == .bernoulli ? row.values.map { $0 > 0 ? 1.0 : 0.0 } : row.values
        out.withUnsafeMutableBufferPointer { o in
            for k in 0..<c { o[k] = bias[k] }
            weights.accumulate(indices: row.indices, values: values, into: o)
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
        let (totals, all) = featureCounts.totals(classes: c)
        let grand = totals.reduce(0, +)
        return (0..<c).map { k in
            let inClass = totals[k] + alpha * Double(v), outClass = grand - totals[k] + alpha * Double(v)
            var scored = (0..<v).map { j -> (feature: Int, score: Double) in
                let n = count(feature: j, class: k)
                return (j, Foundation.log((n + alpha) / inClass) - Foundation.log((all[j] - n + alpha) / outClass))
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

    /// The fitted model (the dense counts turned into sparse cells).
    public func model() -> NaiveBayesModel {
        let c = classes.count
        var counts = NaiveBayesModel.SparseCounts(offsets: [0], classes: [], values: [])
        counts.offsets.reserveCapacity(features + 1)
        for j in 0..<features {
            for k in 0..<c where featureCount[j * c + k] != 0 {
                counts.classes.append(Int32(k))
                counts.values.append(featureCount[j * c + k])
            }
            counts.offsets.append(counts.values.count)
        }
        return NaiveBayesModel(config: config, classes: classes, features: features, classCount: classCount, featureCounts: counts)
    }
}

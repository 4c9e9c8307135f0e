/// Settings of a Naive Bayes classifier (scikit-learn's `MultinomialNB`, `ComplementNB`, `BernoulliNB`).
public struct NaiveBayesConfig: Sendable, Equatable {
    public enum Variant: String, Sendable, CaseIterable {
        /// P(w|c) from word counts: the lecture's model (`MultinomialNB`).
        case multinomial
        /// Weights from the counts of every other class (Rennie et al. 2003, `ComplementNB`).
        case complement
        /// Presence and absence of each feature (`BernoulliNB` with `binarize=0`).
        case bernoulli
    }

    public var variant: Variant
    /// Additive (Laplace / Lidstone) smoothing.
    public var alpha: Double
    /// Learn class priors from the training documents; false: uniform.
    public var fitPrior: Bool
    /// Given class priors (one per class, in class order); overrides `fitPrior`.
    public var classPrior: [Double]?
    /// Complement only: normalise each class's weights (`ComplementNB(norm=True)`).
    public var norm: Bool

    public init(variant: Variant = .multinomial, alpha: Double = 1, fitPrior: Bool = true, classPrior: [Double]? = nil, norm: Bool = false) {
        self.variant = variant
        self.alpha = alpha
        self.fitPrior = fitPrior
        self.classPrior = classPrior
        self.norm = norm
    }
}

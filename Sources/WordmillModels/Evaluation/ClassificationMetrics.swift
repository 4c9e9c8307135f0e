/// Accuracy, per-class precision / recall / F1, their macro and weighted averages, and the
/// confusion matrix, as scikit-learn's `classification_report` and `confusion_matrix` give
/// them (a zero denominator gives 0, scikit-learn's `zero_division=0`).
public struct ClassificationMetrics: Sendable {
    public struct PerClass: Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Documents of this class.
        public var support: Int
    }

    public let classes: [String]
    /// confusion[true][predicted]
    public let confusion: [[Int]]
    public let perClass: [PerClass]
    public let accuracy: Double
    public let macroF1: Double
    public let weightedF1: Double
    public let macroPrecision: Double
    public let macroRecall: Double
    public let documents: Int

    /// Metrics from a confusion matrix tallied one prediction at a time. Averages run over
    /// the classes that occur in either the true or the predicted labels, as scikit-learn's do.
    public init(classes: [String], confusion tally: ConfusionMatrix) {
        precondition(tally.classes == classes.count)
        let c = classes.count
        let confusion = tally.rows
        var perClass: [PerClass] = []
        var present: [Int] = []
        for k in 0..<c {
            let tp = confusion[k][k]
            let support = confusion[k].reduce(0, +)
            let predictedK = (0..<c).reduce(0) { $0 + confusion[$1][k] }
            let precision = predictedK == 0 ? 0 : Double(tp) / Double(predictedK)
            let recall = support == 0 ? 0 : Double(tp) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perClass.append(PerClass(precision: precision, recall: recall, f1: f1, support: support))
            if support > 0 || predictedK > 0 { present.append(k) }
        }
        let n = tally.documents
        let correct = (0..<c).reduce(0) { $0 + confusion[$1][$1] }
        self.classes = classes
        self.confusion = confusion
        self.perClass = perClass
        self.documents = n
        accuracy = n == 0 ? 0 : Double(correct) / Double(n)
        let m = Double(max(present.count, 1))
        macroF1 = present.reduce(0) { $0 + perClass[$1].f1 } / m
        macroPrecision = present.reduce(0) { $0 + perClass[$1].precision } / m
        macroRecall = present.reduce(0) { $0 + perClass[$1].recall } / m
        weightedF1 = n == 0 ? 0 : present.reduce(0) { $0 + perClass[$1].f1 * Double(perClass[$1].support) } / Double(n)
    }
}

/// Counts of (true class, predicted class), added one prediction at a time: what the metrics
/// need, in memory set by the number of classes rather than the number of predictions.
public struct ConfusionMatrix: Sendable {
    public let classes: Int
    private var counts: [Int]
    /// Predictions added.
    public private(set) var documents = 0

    public init(classes: Int) {
        self.classes = classes
        counts = [Int](repeating: 0, count: classes * classes)
    }

    public mutating func add(truth: Int, predicted: Int) {
        counts[truth * classes + predicted] += 1
        documents += 1
    }

    /// rows[true][predicted].
    public var rows: [[Int]] { (0..<classes).map { Array(counts[($0 * classes)..<(($0 + 1) * classes)]) } }
}

/// A features × classes matrix that is `classTerm[c] + featureTerm[j] · classFactor[c]`
/// everywhere except at a sparse set of cells holding their own values — the shape of every
/// naive Bayes log-likelihood table, where a cell's value depends on its count and most
/// counts are zero.
///
/// Memory and scoring cost follow the nonzero counts, not features × classes: a sparse row
/// is scored by two sums over the row and one correction per stored cell it touches.
public struct SeparableMatrix: Sendable, Equatable {
    public let classes: Int
    /// Per class: the value of a feature with a zero `featureTerm`.
    public let classTerm: [Double]
    /// Per feature: multiplies `classFactor`.
    public let featureTerm: [Double]
    public let classFactor: [Double]
    /// CSR over features: cells of feature j are `cellClasses[offsets[j]..<offsets[j+1]]`.
    public let offsets: [Int]
    public let cellClasses: [Int32]
    /// The stored cells' own values.
    public let cellValues: [Double]
    /// cellValues minus the separable part, precomputed for scoring.
    private let corrections: [Double]

    public init(classTerm: [Double], featureTerm: [Double], classFactor: [Double], offsets: [Int], cellClasses: [Int32], cellValues: [Double]) {
        precondition(classTerm.count == classFactor.count && offsets.count == featureTerm.count + 1 && cellClasses.count == cellValues.count)
        self.classes = classTerm.count
        self.classTerm = classTerm
        self.featureTerm = featureTerm
        self.classFactor = classFactor
        self.offsets = offsets
        self.cellClasses = cellClasses
        self.cellValues = cellValues
        var corrections = cellValues
        for j in featureTerm.indices {
            for n in offsets[j]..<offsets[j + 1] {
                let c = Int(cellClasses[n])
                corrections[n] -= classTerm[c] + featureTerm[j] * classFactor[c]
            }
        }
        self.corrections = corrections
    }

    public var features: Int { featureTerm.count }

    /// The value at (feature, class).
    public func value(feature j: Int, class c: Int) -> Double {
        for n in offsets[j]..<offsets[j + 1] where Int(cellClasses[n]) == c { return cellValues[n] }
        return classTerm[c] + featureTerm[j] * classFactor[c]
    }

    /// Adds Σ_j x_j · M[j, c] for every class c to `out`.
    public func accumulate(indices: [Int32], values: [Double], into out: UnsafeMutableBufferPointer<Double>) {
        var total = 0.0, weighted = 0.0
        corrections.withUnsafeBufferPointer { corrections in
            cellClasses.withUnsafeBufferPointer { cellClasses in
                offsets.withUnsafeBufferPointer { offsets in
                    for (k, j32) in indices.enumerated() {
                        let j = Int(j32), x = values[k]
                        total += x
                        weighted += x * featureTerm[j]
                        for n in offsets[j]..<offsets[j + 1] { out[Int(cellClasses[n])] += x * corrections[n] }
                    }
                }
            }
        }
        for c in 0..<classes { out[c] += total * classTerm[c] + weighted * classFactor[c] }
    }
}

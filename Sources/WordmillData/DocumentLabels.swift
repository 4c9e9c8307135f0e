import WordmillArtifacts
import WordmillNumerics

/// The class labels and train/test split of a token stream's documents.
///
/// Stored beside the `documents` section of a `tokens` artifact: `labels.classes` (records:
/// the class names, sorted by code point like scikit-learn's `classes_`), `labels.documents`
/// (u32 per document: its class) and `split.documents` (u8 per document: 0 train, 1 test).
/// A multi-label stream (documents with several labels) adds each document's other labels:
/// `labels.more.offsets` (u64, documents + 1) and `labels.more` (u32); `labels.documents`
/// keeps every document's first label, which single-label readers see.
/// An unlabelled stream may still carry a split; a stream without a split is all training data.
public struct DocumentLabels: Sendable, Equatable {
    public static let classesSection = "labels.classes"
    public static let labelsSection = "labels.documents"
    public static let splitSection = "split.documents"
    public static let moreOffsetsSection = "labels.more.offsets"
    public static let moreSection = "labels.more"

    /// Class names in id order (sorted by Unicode code points); empty when unlabelled.
    public var classes: [String]
    /// Each document's class id; empty when unlabelled.
    public var labels: [UInt32]
    /// Each document's split (0 train, 1 test); empty when the stream has no split.
    public var split: [UInt8]
    /// Multi-label streams: document i's other labels are `more[moreOffsets[i]..<moreOffsets[i + 1]]`;
    /// both empty for a single-label stream.
    public var moreOffsets: [UInt64]
    public var more: [UInt32]

    public init(classes: [String] = [], labels: [UInt32] = [], split: [UInt8] = [], moreOffsets: [UInt64] = [], more: [UInt32] = []) {
        self.classes = classes
        self.labels = labels
        self.split = split
        self.moreOffsets = moreOffsets
        self.more = more
    }

    public var isLabelled: Bool { !classes.isEmpty }

    /// Whether the stream was read as multi-label (its documents may have several labels).
    public var isMultiLabel: Bool { !moreOffsets.isEmpty }

    /// Every label of document `i`, its first label first.
    public func labelSet(_ i: Int) -> [UInt32] {
        guard isMultiLabel else { return [labels[i]] }
        return [labels[i]] + more[Int(moreOffsets[i])..<Int(moreOffsets[i + 1])]
    }

    /// Whether document `i` belongs to the training part.
    @inline(__always)
    public func isTraining(_ i: Int) -> Bool { split.isEmpty || split[i] == 0 }

    /// Number of documents in the test part.
    public var testCount: Int { split.reduce(0) { $0 + Int($1) } }

    /// Sorts names the way Python sorts `str` (by code point), which is how scikit-learn orders classes.
    public static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// A stratified split: within each class (or the whole stream when unlabelled) the
    /// documents are shuffled with `seed` and the first `round(testFraction × n)` become test.
    public static func stratifiedSplit(labels: [UInt32], documents: Int, testFraction: Double, seed: UInt64) -> [UInt8] {
        var groups: [UInt32: [Int]] = [:]
        for i in 0..<documents { groups[labels.isEmpty ? 0 : labels[i], default: []].append(i) }
        var split = [UInt8](repeating: 0, count: documents)
        var random = RandomGenerator(seed: seed)
        for key in groups.keys.sorted() {
            var members = groups[key]!
            random.shuffle(&members)
            let test = Int((testFraction * Double(members.count)).rounded())
            for i in members.prefix(test) { split[i] = 1 }
        }
        return split
    }

    /// Writes the sections present (nothing for an unlabelled stream without a split).
    public func write(to writer: ArtifactWriter) throws {
        if isLabelled {
            try writer.writeStrings(Self.classesSection, classes)
            try writer.writeSection(Self.labelsSection, type: .u32, values: labels)
            if isMultiLabel {
                try writer.writeSection(Self.moreOffsetsSection, type: .u64, values: moreOffsets)
                try writer.writeSection(Self.moreSection, type: .u32, values: more)
            }
        }
        if !split.isEmpty { try writer.writeSection(Self.splitSection, type: .u8, values: split) }
    }

    /// Reads the labels and split of an artifact (empty when it has none); checks that every
    /// array has one entry per document and every label names a class.
    public init(reader: ArtifactReader, documents: Int) throws {
        var classes: [String] = []
        var labels: [UInt32] = []
        var split: [UInt8] = []
        var moreOffsets: [UInt64] = [], more: [UInt32] = []
        if reader.header.section(Self.classesSection) != nil {
            classes = try reader.readStrings(Self.classesSection)
            labels = try reader.readArray(Self.labelsSection, as: UInt32.self)
            guard labels.count == documents, labels.allSatisfy({ Int($0) < classes.count }) else {
                throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.labelsSection)' does not give one known class per document")
            }
            if reader.header.section(Self.moreOffsetsSection) != nil {
                moreOffsets = try reader.readArray(Self.moreOffsetsSection, as: UInt64.self)
                more = try reader.readArray(Self.moreSection, as: UInt32.self)
                guard moreOffsets.count == documents + 1, moreOffsets.first == 0, moreOffsets.last == UInt64(more.count),
                      zip(moreOffsets, moreOffsets.dropFirst()).allSatisfy({ $0 <= $1 }), more.allSatisfy({ Int($0) < classes.count })
                else { throw ArtifactError.damaged(path: reader.path, reason: "sections '\(Self.moreOffsetsSection)' and '\(Self.moreSection)' do not give each document's other known classes") }
            }
        }
        if reader.header.section(Self.splitSection) != nil {
            split = try reader.readArray(Self.splitSection, as: UInt8.self)
            guard split.count == documents, split.allSatisfy({ $0 <= 1 }) else {
                throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.splitSection)' does not give one split (0 or 1) per document")
            }
        }
        self.init(classes: classes, labels: labels, split: split, moreOffsets: moreOffsets, more: more)
    }
}

import WordmillArtifacts

/// A `sequences` artifact read in pieces, for training and evaluating recurrent models: the
/// vocabulary and class names at once, the documents through streaming passes and cursors,
/// so memory follows what a pass keeps, not the corpus. Every value is checked as it is read
/// (ids below the vocabulary, labels and tags naming a class, offsets never falling).
public final class SequenceSource: @unchecked Sendable {
    /// Which documents a pass keeps, by their split.
    public enum Part: Sendable {
        case training, test, all
        @inline(__always) public func includes(training: Bool) -> Bool {
            switch self {
            case .training: return training
            case .test: return !training
            case .all: return true
            }
        }
    }

    public let reader: ArtifactReader
    /// classify, tag or lm (the names of `RecurrentTask`).
    public let task: String
    public let vocabulary: [String]
    /// Steps per truncated-BPTT segment (language models).
    public let bptt: Int
    /// The documents' class names (empty when unlabelled), and the tag names (taggers).
    public let classes: [String]
    public let tagClasses: [String]?
    public let isMultiLabel: Bool
    public let documents: Int
    public let tokens: Int
    let hasSplit: Bool
    /// The last frame the cursors decompressed of the offsets, the split and the ids.
    let frameCaches = [FrameCache(), FrameCache(), FrameCache()]

    static let offsetsSection = "sequences.offsets", idsSection = "sequences.ids"

    /// Reads the header facts and the name lists, and checks every section has one value per
    /// document or token; the values themselves are checked as passes read them.
    public init(reader: ArtifactReader) throws {
        self.reader = reader
        func damaged(_ why: String) -> ArtifactError { .damaged(path: reader.path, reason: why) }
        let m = reader.header.metadata
        guard let task = m["task"]?.stringValue else { throw damaged("metadata lacks the task") }
        self.task = task
        bptt = m["bptt"]?.intValue ?? 0
        vocabulary = try reader.readStrings("vocabulary")
        let offsets = try reader.section(Self.offsetsSection), ids = try reader.section(Self.idsSection)
        documents = offsets.count - 1
        tokens = ids.count
        guard vocabulary.count >= 2, documents >= 0 else { throw damaged("the sequence sections disagree (\(offsets.count) offsets, \(ids.count) ids, \(vocabulary.count) tokens)") }
        let header = reader.header
        if header.section(DocumentLabels.classesSection) != nil {
            classes = try reader.readStrings(DocumentLabels.classesSection)
            guard try reader.section(DocumentLabels.labelsSection).count == documents else {
                throw damaged("section '\(DocumentLabels.labelsSection)' does not give one class per document")
            }
        } else {
            classes = []
        }
        isMultiLabel = header.section(DocumentLabels.moreOffsetsSection) != nil
        hasSplit = header.section(DocumentLabels.splitSection) != nil
        if hasSplit, try reader.section(DocumentLabels.splitSection).count != documents {
            throw damaged("section '\(DocumentLabels.splitSection)' does not give one split per document")
        }
        if header.section(TokenTags.classesSection) != nil {
            tagClasses = try reader.readStrings(TokenTags.classesSection)
            guard try reader.section(TokenTags.tokensSection).count == tokens else {
                throw damaged("section '\(TokenTags.tokensSection)' does not give one tag per token")
            }
        } else {
            tagClasses = nil
        }
    }

    func damaged(_ why: String) -> ArtifactError { .damaged(path: reader.path, reason: why) }

    /// Streams the documents' lengths and splits from `first` on, checking the offsets.
    struct DocumentWalk {
        let source: SequenceSource
        var offsets: SectionStream<UInt64>
        var split: SectionStream<UInt8>?
        var document: Int
        var start: Int

        init(_ source: SequenceSource, from first: Int = 0) throws {
            self.source = source
            offsets = try SectionStream(source.reader, SequenceSource.offsetsSection, from: first)
            split = source.hasSplit ? try SectionStream(source.reader, DocumentLabels.splitSection, from: first) : nil
            document = first
            start = Int(try offsets.next())
            if first == 0 && start != 0 { throw source.damaged("section '\(SequenceSource.offsetsSection)' does not start at 0") }
        }

        /// The next document's token range and whether it is training data; nil after the last.
        mutating func next() throws -> (tokens: Range<Int>, training: Bool)? {
            guard document < source.documents else { return nil }
            let end = Int(try offsets.next())
            guard end >= start, end <= source.tokens else {
                throw source.damaged("section '\(SequenceSource.offsetsSection)' falls or overruns the ids at document \(document) (\(start) → \(end) of \(source.tokens))")
            }
            var training = true
            if split != nil {
                let s = try split!.next()
                guard s <= 1 else { throw source.damaged("section '\(DocumentLabels.splitSection)' gives split \(s) to document \(document)") }
                training = s == 0
            }
            defer { start = end; document += 1 }
            return (start..<end, training)
        }
    }

    /// Calls `body` with every document's index, token range and split, in order (one pass
    /// over the offsets and the split).
    public func scan(_ body: (_ document: Int, _ tokens: Range<Int>, _ training: Bool) throws -> Void) throws {
        var walk = try DocumentWalk(self)
        while let (range, training) = try walk.next() { try body(walk.document - 1, range, training) }
        if walk.start != tokens { throw damaged("section '\(Self.offsetsSection)' ends at \(walk.start), the ids at \(tokens)") }
    }

    /// `range` cut into contiguous runs of documents whose `bytes` (of a document's tokens and
    /// split) add up to at most `budget` each (a document over it alone), from one pass over
    /// that range of the offsets and the split.
    public func blocks(of range: Range<Int>, budget: Int, bytes: (_ tokens: Int, _ training: Bool) -> Int) throws -> [Range<Int>] {
        guard !range.isEmpty else { return [] }
        var walk = try DocumentWalk(self, from: range.lowerBound)
        var blocks: [Range<Int>] = [], start = range.lowerBound, used = 0
        for d in range {
            guard let (tokens, training) = try walk.next() else { break }
            let b = bytes(tokens.count, training)
            if used > 0 && used + b > budget {
                blocks.append(start..<d)
                (start, used) = (d, 0)
            }
            used += b
        }
        blocks.append(start..<range.upperBound)
        return blocks
    }

    /// The documents of `range` that `keep` accepts, with their tokens, labels and tags: one
    /// streaming pass over that range of every section (memory: what is kept plus a frame a
    /// section).
    public func read(documents range: Range<Int>, keep: (_ document: Int, _ training: Bool) -> Bool) throws -> SequenceBlock {
        var block = SequenceBlock()
        guard !range.isEmpty else { return block }
        var walk = try DocumentWalk(self, from: range.lowerBound)
        let firstToken = walk.start
        // Read as Int32 (the u32 ids and tags are below their list's size, so the same bits).
        var ids = try SectionStream<Int32>(reader, Self.idsSection, from: firstToken)
        var labels = classes.isEmpty ? nil : try SectionStream<UInt32>(reader, DocumentLabels.labelsSection, from: range.lowerBound)
        var tags = tagClasses == nil ? nil : try SectionStream<Int32>(reader, TokenTags.tokensSection, from: firstToken)
        // Multi-label corpora: each document's other classes, `more[moreOffsets[d] ..< moreOffsets[d + 1]]`.
        var moreOffsets = isMultiLabel ? try SectionStream<UInt64>(reader, DocumentLabels.moreOffsetsSection, from: range.lowerBound) : nil
        var moreStart = try moreOffsets?.next() ?? 0
        var more = isMultiLabel ? try SectionStream<UInt32>(reader, DocumentLabels.moreSection, from: Int(clamping: moreStart)) : nil
        let vocabularySize = Int32(vocabulary.count), classCount = UInt32(classes.count), tagCount = Int32(tagClasses?.count ?? 0)
        for d in range {
            guard let (tokenRange, training) = try walk.next() else { break }
            let label = try labels?.next()
            var moreCount = 0
            if moreOffsets != nil {
                let end = try moreOffsets!.next()
                guard end >= moreStart, end - moreStart <= UInt64(more!.remaining) else {
                    throw damaged("section '\(DocumentLabels.moreOffsetsSection)' falls or overruns section '\(DocumentLabels.moreSection)' at document \(d)")
                }
                moreCount = Int(end - moreStart)
                moreStart = end
            }
            guard keep(d, training) else {
                ids.skip(tokenRange.count)
                tags?.skip(tokenRange.count)
                more?.skip(moreCount)
                continue
            }
            if more != nil {
                for _ in 0..<moreCount {
                    let c = try more!.next()
                    guard c < classCount else { throw damaged("section '\(DocumentLabels.moreSection)' gives document \(d) class \(c) of \(classCount)") }
                    block.moreLabels.append(Int32(c))
                }
                block.moreLabelOffsets.append(block.moreLabels.count)
            }
            if let label {
                guard label < classCount else { throw damaged("section '\(DocumentLabels.labelsSection)' gives document \(d) class \(label) of \(classCount)") }
                block.labels.append(Int32(label))
            }
            let at = block.ids.count
            try ids.append(tokenRange.count, to: &block.ids)
            for k in at..<block.ids.count where block.ids[k] < 0 || block.ids[k] >= vocabularySize {
                throw damaged("section '\(Self.idsSection)' holds id \(UInt32(bitPattern: block.ids[k])) at token \(tokenRange.lowerBound + k - at), past the vocabulary of \(vocabularySize)")
            }
            if tags != nil {
                let tagAt = block.tags.count
                try tags!.append(tokenRange.count, to: &block.tags)
                for k in tagAt..<block.tags.count where block.tags[k] < 0 || block.tags[k] >= tagCount {
                    throw damaged("section '\(TokenTags.tokensSection)' gives token \(tokenRange.lowerBound + k - tagAt) tag \(UInt32(bitPattern: block.tags[k])) of \(tagCount)")
                }
            }
            block.documents.append(d)
            block.firstTokens.append(tokenRange.lowerBound)
            block.offsets.append(block.ids.count)
        }
        return block
    }
}

/// Documents read from a `SequenceSource`: their indices, where each starts in the artifact's
/// token stream, their ids end to end, and per document its class (classify) or per token its
/// tag (tag).
public struct SequenceBlock: Sendable {
    public var documents: [Int] = []
    public var firstTokens: [Int] = []
    /// `offsets[i]..<offsets[i + 1]` are document i's tokens in `ids` (documents + 1 entries).
    public var offsets: [Int] = [0]
    public var ids: [Int32] = []
    public var labels: [Int32] = []
    /// Taggers: each token's tag, aligned with `ids`.
    public var tags: [Int32] = []
    /// Multi-label corpora: document i's other classes are
    /// `moreLabels[moreLabelOffsets[i] ..< moreLabelOffsets[i + 1]]` (else both stay empty).
    public var moreLabelOffsets: [Int] = [0]
    public var moreLabels: [Int32] = []

    public init() {}

    public var count: Int { documents.count }
    @inline(__always) public func length(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }
    @inline(__always) public func tokenRange(_ i: Int) -> Range<Int> { offsets[i]..<offsets[i + 1] }

    /// Document i's classes: its label, then its other classes in a multi-label corpus.
    public func labelSet(_ i: Int) -> [Int32] {
        moreLabelOffsets.count > i + 1 ? [labels[i]] + moreLabels[moreLabelOffsets[i]..<moreLabelOffsets[i + 1]] : [labels[i]]
    }
}

import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `tokenize --merge`: the shards' documents in shard order, their labels renumbered into
/// one class list (code-point order, as a whole run numbers them), the stratified split
/// drawn over all of them, their stored counts added in order and their line counts summed:
/// the bytes a whole run writes.
enum TokenizeMerge {
    static func merge(_ context: StageContext, _ shards: [ArtifactReader]) throws -> StageReport {
        let p = context.parameters
        let format = TokenizeOperation.format(from: p.object("format"))
        let split = p["split"]?.objectValue
        let hasTestFiles = !p.strings("test_inputs").isEmpty
        let shardLabels = try shards.map { try TokenStream.labels($0) }
        // One class list: every shard's class names, in code-point order.
        var names = ClassNumbering()
        for labels in shardLabels { for name in labels.classes { _ = names.id(of: name) } }
        let classes = names.sorted().classes
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, UInt32($0)) })
        var labels: [UInt32] = [], testSplit: [UInt8] = []
        var moreOffsets: [UInt64] = format.isMultiLabel ? [0] : [], more: [UInt32] = []
        var counter = VocabularyCounter()
        var storesCounts = false
        var sums: [String: Int] = [:]
        var report = StageReport()
        try context.writeArtifact(kind: TokenStream.artifactKind) { writer in
            var stream = TokenStream.Writer(writer: writer)
            // Each document's part, kept only where the artifact will record a split.
            let keepsSplit = split != nil || hasTestFiles
            for (shard, shardLabel) in zip(shards, shardLabels) {
                // The records as the shards stored them: the same bytes a whole run encodes.
                try TokenStream.forEachRecord(shard) { record, tokens in try stream.appendEncoded(record, tokens: tokens) }
                let documents = try shard.section(TokenStream.section).count
                if shardLabel.isLabelled {
                    labels += shardLabel.labels.map { position[shardLabel.classes[Int($0)]]! }
                    if format.isMultiLabel {
                        for d in 0..<documents {
                            for id in shardLabel.more[Int(shardLabel.moreOffsets[d])..<Int(shardLabel.moreOffsets[d + 1])] {
                                more.append(position[shardLabel.classes[Int(id)]]!)
                            }
                            moreOffsets.append(UInt64(more.count))
                        }
                    }
                }
                if keepsSplit { testSplit += shardLabel.split.isEmpty ? [UInt8](repeating: 0, count: documents) : shardLabel.split }
                if let counts = try TokenCounts(storedIn: shard) {
                    counter.merge(counts)
                    storesCounts = true
                }
                for key in ["blank_lines", "replaced_lines", "skipped_lines"] { sums[key, default: 0] += shard.header.counts[key] ?? 0 }
            }
            if stream.tokens == 0 {
                throw StageInputError("the corpus has no tokens: \(context.files.joined(separator: ", ")) \(context.files.count == 1 ? "is" : "are") empty or blank")
            }
            try stream.finish()
            var documentSplit: [UInt8] = []
            if let split {
                documentSplit = DocumentLabels.stratifiedSplit(labels: labels, documents: testSplit.count, testFraction: split.double("test_fraction"), seed: UInt64(split.int("seed")))
            } else if hasTestFiles {
                documentSplit = testSplit
            }
            let documentLabels = DocumentLabels(classes: classes, labels: labels, split: documentSplit,
                                                moreOffsets: classes.isEmpty ? [] : moreOffsets, more: classes.isEmpty ? [] : more)
            try documentLabels.write(to: writer)
            let storedCounts = storesCounts ? try counter.result.write(to: writer) : [:]
            let testDocuments = documentLabels.testCount
            var counts = ["documents": stream.documents, "tokens": stream.tokens, "classes": classes.count, "test_documents": testDocuments]
            counts.merge(sums) { a, _ in a }
            let bytes = context.fileHashes.reduce(0) { $0 + $1.size }
            report = StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a },
                                 summary: "\(stream.documents) documents, \(stream.tokens) tokens from \(context.files.count) file\(context.files.count == 1 ? "" : "s"), merged from \(shards.count) shards")
            counts["train_documents"] = stream.documents - testDocuments
            counts.merge(storedCounts) { a, _ in a }
            let files: [JSONValue] = zip(context.files, context.fileHashes).map { TokenizeOperation.fileRecord($0, $1, context: context) }
            return (counts, ["files": .array(files)])
        }
        return report
    }
}

import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `sequences`: tokens + vocab → token ids per document for recurrent models, with the
/// labels (classify), per-token tags (tag) or the stream and its BPTT length (lm).
enum SequencesOperation {
    static let definition = OperationDefinition(
        name: "sequences",
        summary: "token-id sequences for recurrent models: per document (classify, tag) or as one stream (lm)",
        parameters: [
            ParameterSpec("task", .string(choices: RecurrentTask.allCases.map(\.rawValue)), doc: "classify: a label per document; tag: a tag per token; lm: predict the next token"),
            ParameterSpec("max_len", .integer(min: 1), default: .null, onlyWith: ParameterCondition("task", [RecurrentTask.classify, .tag]),
                          doc: "keep at most this many tokens of each document (unset: all)"),
            ParameterSpec("bptt", .integer(min: 1, max: 100_000), default: 35, doc: "lm: steps per truncated-BPTT segment"),
            ParameterSpec("eos", .boolean, default: true, onlyWith: ParameterCondition("task", [RecurrentTask.lm]), doc: "end every document with <eos>"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind]), InputSlot("vocab", kinds: [Vocabulary.artifactKind])],
        outputKind: SequenceDataset.artifactKind,
        algorithmVersion: 1,
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let task: RecurrentTask = p.choice("task")
        let tokensReader = context.input("tokens")
        let vocabulary = try Vocabulary(reader: context.input("vocab"))
        let labels = try TokenStream.labels(tokensReader)
        let tokenCount = tokensReader.header.counts["tokens"] ?? 0
        let tagClasses = try TokenTags.classes(reader: tokensReader, tokens: tokenCount)
        let maxLength = p.optionalInt("max_len") ?? Int.max
        let eos = p["eos"] == .bool(true)  // declared only with task "lm"
        switch task {
        case .classify where !labels.isLabelled:
            throw StageInputError("\(context.stage.jsonPath): task \"classify\" needs labelled documents; give stage '\(tokensReader.header.stage)' a labelled \"format\" (tsv, jsonl with label_field, folders)")
        case .tag where tagClasses == nil:
            throw StageInputError("\(context.stage.jsonPath): task \"tag\" needs per-token tags; read the corpus with \"format\": \"tagged\" in stage '\(tokensReader.header.stage)'")
        default: break
        }
        // Model ids: the specials first, then the vocabulary's tokens (its own copies of the specials map onto them).
        var modelTokens = [SequenceDataset.padToken, SequenceDataset.unknownToken] + (eos ? [SequenceDataset.endToken] : [])
        let specialIds = Dictionary(uniqueKeysWithValues: modelTokens.enumerated().map { ($0.element, Int32($0.offset)) })
        var modelId = [Int32](repeating: 0, count: vocabulary.count)
        for (id, token) in vocabulary.tokens.enumerated() {
            if let special = specialIds[token] { modelId[id] = special } else {
                modelId[id] = Int32(modelTokens.count)
                modelTokens.append(token)
            }
        }
        // Streamed in passes over the tokens so memory never holds the ids: the first writes
        // each kept document's end (and keeps its label), the second the ids, a third the tags
        // (read from the tokens artifact a frame at a time, and only for `tag`).
        // The sections are those `SequenceDataset.write` writes, frame for frame.
        func keptLength(_ tokens: Int) -> Int? {
            let kept = task == .lm ? tokens : min(tokens, maxLength)
            return kept > 0 || eos ? kept : nil
        }
        var keptLabels: [UInt32] = [], keptSplit: [UInt8] = []
        var keptMoreOffsets: [UInt64] = labels.isMultiLabel ? [0] : [], keptMore: [UInt32] = []
        var documents = 0, idCount = 0, unknown = 0, truncated = 0, empty = 0
        var counts: [String: Int] = [:]
        try context.writeArtifact(kind: SequenceDataset.artifactKind) { writer in
            try writer.writeStrings("vocabulary", modelTokens)
            var offsets = ValueStream<UInt64>(writer: writer, name: "sequences.offsets", type: .u64)
            try offsets.append(0)
            var document = 0
            try TokenStream.forEachDocument(tokensReader) { tokens in
                defer { document += 1 }
                guard let kept = keptLength(tokens.count) else { empty += 1; return }
                if kept < tokens.count { truncated += 1 }
                idCount += kept + (eos ? 1 : 0)
                try offsets.append(UInt64(idCount))
                documents += 1
                if labels.isLabelled { keptLabels.append(labels.labels[document]) }
                if labels.isMultiLabel {
                    keptMore.append(contentsOf: labels.labelSet(document).dropFirst())
                    keptMoreOffsets.append(UInt64(keptMore.count))
                }
                if !labels.split.isEmpty { keptSplit.append(labels.split[document]) }
            }
            guard idCount > 0 else { throw StageInputError("stage '\(tokensReader.header.stage)' gives no tokens to make sequences of") }
            try offsets.finish()
            var ids = ValueStream<UInt32>(writer: writer, name: "sequences.ids", type: .u32)
            try TokenStream.forEachDocument(tokensReader) { tokens in
                guard let kept = keptLength(tokens.count) else { return }
                for t in tokens.prefix(kept) {
                    if let id = vocabulary.id(of: t) { try ids.append(UInt32(bitPattern: modelId[Int(id)])) } else {
                        try ids.append(UInt32(bitPattern: SequenceDataset.unknownId))
                        unknown += 1
                    }
                }
                if eos { try ids.append(UInt32(bitPattern: SequenceDataset.endId)) }
            }
            try ids.finish()
            let documentLabels = task == .classify
                ? DocumentLabels(classes: labels.classes, labels: keptLabels, split: keptSplit, moreOffsets: keptMoreOffsets, more: keptMore)
                : DocumentLabels(split: keptSplit)
            try documentLabels.write(to: writer)
            if task == .tag, let tagClasses {
                try writer.writeStrings(TokenTags.classesSection, tagClasses)
                var kept = ValueStream<UInt32>(writer: writer, name: TokenTags.tokensSection, type: .u32)
                var tags = try SectionStream<UInt32>(tokensReader, TokenTags.tokensSection)
                var tokenIndex = 0
                try TokenStream.forEachDocument(tokensReader) { tokens in
                    defer { tokenIndex += tokens.count }
                    let length = keptLength(tokens.count) ?? 0
                    for k in 0..<length { try kept.append(try TokenTags.checked(try tags.next(), classes: tagClasses.count, at: tokenIndex + k, in: tokensReader)) }
                    tags.skip(tokens.count - length)
                }
                try kept.finish()
            }
            counts = ["documents": documents, "tokens": idCount, "vocabulary": modelTokens.count, "unknown_tokens": unknown,
                      "truncated_documents": truncated, "empty_documents_skipped": empty, "test_documents": documentLabels.testCount]
            var metadata: [String: JSONValue] = ["task": .string(task.rawValue), "tokenizer": tokensReader.header.parameters["tokenizer"] ?? .null]
            if task == .lm { metadata["bptt"] = .integer(p.int("bptt")) }
            if let m = p.optionalInt("max_len") { metadata["max_len"] = .integer(m) }
            return (counts, metadata)
        }
        var summary = "\(documents) \(task == .tag ? "tagged sentences" : "documents"), \(idCount) ids over \(modelTokens.count) tokens (\(unknown) unknown)"
        if truncated > 0 { summary += ", \(truncated) cut to \(maxLength)" }
        if empty > 0 { summary += ", \(empty) empty documents skipped" }
        return StageReport(counts: counts, summary: summary)
    }
}

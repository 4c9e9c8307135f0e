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
        let tags = try TokenTags(reader: tokensReader, tokens: tokenCount)
        let maxLength = p.optionalInt("max_len") ?? Int.max
        let eos = p["eos"] == .bool(true)  // declared only with task "lm"
        switch task {
        case .classify where !labels.isLabelled:
            throw StageInputError("\(context.stage.jsonPath): task \"classify\" needs labelled documents; give stage '\(tokensReader.header.stage)' a labelled \"format\" (tsv, jsonl with label_field, folders)")
        case .tag where tags == nil:
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
        var offsets = [0], ids: [Int32] = []
        var keptLabels: [UInt32] = [], keptSplit: [UInt8] = [], keptTags: [UInt32] = []
        var keptMoreOffsets: [UInt64] = labels.isMultiLabel ? [0] : [], keptMore: [UInt32] = []
        var document = 0, tokenIndex = 0, unknown = 0, truncated = 0, empty = 0
        try TokenStream.forEachDocument(tokensReader) { tokens in
            defer { document += 1; tokenIndex += tokens.count }
            let kept = task == .lm ? tokens.count : min(tokens.count, maxLength)
            if kept < tokens.count { truncated += 1 }
            guard kept > 0 || eos else { empty += 1; return }
            for t in tokens.prefix(kept) {
                if let id = vocabulary.id(of: t) { ids.append(modelId[Int(id)]) } else {
                    ids.append(SequenceDataset.unknownId)
                    unknown += 1
                }
            }
            if eos { ids.append(SequenceDataset.endId) }
            if let tags { keptTags.append(contentsOf: tags.tags[tokenIndex..<(tokenIndex + kept)]) }
            offsets.append(ids.count)
            if labels.isLabelled { keptLabels.append(labels.labels[document]) }
            if labels.isMultiLabel {
                keptMore.append(contentsOf: labels.labelSet(document).dropFirst())
                keptMoreOffsets.append(UInt64(keptMore.count))
            }
            if !labels.split.isEmpty { keptSplit.append(labels.split[document]) }
        }
        let dataset = SequenceDataset(
            task: task.rawValue, vocabulary: modelTokens, offsets: offsets, ids: ids,
            labels: task == .classify
                ? DocumentLabels(classes: labels.classes, labels: keptLabels, split: keptSplit, moreOffsets: keptMoreOffsets, more: keptMore)
                : DocumentLabels(split: keptSplit),
            tags: task == .tag ? TokenTags(classes: tags!.classes, tags: keptTags) : nil, bptt: p.int("bptt"))
        guard !ids.isEmpty else { throw StageInputError("stage '\(tokensReader.header.stage)' gives no tokens to make sequences of") }
        let counts = ["documents": dataset.documents, "tokens": ids.count, "vocabulary": modelTokens.count, "unknown_tokens": unknown,
                      "truncated_documents": truncated, "empty_documents_skipped": empty, "test_documents": dataset.labels.testCount]
        try context.writeArtifact(kind: SequenceDataset.artifactKind) { writer in
            try dataset.write(to: writer)
            var metadata: [String: JSONValue] = ["task": .string(task.rawValue), "tokenizer": tokensReader.header.parameters["tokenizer"] ?? .null]
            if task == .lm { metadata["bptt"] = .integer(p.int("bptt")) }
            if let m = p.optionalInt("max_len") { metadata["max_len"] = .integer(m) }
            return (counts, metadata)
        }
        var summary = "\(dataset.documents) \(task == .tag ? "tagged sentences" : "documents"), \(ids.count) ids over \(modelTokens.count) tokens (\(unknown) unknown)"
        if truncated > 0 { summary += ", \(truncated) cut to \(maxLength)" }
        if empty > 0 { summary += ", \(empty) empty documents skipped" }
        return StageReport(counts: counts, summary: summary)
    }
}

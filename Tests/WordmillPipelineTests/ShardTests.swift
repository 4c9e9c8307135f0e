import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// A corpus of `lines` documents of 1–30 words from a 60-word alphabet (a seeded LCG):
/// enough documents that every shard of up to 7 gets several, windows that cross nothing.
func shardCorpus(lines: Int = 157) -> String {
    var state: UInt64 = 12345
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33)
    }
    return (0..<lines).map { _ in (0..<(1 + next() % 30)).map { _ in "w\(next() % 60)" }.joined(separator: " ") }.joined(separator: "\n") + "\n"
}

/// tokenize → vocab → cooccurrence, the last one split into `shards` when given, vocab into
/// `vocabShards`; `tokenize` holds out a stratified test part when `heldOut`.
func shardSpec(shards: Int?, window: Int = 5, vocabShards: Int? = nil, heldOut: Bool = false) -> String {
    let split = shards.map { #", "shards": \#($0)"# } ?? ""
    let vocabSplit = vocabShards.map { #", "shards": \#($0)"# } ?? ""
    let testPart = heldOut ? #", "split": {"test_fraction": 0.25}"# : ""
    return """
        {"wordmill": 1, "name": "sharded", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"\(testPart)},
          {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2\(vocabSplit)},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": \(window)\(split)}
        ]}
        """
}

@Suite struct ShardTests {
    /// The unsharded co-occurrence artifact's bytes.
    static let unsharded: [UInt8] = {
        let w = Workspace(spec: shardSpec(shards: nil), corpus: shardCorpus())
        _ = try! w.run()
        return try! FileSystem.readFile(w.dir.file("art/cooc.wma"))
    }()

    /// Shards computed one `--shard I/N` at a time (as a job array's tasks would, in any
    /// order), then `--merge`: the same bytes as an unsharded run, for N = 1, 3, 4, 7.
    @Test(arguments: [1, 3, 4, 7]) func shardsMergeToTheUnshardedBytes(shards: Int) throws {
        let w = Workspace(spec: shardSpec(shards: shards), corpus: shardCorpus())
        #expect(try w.run { $0.selection = StageSelection(until: "vocab") }.exitCode == .ok)
        for i in (0..<shards).reversed() {
            let r = try w.run { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .shard(ShardIndex(index: i, count: shards)) }
            #expect(r.statuses == ["cooc[\(i)/\(shards)]": "ran"])
            #expect(FileSystem.isRegularFile(w.dir.file("art/cooc/shards/\(i)-of-\(shards).wma")))
        }
        #expect(!FileSystem.isRegularFile(w.dir.file("art/cooc.wma")))
        let merged = try w.run { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .merge }
        #expect(merged.statuses == ["cooc": "ran"])
        #expect(try FileSystem.readFile(w.dir.file("art/cooc.wma")) == Self.unsharded)
        // The shards' token counts add up to the whole.
        let total = try (0..<shards).reduce(0) { sum, i in
            sum + (try ArtifactReader(path: w.dir.file("art/cooc/shards/\(i)-of-\(shards).wma")).header.counts["tokens"] ?? -1)
        }
        #expect(total == (try ArtifactReader(path: w.dir.file("art/cooc.wma")).header.counts["tokens"]))
        // A shard already made is not made again.
        let again = try w.run { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .shard(ShardIndex(index: 0, count: shards)) }
        #expect(again.statuses == ["cooc[0/\(shards)]": "up-to-date"])
    }

    /// Vocabulary counts in shards, merged in shard order: the unsharded vocabulary's bytes
    /// (which came from the counts tokenize stored, or, with a held-out part, from counting
    /// the training documents), for N = 1, 3, 4, 7.
    @Test(arguments: [(1, false), (3, false), (4, true), (7, false), (7, true)]) func vocabularyShardsMergeToTheUnshardedBytes(shards: Int, heldOut: Bool) throws {
        let whole = Workspace(spec: shardSpec(shards: nil, heldOut: heldOut), corpus: shardCorpus())
        #expect(try whole.run { $0.selection = StageSelection(until: "vocab") }.exitCode == .ok)
        let w = Workspace(spec: shardSpec(shards: nil, vocabShards: shards, heldOut: heldOut), corpus: shardCorpus())
        #expect(try w.run { $0.selection = StageSelection(until: "tokens") }.exitCode == .ok)
        for i in 0..<shards {
            #expect(try w.run { $0.selection = StageSelection(only: "vocab"); $0.shardWork = .shard(ShardIndex(index: i, count: shards)) }.exitCode == .ok)
        }
        #expect(try w.run { $0.selection = StageSelection(only: "vocab"); $0.shardWork = .merge }.statuses == ["vocab": "ran"])
        #expect(try FileSystem.readFile(w.dir.file("art/vocab.wma")) == FileSystem.readFile(whole.dir.file("art/vocab.wma")))
    }

    /// Bag-of-words rows in shards, concatenated in shard order under the features chosen
    /// again: the unsharded bytes, for counts and tf-idf, words and bigrams, N = 1, 3, 4, 7.
    @Test(arguments: [(1, "counts", 1), (3, "tfidf", 2), (4, "counts", 2), (7, "counts", 1)])
    func bagOfWordsShardsMergeToTheUnshardedBytes(shards: Int, weighting: String, ngrams: Int) throws {
        func spec(_ split: String) -> String {
            """
            {"wordmill": 1, "name": "bow", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace", "split": {"test_fraction": 0.2}},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"], "weighting": "\(weighting)", "ngram_range": [1, \(ngrams)]\(split)}
            ]}
            """
        }
        let whole = Workspace(spec: spec(""), corpus: shardCorpus())
        #expect(try whole.run().exitCode == .ok)
        let w = Workspace(spec: spec(#", "shards": \#(shards)"#), corpus: shardCorpus())
        #expect(try w.run { $0.selection = StageSelection(until: "vocab") }.exitCode == .ok)
        for i in 0..<shards {
            #expect(try w.run { $0.selection = StageSelection(only: "bow"); $0.shardWork = .shard(ShardIndex(index: i, count: shards)) }.exitCode == .ok)
        }
        #expect(try w.run { $0.selection = StageSelection(only: "bow"); $0.shardWork = .merge }.statuses == ["bow": "ran"])
        #expect(try FileSystem.readFile(w.dir.file("art/bow.wma")) == FileSystem.readFile(whole.dir.file("art/bow.wma")))
    }

    /// A plain run of a spec that shards a stage computes the shards one after another and
    /// merges them: the same bytes, and a second run does nothing.
    @Test func aLocalRunComputesTheShardsThenMerges() throws {
        let w = Workspace(spec: shardSpec(shards: 4), corpus: shardCorpus())
        #expect(try w.run().ran == ["tokens", "vocab", "cooc"])
        #expect(try FileSystem.readFile(w.dir.file("art/cooc.wma")) == Self.unsharded)
        #expect(FileSystem.listDirectory(w.dir.file("art/cooc/shards")).sorted() == (0..<4).map { "\($0)-of-4.wma" })
        #expect(try w.run().ran.isEmpty)
    }

    /// A missing shard stops the merge with an error naming it and the command that makes it;
    /// nothing is written.
    @Test func aMissingShardIsNamed() throws {
        let w = Workspace(spec: shardSpec(shards: 3), corpus: shardCorpus())
        #expect(try w.run().exitCode == .ok)
        let before = try FileSystem.readFile(w.dir.file("art/cooc.wma"))
        unlink(w.dir.file("art/cooc/shards/1-of-3.wma"))
        let r = try w.run { $0.selection = StageSelection(only: "cooc", force: true); $0.shardWork = .merge }
        #expect(r.exitCode == .inputError)
        #expect(r.statuses == ["cooc": "failed"])
        let text = try String(contentsOfFile: w.dir.file("art/.wordmill/runs.jsonl"), encoding: .utf8)
        #expect(text.contains("shard 1/3 of stage 'cooc' is missing: "))
        #expect(text.contains("--only cooc --shard 1/3"))
        #expect(try FileSystem.readFile(w.dir.file("art/cooc.wma")) == before)
    }

    /// A shard made under other parameters is refused by the merge, and rebuilt by `--shard`.
    @Test func aStaleShardIsRefused() throws {
        let w = Workspace(spec: shardSpec(shards: 2), corpus: shardCorpus())
        #expect(try w.run().exitCode == .ok)
        try w.rewriteSpec(#""window": 5"#, #""window": 4"#)
        #expect(try w.run { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .shard(ShardIndex(index: 0, count: 2)) }.statuses == ["cooc[0/2]": "ran"])
        let r = try w.run { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .merge }
        #expect(r.exitCode == .inputError)
        // The whole run remakes the stale shard and merges.
        #expect(try w.run().ran == ["cooc"])
    }

    /// A damaged shard is named by the merge.
    @Test func aDamagedShardIsNamed() throws {
        let w = Workspace(spec: shardSpec(shards: 2), corpus: shardCorpus())
        #expect(try w.run().exitCode == .ok)
        let path = w.dir.file("art/cooc/shards/0-of-2.wma")
        var bytes = try FileSystem.readFile(path)
        bytes[bytes.count / 2] ^= 0xFF
        w.dir.write("art/cooc/shards/0-of-2.wma", bytes: bytes)
        let r = try w.run { $0.selection = StageSelection(only: "cooc", force: true); $0.shardWork = .merge }
        #expect(r.exitCode == .inputError)
    }

    /// `gc` removes shards of another N or other parameters, and keeps the current ones.
    @Test func gcRemovesStaleShards() throws {
        let w = Workspace(spec: shardSpec(shards: 4), corpus: shardCorpus())
        #expect(try w.run().exitCode == .ok)
        try w.rewriteSpec(#""shards": 4"#, #""shards": 3"#)
        #expect(try w.run().ran.isEmpty)  // the merged artifact does not depend on N
        #expect(try w.run { $0.selection = StageSelection(only: "cooc", force: true) }.ran == ["cooc"])
        let spec = try SpecLoader.load(path: w.dir.file("spec.json"), catalog: StageCatalog.operations)
        let garbage = try ArtifactGarbage.find(spec: spec).map { FileSystem.baseName(of: $0) }
        #expect(garbage == (0..<4).map { "\($0)-of-4.wma" })
    }

    @Test func shardWorkNeedsAShardableOnlyStage() throws {
        let w = Workspace(spec: shardSpec(shards: nil), corpus: shardCorpus())
        #expect(try w.run().exitCode == .ok)
        func usage(_ configure: (inout RunOptions) -> Void) -> String? {
            do { _ = try w.run(configure) } catch { if case .usage(let m) = error as? PipelineError { return m } }
            return nil
        }
        #expect(usage { $0.shardWork = .merge }?.contains("--merge needs --only STAGE") == true)
        let small = Workspace()
        #expect(try small.run().exitCode == .ok)
        do {
            _ = try small.run { $0.selection = StageSelection(only: "wc"); $0.shardWork = .shard(ShardIndex(index: 0, count: 2)) }
            Issue.record("sharding a windows stage ran")
        } catch let error as PipelineError {
            #expect(error.description.contains("stage 'wc' (windows) runs whole and cannot be sharded"))
        }
        #expect(usage { $0.selection = StageSelection(only: "cooc"); $0.shardWork = .merge }?.contains(#"add "shards": N to stages[2]"#) == true)
    }

    @Test func shardsOnAStageThatRunsWholeIsAnInvalidSpec() {
        let r = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "w", "op": "windows", "from": ["tok", "v"], "kind": "cbow", "shards": 2}, {"name": "v", "op": "vocab", "from": "tok"}"#), files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(r.issues.map(\.path) == ["stages[1].shards"])
        #expect(r.issues.first?.message.contains("cannot be sharded; ops that can: bag-of-words, cooccurrence, tokenize, vocab") == true)
        let zero = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt"}, {"name": "v", "op": "vocab", "from": "tok"}, {"name": "c", "op": "cooccurrence", "from": ["tok", "v"], "shards": 0}"#), files: corpus)
        #expect(zero.issues.map(\.path) == ["stages[2].shards"])
    }
}

/// The sbatch script `plan --emit slurm` prints.
@Suite struct SlurmScriptTests {
    @Test func aShardedStageIsAJobArrayAndAMergeGatedOnIt() throws {
        let w = Workspace(spec: shardSpec(shards: 4), corpus: shardCorpus())
        try w.rewriteSpec(#""artifacts": "art","#, #""artifacts": "art", "slurm": {"partition": "batch", "time": "1:00:00"},"#)
        try w.rewriteSpec(#""shards": 4"#, #""shards": 4, "slurm": {"mem": "8G", "time": "2:00:00"}"#)
        let spec = try SpecLoader.load(path: w.dir.file("spec.json"), catalog: StageCatalog.operations)
        // Tokens are current: only vocab and cooc are submitted, vocab without a dependency.
        #expect(try w.run { $0.selection = StageSelection(only: "tokens") }.exitCode == .ok)
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
        let script = SlurmScript.render(plan: plan, wordmill: "/opt/wm/bin/wordmill", workingDirectory: "/home/u")
        let jobs = script.split(separator: "\n").filter { $0.hasPrefix("job_") }
        let specPath = w.dir.file("spec.json")
        #expect(jobs == [
            "job_1=$(submit --job-name=wordmill:sharded:vocab --output=\"$LOGS/vocab.out\" --partition=batch --time=1:00:00 --wrap='exec /opt/wm/bin/wordmill run \(specPath) --only vocab --wait')",
            "job_2_shards=$(submit --job-name='wordmill:sharded:cooc[shards]' --array=0-3 --output=\"$LOGS/cooc.shard-%a.out\" --dependency=afterok:\"$job_1\" --partition=batch --mem=8G --time=2:00:00 --wrap='exec /opt/wm/bin/wordmill run \(specPath) --only cooc --wait --shard \"$SLURM_ARRAY_TASK_ID/4\"')",
            "job_2=$(submit --job-name=wordmill:sharded:cooc --output=\"$LOGS/cooc.merge.out\" --dependency=afterok:\"$job_2_shards\" --partition=batch --mem=8G --time=2:00:00 --wrap='exec /opt/wm/bin/wordmill run \(specPath) --only cooc --wait --merge')",
        ].map { Substring($0) })
        #expect(script.contains("sbatch --parsable --kill-on-invalid-dep=yes"))
        #expect(script.contains("LOGS=\(w.dir.file("art/.wordmill/slurm"))"))
        // bash accepts it.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", w.dir.write("submit.sh", script)]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    @Test func pathsAreQuotedForTheShell() {
        #expect(SlurmScript.shellQuote("/a/b-c_d.json") == "/a/b-c_d.json")
        #expect(SlurmScript.shellQuote("/a b/it's") == #"'/a b/it'\''s'"#)
    }

    @Test func slurmResourcesAreChecked() {
        let r = issues(#"{"wordmill": 1, "name": "t", "slurm": {"mem": "lots", "cpu": 2}, "stages": [{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "slurm": {"cpus": 0}}]}"#, files: corpus)
        #expect(r.code == .invalidSpec)
        #expect(Set(r.issues.map(\.path)) == ["slurm.mem", "slurm.cpu", "stages[0].slurm.cpus"])
    }
}

/// `tokenize` in shards: documents by the byte where their line starts, merged with one class
/// list, the stratified split drawn over all, the stored counts added in order.
@Suite struct TokenizeShardTests {
    /// Corpus files for each case: plain lines over two files with blank lines; tsv labels
    /// with a malformed line skipped and a stratified split; multi-label jsonl with a test file.
    static func files(_ kind: String) -> [String: String] {
        let lines = shardCorpus(lines: 120).split(separator: "\n").map(String.init)
        let classes = ["noun.act", "verb.motion", "adj.all", "noun.Person", "ㄱ"]
        switch kind {
        case "lines":
            let a = lines[0..<70].enumerated().map { $0.offset % 9 == 4 ? "\n" + $0.element : $0.element }.joined(separator: "\n") + "\n"
            return ["a.txt": a, "b.txt": lines[70...].joined(separator: "\n") + "\n\n"]
        case "tsv":
            var rows = lines.enumerated().map { "\(classes[($0.offset * 7) % 5])\t\($0.element)" }
            rows.insert("no tab on this line", at: 33)
            return ["a.tsv": rows.joined(separator: "\n") + "\n"]
        default:
            func row(_ i: Int, _ text: String) -> String {
                let labels = (0..<(1 + i % 3)).map { "\"\(classes[(i * 3 + $0 * 2) % 5])\"" }.joined(separator: ", ")
                return #"{"text": "\#(text)", "labels": [\#(labels)]}"#
            }
            return ["train.jsonl": lines[0..<90].enumerated().map { row($0.offset, $0.element) }.joined(separator: "\n") + "\n",
                    "test.jsonl": lines[90...].enumerated().map { row($0.offset + 5, $0.element) }.joined(separator: "\n") + "\n"]
        }
    }

    static func spec(_ kind: String, shards: Int?) -> String {
        let tokenize: String
        switch kind {
        case "lines": tokenize = #""inputs": ["a.txt", "b.txt"], "tokenizer": "words""#
        case "tsv": tokenize = #""inputs": "a.tsv", "format": "tsv", "on_error": "skip", "split": {"test_fraction": 0.3, "seed": 7}"#
        default: tokenize = #""inputs": "train.jsonl", "test_inputs": "test.jsonl", "format": {"kind": "jsonl", "label_field": "labels", "multi_label": true}"#
        }
        let split = shards.map { #", "shards": \#($0)"# } ?? ""
        return #"{"wordmill": 1, "name": "tok", "artifacts": "art", "stages": [{"name": "tokens", "op": "tokenize", \#(tokenize)\#(split)}]}"#
    }

    @Test(arguments: [("lines", 1), ("lines", 3), ("lines", 7), ("tsv", 4), ("tsv", 7), ("jsonl", 3), ("jsonl", 4)])
    func tokenizeShardsMergeToTheUnshardedBytes(kind: String, shards: Int) throws {
        func workspace(_ shards: Int?) -> Workspace {
            let w = Workspace(spec: Self.spec(kind, shards: shards), corpus: "")
            for (name, text) in Self.files(kind) { w.dir.write(name, text) }
            return w
        }
        let whole = workspace(nil)
        #expect(try whole.run().exitCode == .ok)
        let w = workspace(shards)
        for i in 0..<shards {
            #expect(try w.run { $0.selection = StageSelection(only: "tokens"); $0.shardWork = .shard(ShardIndex(index: i, count: shards)) }.exitCode == .ok)
        }
        #expect(try w.run { $0.selection = StageSelection(only: "tokens"); $0.shardWork = .merge }.statuses == ["tokens": "ran"])
        let merged = try FileSystem.readFile(w.dir.file("art/tokens.wma"))
        #expect(merged == (try FileSystem.readFile(whole.dir.file("art/tokens.wma"))))
        // Each shard holds part of the documents, not all of them.
        if shards > 1 {
            let first = try ArtifactReader(path: w.dir.file("art/tokens/shards/0-of-\(shards).wma")).header.counts["documents"] ?? 0
            let all = try ArtifactReader(path: w.dir.file("art/tokens.wma")).header.counts["documents"] ?? 0
            #expect(first > 0 && first < all)
        }
    }

    @Test func taggedCorporaAndCommandTokenizersAreNotSharded() {
        let tagged = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "format": "tagged", "shards": 2}"#), files: corpus)
        #expect(tagged.issues.map(\.path) == ["stages[0].shards"])
        #expect(tagged.issues.first?.message.contains("format \"tagged\" is read whole") == true)
        let command = issues(stages(#"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "command", "argv": ["cat"]}, "shards": 2}"#), files: corpus)
        #expect(command.issues.map(\.path) == ["stages[0].shards"])
        #expect(command.issues.first?.message.contains("a command tokenizer reads the whole corpus") == true)
    }
}

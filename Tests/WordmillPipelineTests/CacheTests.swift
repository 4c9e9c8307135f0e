import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// A second run of an unchanged spec runs nothing, for every tokenizer kind (the plan and the
/// runner compute one fingerprint, the analyser's identity included), and the fingerprint
/// follows the resolved parameters, so writing a default out changes nothing.
@Suite struct CacheTests {
    /// Options that exercise each tokenizer kind; a kind added to `TokenizerKinds.all`
    /// without an entry here fails `everyTokenizerKindIsCovered`.
    static let options: [String: String] = [
        "whitespace": #""whitespace""#,
        "words": #"{"kind": "words", "lowercase": true, "numbers": "replace"}"#,
        "chars": #"{"kind": "chars", "keep_whitespace": true}"#,
        "sklearn": #""sklearn""#,
        "command": #"{"kind": "command", "argv": ["tr", "A-Z", "a-z"]}"#,
        "mecab": #"{"kind": "mecab", "dictionary": "\#(MecabTokenizerTests.dictionary)", "drop_pos": ["S"]}"#,
    ]

    static func spec(_ tokenizer: String) -> String {
        """
        {"wordmill": 1, "name": "cache", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": \(tokenizer)},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 1},
          {"name": "sg", "op": "train", "from": "windows", "model": "word2vec", "dim": 4, "epochs": 1}
        ]}
        """
    }

    @Test func everyTokenizerKindIsCovered() {
        #expect(Set(TokenizerKinds.all.map(\.name)) == Set(Self.options.keys))
    }

    @Test(arguments: TokenizerKinds.all.map(\.name))
    func aSecondRunRunsNothing(kind: String) throws {
        if kind == "mecab", !FileSystem.isRegularFile(MecabTokenizerTests.dictionary + "/sys.dic") {
            Issue.record("mecab-ko-dic is not installed; `make test` installs it (corpora/tools/mecab-ko-dic.sh)")
            return
        }
        let corpus = "음식이 정말 맛있었어요 The Food was 3.5 stars\n서비스도 친절하고 Service was KIND\n위생 상태가 별로 Hygiene was POOR\n"
        let (dir, first) = try runSpec(Self.spec(Self.options[kind]!), files: ["corpus.txt": corpus])
        #expect(first.exitCode == .ok)
        #expect(first.ran == ["tokens", "vocab", "windows", "sg"])
        let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
        #expect(plan.stages.allSatisfy { $0.state == .upToDate && !$0.willRun }, "\(plan.stages.map { "\($0.stage.name): \($0.reason)" })")
        let second = try Runner(spec: spec, log: RunLog(quiet: true)).run(RunOptions())
        #expect(second.exitCode == .ok && second.ran.isEmpty, "\(second.statuses)")
        #expect(try PipelineStatus.compute(spec: spec).allSatisfy { $0.state == .upToDate })
    }

    /// Resolved parameters, defaults included, are what the fingerprint sees: a spec that
    /// writes its defaults out is the same pipeline, and changing one reruns exactly the
    /// stages that use it.
    @Test func writingDefaultsOutChangesNothingAndChangingOneRerunsItsStages() throws {
        let (dir, first) = try runSpec(Self.spec(#""whitespace""#), files: ["corpus.txt": "a b c a b\nb c a d\n"])
        #expect(first.exitCode == .ok)
        let explicit = Self.spec(#""whitespace""#)
            .replacingOccurrences(of: #""window": 1}"#, with: #""window": 1, "edges": "truncate", "unknown": "drop"}"#)
            .replacingOccurrences(of: #""dim": 4, "epochs": 1}"#, with: #""dim": 4, "epochs": 1, "objective": "negative", "negative": 5, "lr": 0.025, "sample": 0.001, "architecture": "skipgram"}"#)
        dir.write("spec.json", explicit)
        let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        #expect(try Runner(spec: spec, log: RunLog(quiet: true)).run(RunOptions()).ran.isEmpty)
        dir.write("spec.json", explicit.replacingOccurrences(of: #""negative": 5"#, with: #""negative": 6"#))
        let changed = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        #expect(try Runner(spec: changed, log: RunLog(quiet: true)).run(RunOptions()).ran == ["sg"])
    }

    /// A derived default follows the stage it reads: word2vec's learning rate is CBOW's
    /// 0.05 or skip-gram's 0.025 by the windows stage, and an rnn's embedding size is its
    /// pretrained vectors' size.
    @Test func derivedDefaultsFollowTheStagesRead() throws {
        let text = """
            {"wordmill": 1, "name": "d", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "c.txt", "tokenizer": "whitespace"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "cw", "op": "windows", "from": ["tokens", "vocab"], "kind": "cbow"},
              {"name": "cbow", "op": "train", "from": "cw", "model": "word2vec", "dim": 12},
              {"name": "sw", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram"},
              {"name": "sg", "op": "train", "from": "sw", "model": "word2vec", "objective": "hierarchical"},
              {"name": "soft", "op": "train", "from": "cw", "model": "word2vec", "objective": "softmax"},
              {"name": "sgn", "op": "train", "from": "sw", "model": "word2vec"},
              {"name": "seq", "op": "sequences", "from": ["tokens", "vocab"], "task": "lm"},
              {"name": "rnn", "op": "train", "from": ["seq", "cbow"], "model": "rnn", "optimizer": "sgd"}
            ]}
            """
        let spec = try SpecLoader.validate(try JSONParser.parse(Array(text.utf8)), path: "d.json", catalog: StageCatalog.operations)
        let p = { (name: String) in spec.stage(name)!.parameters }
        #expect(p("cbow")["architecture"] == "cbow" && p("cbow")["lr"] == 0.05 && p("cbow")["negative"] == 5 && p("cbow")["shared_negatives"] == false)
        #expect(p("sgn")["shared_negatives"] == true && p("sg")["shared_negatives"] == nil)
        #expect(p("sg")["architecture"] == "skipgram" && p("sg")["lr"] == 0.025 && p("sg")["negative"] == nil)
        #expect(p("soft")["lr"] == 0.025 && p("soft")["batch_size"] == 32 && p("soft")["sample"] == nil)
        #expect(p("rnn")["embedding_dim"] == 12 && p("rnn")["lr"] == 0.1 && p("rnn")["momentum"] == 0.0 && p("rnn")["nonlinearity"] == nil)
        #expect(p("seq")["eos"] == true && p("seq")["max_len"] == nil)
    }
}

/// What a variant declares its output depends on outside the spec reruns it when it changes,
/// and `status` says so: here a command tokenizer whose `--version` changes.
@Suite struct EnvironmentTests {
    @Test func aNewAnalyserVersionRerunsTokenizeAndStatusSaysWhy() throws {
        let dir = TemporaryDirectory()
        let script = dir.write("analyser.sh", "#!/bin/sh\nif [ \"$1\" = --version ]; then cat \"$(dirname \"$0\")/version.txt\"; exit 0; fi\nexec cat\n")
        chmod(script, 0o755)
        dir.write("version.txt", "analyser 1.0\n")
        dir.write("corpus.txt", "a b c\nb c a\n")
        dir.write("spec.json", """
            {"wordmill": 1, "name": "env", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "command", "argv": ["\(script)"]}},
              {"name": "vocab", "op": "vocab", "from": "tokens"}
            ]}
            """)
        func run() throws -> RunResult {
            let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
            return try Runner(spec: spec, log: RunLog(quiet: true)).run(RunOptions())
        }
        #expect(try run().ran == ["tokens", "vocab"])
        #expect(try run().ran.isEmpty)
        dir.write("version.txt", "analyser 2.0\n")
        let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        let tokens = try PipelineStatus.compute(spec: spec).first { $0.stage == "tokens" }!
        #expect(tokens.state == .stale)
        #expect(tokens.reasons == [#"outside the spec: {"command_version":"analyser 1.0\n"} → {"command_version":"analyser 2.0\n"}"#], "\(tokens.reasons)")
        // The tokens are the same bytes, but the stage cannot know that before it runs.
        #expect(try run().ran == ["tokens", "vocab"])
    }
}

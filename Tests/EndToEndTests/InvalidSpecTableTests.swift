import Foundation
import Testing
import WordmillSupport
import WordmillTestSupport

/// A table of specs that `run` would reject: wrong input kinds for each model and export,
/// parameters that exclude each other, unknown variant values, missing files. `validate`
/// rejects every one before doing work, naming the JSON path, and `run` rejects it the same
/// way without running a stage; the generated JSON Schema accepts every bundled pipeline and
/// rejects the rows a schema can express.
@Suite(.serialized) struct InvalidSpecTableTests {
    /// Valid stages every row builds on (indices 0–9).
    static let base = [
        #"{"name": "tok", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"}"#,
        #"{"name": "lab", "op": "tokenize", "inputs": "labelled.tsv", "format": "tsv", "tokenizer": "whitespace"}"#,
        #"{"name": "vocab", "op": "vocab", "from": "tok"}"#,
        #"{"name": "labvocab", "op": "vocab", "from": "lab"}"#,
        #"{"name": "sg", "op": "windows", "from": ["tok", "vocab"], "kind": "skipgram", "window": 1}"#,
        #"{"name": "cooc", "op": "cooccurrence", "from": ["tok", "vocab"], "window": 2}"#,
        #"{"name": "bow", "op": "bag-of-words", "from": ["lab", "labvocab"]}"#,
        #"{"name": "seq", "op": "sequences", "from": ["lab", "labvocab"], "task": "classify"}"#,
        #"{"name": "lm", "op": "sequences", "from": ["tok", "vocab"], "task": "lm"}"#,
        #"{"name": "w2v", "op": "train", "from": "sg", "model": "word2vec", "dim": 4, "epochs": 1}"#,
    ]

    struct Row: Sendable, CustomStringConvertible {
        let name: String
        /// Stages after the base ones: the first is `stages[10]`.
        let stages: [String]
        /// The JSON path the error names, and a phrase of its message.
        let path: String
        let message: String
        /// 65 for an invalid spec, 66 for a file or program that is not there (DESIGN's sysexits).
        var exitCode: Int32 = 65
        /// Whether the JSON Schema can say it (input kinds and rules across stages it cannot).
        var schemaRejects = false
        var description: String { name }
    }

    static let rows: [Row] = [
        // Wrong input kinds, for each model.
        Row(name: "word2vec from cooccurrence", stages: [#"{"name": "x", "op": "train", "from": "cooc", "model": "word2vec"}"#],
            path: "stages[10].from", message: "stage 'cooc' produces 'cooccurrence', but train 'word2vec' reads a 'windows' stage"),
        Row(name: "naive-bayes from cooccurrence", stages: [#"{"name": "x", "op": "train", "from": "cooc", "model": "naive-bayes"}"#],
            path: "stages[10].from", message: "train 'naive-bayes' reads a 'bag-of-words' stage"),
        Row(name: "glove from windows", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "glove"}"#],
            path: "stages[10].from", message: "train 'glove' reads a 'cooccurrence' stage"),
        Row(name: "rnn from bag-of-words", stages: [#"{"name": "x", "op": "train", "from": "bow", "model": "rnn"}"#],
            path: "stages[10].from", message: "train 'rnn' reads a 'sequences' stage"),
        Row(name: "pretrained embeddings for word2vec", stages: [#"{"name": "x", "op": "train", "from": ["sg", "w2v"], "model": "word2vec"}"#],
            path: "stages[10].from[1]", message: "stage 'w2v' produces 'word2vec', but train 'word2vec' reads a 'windows' stage"),
        // Wrong input kinds, for exports and evaluations.
        Row(name: "word2vec-text of a classifier", stages: [
            #"{"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes"}"#,
            #"{"name": "x", "op": "export", "from": "nb", "format": "word2vec-text", "path": "out.txt"}"#,
        ], path: "stages[11].from", message: "export 'word2vec-text' reads a 'word2vec' or 'glove' or 'fasttext' stage"),
        Row(name: "naive-bayes-json of word vectors", stages: [#"{"name": "x", "op": "export", "from": "w2v", "format": "naive-bayes-json", "path": "nb.json"}"#],
            path: "stages[10].from", message: "export 'naive-bayes-json' reads a 'naive-bayes' stage"),
        Row(name: "predictions of a word-vector evaluation", stages: [
            #"{"name": "ev", "op": "evaluate", "from": "w2v", "similarities": "pairs.tsv"}"#,
            #"{"name": "x", "op": "export", "from": "ev", "format": "predictions-csv", "path": "p.csv"}"#,
        ], path: "stages[11].format", message: "writes a classifier's predictions, but stage 'ev' evaluates word vectors"),
        Row(name: "rnn embeddings picture", stages: [
            #"{"name": "r", "op": "train", "from": "seq", "model": "rnn", "hidden": 4, "epochs": 1}"#,
            #"{"name": "x", "op": "export", "from": "r", "format": "svg", "path": "r.svg"}"#,
        ], path: "stages[11].picture", message: "stage 'r' is an rnn model: it draws \"picture\": \"loss\""),
        Row(name: "evaluate word vectors with a dataset", stages: [#"{"name": "x", "op": "evaluate", "from": ["w2v", "bow"], "similarities": "pairs.tsv"}"#],
            path: "stages[10].from[1]", message: "stage 'bow' produces 'bag-of-words', but evaluate 'word-vectors' reads a 'word2vec' or 'glove' or 'fasttext' stage"),
        Row(name: "evaluate a dataset", stages: [#"{"name": "x", "op": "evaluate", "from": "bow"}"#],
            path: "stages[10].from", message: "op 'evaluate' reads a 'word2vec' or 'glove' or 'fasttext' stage (word-vectors); or a 'naive-bayes' stage and a 'bag-of-words' stage (classifier)"),
        Row(name: "classifier evaluation without its data", stages: [
            #"{"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes"}"#,
            #"{"name": "x", "op": "evaluate", "from": "nb"}"#,
        ], path: "stages[11].from", message: "evaluate 'classifier' also needs a 'bag-of-words' stage"),
        // Parameters that exclude each other.
        Row(name: "negative with softmax", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "objective": "softmax", "negative": 5}"#],
            path: "stages[10].negative", message: "'negative' applies only with objective \"negative\", not objective \"softmax\"", schemaRejects: true),
        Row(name: "batch_size with negative sampling", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "batch_size": 8}"#],
            path: "stages[10].batch_size", message: "applies only with objective \"softmax\"", schemaRejects: true),
        Row(name: "architecture against the windows", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "architecture": "cbow"}"#],
            path: "stages[10].architecture", message: "stage 'sg' makes \"skipgram\" windows"),
        Row(name: "negative sampling over full-only windows", stages: [
            #"{"name": "full", "op": "windows", "from": ["tok", "vocab"], "kind": "cbow", "edges": "full-only"}"#,
            #"{"name": "x", "op": "train", "from": "full", "model": "word2vec"}"#,
        ], path: "stages[11].objective", message: "needs \"edges\": \"truncate\" in stage 'full'"),
        Row(name: "softmax on two threads", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "objective": "softmax", "threads": 2}"#],
            path: "stages[10].threads", message: "the softmax objective trains on one thread"),
        Row(name: "shared negatives for CBOW", stages: [
            #"{"name": "cw", "op": "windows", "from": ["tok", "vocab"], "kind": "cbow"}"#,
            #"{"name": "x", "op": "train", "from": "cw", "model": "word2vec", "shared_negatives": true}"#,
        ], path: "stages[11].shared_negatives", message: "is a skip-gram scheme"),
        Row(name: "shared negatives with hierarchical softmax", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "objective": "hierarchical", "shared_negatives": true}"#],
            path: "stages[10].shared_negatives", message: "applies only with objective \"negative\"", schemaRejects: true),
        Row(name: "norm without complement", stages: [#"{"name": "x", "op": "train", "from": "bow", "model": "naive-bayes", "norm": true}"#],
            path: "stages[10].norm", message: "applies only with variant \"complement\", not variant \"multinomial\"", schemaRejects: true),
        Row(name: "dropout with one layer", stages: [#"{"name": "x", "op": "train", "from": "seq", "model": "rnn", "dropout": 0.5}"#],
            path: "stages[10].dropout", message: "with \"layers\": 1 it would do nothing"),
        Row(name: "freeze without embeddings", stages: [#"{"name": "x", "op": "train", "from": "seq", "model": "rnn", "freeze": true}"#],
            path: "stages[10].freeze", message: "keeps pretrained embeddings fixed"),
        Row(name: "bidirectional language model", stages: [#"{"name": "x", "op": "train", "from": "lm", "model": "rnn", "bidirectional": true}"#],
            path: "stages[10].bidirectional", message: "cannot read the tokens it predicts"),
        Row(name: "momentum with adam", stages: [#"{"name": "x", "op": "train", "from": "seq", "model": "rnn", "momentum": 0.9}"#],
            path: "stages[10].momentum", message: "applies only with optimizer \"sgd\", not optimizer \"adam\"", schemaRejects: true),
        Row(name: "embedding_dim against the vectors", stages: [#"{"name": "x", "op": "train", "from": ["seq", "w2v"], "model": "rnn", "embedding_dim": 7}"#],
            path: "stages[10].embedding_dim", message: "is 7, but stage 'w2v' has 4-dimensional vectors"),
        Row(name: "split and test_inputs", stages: [#"{"name": "x", "op": "tokenize", "inputs": "labelled.tsv", "format": "tsv", "test_inputs": "labelled.tsv", "split": {"test_fraction": 0.5}}"#],
            path: "stages[10].split", message: "give either \"split\" or \"test_inputs\", not both"),
        Row(name: "merges and vocab_size", stages: [#"{"name": "x", "op": "subword", "from": "tok", "merges": 5, "vocab_size": 50}"#],
            path: "stages[10]", message: "give exactly one of \"merges\" and \"vocab_size\""),
        Row(name: "unk without the special", stages: [#"{"name": "x", "op": "windows", "from": ["tok", "vocab"], "kind": "cbow", "unknown": "unk"}"#],
            path: "stages[10].unknown", message: "vocab stage 'vocab' has no \"<unk>\" special"),
        Row(name: "max_len for a language model", stages: [#"{"name": "x", "op": "sequences", "from": ["tok", "vocab"], "task": "lm", "max_len": 10}"#],
            path: "stages[10].max_len", message: "applies only with task \"classify\" or \"tag\"", schemaRejects: true),
        Row(name: "harmonic window too wide", stages: [#"{"name": "x", "op": "cooccurrence", "from": ["tok", "vocab"], "window": 50}"#],
            path: "stages[10].window", message: "harmonic counts stay exact up to a window of 20"),
        Row(name: "nothing to evaluate word vectors on", stages: [#"{"name": "x", "op": "evaluate", "from": "w2v"}"#],
            path: "stages[10]", message: "name \"analogies\" or \"similarities\" files"),
        Row(name: "confusion picture of a language model", stages: [
            #"{"name": "r", "op": "train", "from": "lm", "model": "rnn", "hidden": 4, "epochs": 1}"#,
            #"{"name": "x", "op": "evaluate", "from": ["r", "lm"], "confusion_svg": "c.svg"}"#,
        ], path: "stages[11].confusion_svg", message: "applies to classifiers and taggers"),
        // Unknown variant values and parameters.
        Row(name: "unknown model", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vex"}"#],
            path: "stages[10].model", message: "got \"word2vex\" (did you mean 'word2vec'?)", schemaRejects: true),
        Row(name: "unknown export format", stages: [#"{"name": "x", "op": "export", "from": "w2v", "format": "fasttext", "path": "v.vec"}"#],
            path: "stages[10].format", message: "expected one of", schemaRejects: true),
        Row(name: "unknown tokenizer kind", stages: [#"{"name": "x", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "spacy"}"#],
            path: "stages[10].tokenizer", message: "unknown kind \"spacy\"", schemaRejects: true),
        Row(name: "unknown analogy method", stages: [#"{"name": "x", "op": "evaluate", "from": "w2v", "similarities": "pairs.tsv", "methods": ["add", "div"]}"#],
            path: "stages[10].methods[1]", message: "got \"div\"", schemaRejects: true),
        Row(name: "a parameter of another model", stages: [#"{"name": "x", "op": "train", "from": "sg", "model": "word2vec", "x_max": 10}"#],
            path: "stages[10].x_max", message: "unknown parameter 'x_max'", schemaRejects: true),
        Row(name: "number_token without replace", stages: [#"{"name": "x", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "words", "number_token": "N"}}"#],
            path: "stages[10].tokenizer.number_token", message: "applies only with numbers \"replace\"", schemaRejects: true),
        // Files and programs that are not there: input errors (66), found before any stage runs.
        Row(name: "missing evaluation file", stages: [#"{"name": "x", "op": "evaluate", "from": "w2v", "analogies": "no-questions.txt"}"#],
            path: "stages[10].analogies", message: "no-questions.txt does not exist", exitCode: 66),
        Row(name: "missing MeCab dictionary", stages: [#"{"name": "x", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "mecab", "dictionary": "no-dic"}}"#],
            path: "stages[10].tokenizer.dictionary", message: "no MeCab dictionary at", exitCode: 66),
        Row(name: "missing analyser command", stages: [#"{"name": "x", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": {"kind": "command", "argv": ["no-such-analyser"]}}"#],
            path: "stages[10].tokenizer.argv", message: "`no-such-analyser` was not found on PATH", exitCode: 66),
    ]

    static func spec(_ row: Row) -> String {
        #"{"wordmill": 1, "name": "t", "artifacts": "art", "stages": [\#n  "# + (base + row.stages).joined(separator: ",\n  ") + "\n]}\n"
    }

    static func workspace() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("corpus.txt", "a b c a b\nb c a\n")
        dir.write("labelled.tsv", "pos\ta b\nneg\tc a\npos\tb b\n")
        dir.write("pairs.tsv", "a b 1.0\n")
        return dir
    }

    @Test func theBaseIsValid() throws {
        let dir = Self.workspace()
        dir.write("spec.json", Self.spec(Row(name: "base", stages: [], path: "", message: "")))
        let result = try runWordmill(["validate", dir.file("spec.json")])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func validateAndRunRejectEveryRowBeforeAnyWork() throws {
        #expect(Self.rows.count >= 20)
        for row in Self.rows {
            let dir = Self.workspace()
            dir.write("spec.json", Self.spec(row))
            let validate = try runWordmill(["validate", dir.file("spec.json")])
            #expect(validate.status == row.exitCode, "\(row): exit \(validate.status) \(validate.stderr)")
            let located = validate.stderr.split(separator: "\n").contains { $0.contains(row.path + " (stage '") && $0.contains(row.message) }
            #expect(located, "\(row): expected \(row.path): …\(row.message)… in \(validate.stderr)")
            let run = try runWordmill(["run", dir.file("spec.json")])
            #expect(run.status == row.exitCode, "\(row): run exit \(run.status)")
            #expect(run.stderr == validate.stderr, "\(row): run and validate disagree:\n\(run.stderr)\n\(validate.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.file("art/tok.wma")), "\(row): a stage ran")
        }
    }

    /// The published schema, checked with Python's `jsonschema` in the virtual environment
    /// `make test` creates (.venv-test): it is a valid draft 2020-12 schema, every bundled
    /// pipeline passes it, and it rejects the rows above that a schema can express.
    @Test func jsonSchemaAcceptsTheBundledPipelinesAndRejectsTheTable() throws {
        let python = Repository.python
        try #require(FileManager.default.isExecutableFile(atPath: python), "run `make test`: it creates .venv-test with jsonschema")
        let dir = Self.workspace()
        let schema = try runWordmill(["schema"])
        #expect(schema.status == 0)
        dir.write("schema.json", schema.stdout)
        var cases: [JSONValue] = []
        let pipelines = try FileManager.default.contentsOfDirectory(atPath: Repository.root + "/pipelines").filter { $0.hasSuffix(".json") }.sorted()
        #expect(pipelines.count >= 10)
        for name in pipelines { cases.append(["file": .string(Repository.root + "/pipelines/" + name), "valid": true]) }
        for (n, row) in Self.rows.enumerated() where row.schemaRejects {
            cases.append(["file": .string(dir.write("row-\(n).json", Self.spec(row))), "valid": false, "name": .string(row.name)])
        }
        dir.write("cases.json", JSONValue.array(cases).canonicalText)
        let check = try runWordmill([Repository.fixture("schema_check.py"), dir.file("schema.json"), dir.file("cases.json")], tool: python)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("\(cases.count) passed, 0 failed"), "\(check.stdout)")
    }
}

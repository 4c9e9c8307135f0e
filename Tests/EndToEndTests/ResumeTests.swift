import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport

/// Every training stage checkpoints after each epoch: killed right after a checkpoint, the
/// next run resumes there and every artifact ends byte-identical to an uninterrupted run's —
/// word2vec, fastText's subword model, GloVe with its entries in one shuffle block and in several, and an rnn language
/// model (the rnn classifier's resume is in RecurrentPipelinesTests).
@Suite(.serialized) struct ResumeTests {
    static let spec = """
        {"wordmill": 1, "name": "resume", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.tsv", "format": "tsv", "split": {"test_fraction": 0.2, "seed": 1}},
          {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2},
          {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "cbow", "window": 2},
          {"name": "w2v", "op": "train", "from": "windows", "model": "word2vec", "dim": 12, "epochs": 3},
          {"name": "ft", "op": "train", "from": "windows", "model": "fasttext", "dim": 8, "epochs": 3, "bucket": 5000},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 4},
          {"name": "glove-one", "op": "train", "from": "cooc", "model": "glove", "dim": 8, "epochs": 3},
          {"name": "glove-blocks", "op": "train", "from": "cooc", "model": "glove", "dim": 8, "epochs": 3, "shuffle_mb": 1},
          {"name": "lm-data", "op": "sequences", "from": ["tokens", "vocab"], "task": "lm", "bptt": 6},
          {"name": "lm", "op": "train", "from": "lm-data", "model": "rnn", "cell": "lstm", "embedding_dim": 6, "hidden": 6, "epochs": 3, "batch_size": 16}
        ]}
        """

    @Test func everyTrainerResumesToTheSameBytes() throws {
        let clean = KillSuiteTests.workspace(), killed = KillSuiteTests.workspace()
        clean.write("spec.json", Self.spec)
        killed.write("spec.json", Self.spec)
        let reference = try runWordmill(["run", clean.file("spec.json")])
        #expect(reference.status == 0, "\(reference.stderr)")
        let frames = try ArtifactReader(path: clean.file("art/cooc.wma")).section("entries").frames.count
        #expect(frames >= 2, "glove-blocks needs entries in more than one 1 MiB frame to shuffle in several blocks")
        var resumed: [String] = []
        for (stage, epoch) in [("w2v", 2), ("ft", 1), ("glove-one", 1), ("glove-blocks", 2), ("lm", 1)] {
            let run = try runWordmill(["run", killed.file("spec.json")], environment: ["WORDMILL_FAULT_KILL": "checkpoint:\(stage).wma.checkpoint:\(epoch)"])
            #expect(run.status == 9, "\(stage): \(run.status) \(run.stderr)")
            #expect(FileSystem.isRegularFile(killed.file("art/\(stage).wma.checkpoint")))
            #expect(!FileSystem.isRegularFile(killed.file("art/\(stage).wma")))
            resumed.append("\(stage) after epoch \(epoch)")
        }
        let last = try runWordmill(["run", killed.file("spec.json")])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("lm: resuming after epoch 1"), "\(last.stdout)")
        for name in FileSystem.listDirectory(clean.file("art")).sorted() where name.hasSuffix(".wma") {
            #expect(try FileSystem.readFile(killed.file("art/" + name)) == FileSystem.readFile(clean.file("art/" + name)), "\(name) differs after resuming")
        }
        #expect(!FileSystem.listDirectory(killed.file("art")).contains { $0.hasSuffix(".checkpoint") })
        print("resume: killed after \(resumed.joined(separator: ", ")); every artifact identical to the uninterrupted run")
    }

    /// The lecture's full-softmax word2vec with shuffling: the generator's state is in the checkpoint.
    @Test func softmaxWord2VecResumesWithItsShuffleOrder() throws {
        let spec = """
            {"wordmill": 1, "name": "softmax", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 2, "edges": "full-only"},
              {"name": "softmax", "op": "train", "from": "windows", "model": "word2vec", "objective": "softmax", "dim": 6,
               "epochs": 4, "batch_size": 4, "shuffle": true, "seed": 3}
            ]}
            """
        let corpus = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog met on a mat\n"
        let clean = TemporaryDirectory(), killed = TemporaryDirectory()
        for dir in [clean, killed] {
            dir.write("spec.json", spec)
            dir.write("corpus.txt", corpus)
        }
        #expect(try runWordmill(["run", clean.file("spec.json")]).status == 0)
        let first = try runWordmill(["run", killed.file("spec.json")], environment: ["WORDMILL_FAULT_KILL": "checkpoint:softmax.wma.checkpoint:2"])
        #expect(first.status == 9, "\(first.stderr)")
        let second = try runWordmill(["run", killed.file("spec.json")])
        #expect(second.status == 0 && second.stdout.contains("resuming after epoch 2"), "\(second.stdout)")
        #expect(try FileSystem.readFile(killed.file("art/softmax.wma")) == FileSystem.readFile(clean.file("art/softmax.wma")))
    }

    /// `checkpoint_minutes`: checkpoints inside an epoch, killed between two steps, resumed
    /// there — a classifier (batch order) and a language model (carried states).
    @Test func midEpochCheckpointsResumeToTheSameBytes() throws {
        for (task, kill) in [("classify", "1+2"), ("lm", "0+3")] {
            let spec = """
                {"wordmill": 1, "name": "mid", "artifacts": "art", "stages": [
                  {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "split": {"test_fraction": 0.25, "seed": 2}},
                  {"name": "vocab", "op": "vocab", "from": "tokens"},
                  {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "\(task)", "bptt": 3},
                  {"name": "rnn", "op": "train", "from": "sequences", "model": "rnn", "cell": "lstm", "embedding_dim": 6, "hidden": 6,
                   "batch_size": 4, "epochs": 3, "lr": 0.01, "seed": 2, "checkpoint_minutes": 0.000001}
                ]}
                """
            let clean = RecurrentPipelinesTests.classifierWorkspace(), killed = RecurrentPipelinesTests.classifierWorkspace()
            clean.write("spec.json", spec)
            killed.write("spec.json", spec)
            #expect(try runWordmill(["run", clean.file("spec.json")]).status == 0)
            let first = try runWordmill(["run", killed.file("spec.json")], environment: ["WORDMILL_FAULT_KILL": "checkpoint:rnn.wma.checkpoint:\(kill)"])
            #expect(first.status == 9, "\(task): \(first.stderr)")
            let second = try runWordmill(["run", killed.file("spec.json")])
            let (epochs, steps) = (kill.split(separator: "+")[0], kill.split(separator: "+")[1])
            #expect(second.status == 0 && second.stdout.contains("resuming after epoch \(epochs) and \(steps) steps of epoch"), "\(task): \(second.stdout)")
            #expect(try FileSystem.readFile(killed.file("art/rnn.wma")) == FileSystem.readFile(clean.file("art/rnn.wma")), "\(task): differs after a mid-epoch resume")
        }
    }
}

import ArgumentParser
import CMallocTuning
import Foundation
import WordmillNumerics

// Past a file-size limit (`ulimit -f`) a write should fail with EFBIG, which becomes a clear
// error and a discarded temporary file, rather than SIGXFSZ killing the process mid-write.
signal(SIGXFSZ, SIG_IGN)
BLAS.stopIdleThreads()
// Large buffers (a chunk's text and records, artifact frames, the counter's table) are
// allocated and freed over and over. By default glibc serves them with fresh mmaps and
// returns them on free, so every reuse faults its pages in again (zeroed by the kernel);
// kept in the heap they are reused as they are. gcide's tokenize stage 0.323 → 0.305 s
// (medians of 8 alternating runs); peak RSS of a whole word2vec pipeline 120 → 121 MB.
wordmill_keep_freed_buffers()

/// `--wait` may stand alone (wait as long as it takes) or take seconds; ArgumentParser
/// options need a value, so a bare `--wait` becomes `--wait=1e9` here.
var arguments = Array(CommandLine.arguments.dropFirst())
for (i, a) in arguments.enumerated() where a == "--wait" && (i + 1 == arguments.count || Double(arguments[i + 1]) == nil) {
    arguments[i] = "--wait=1e9"
}
WordmillCommand.main(arguments)

import ArgumentParser
import Foundation

// Past a file-size limit (`ulimit -f`) a write should fail with EFBIG, which becomes a clear
// error and a discarded temporary file, rather than SIGXFSZ killing the process mid-write.
signal(SIGXFSZ, SIG_IGN)

/// `--wait` may stand alone (wait as long as it takes) or take seconds; ArgumentParser
/// options need a value, so a bare `--wait` becomes `--wait=1e9` here.
var arguments = Array(CommandLine.arguments.dropFirst())
for (i, a) in arguments.enumerated() where a == "--wait" && (i + 1 == arguments.count || Double(arguments[i + 1]) == nil) {
    arguments[i] = "--wait=1e9"
}
WordmillCommand.main(arguments)

import Foundation

/// Test hooks for the fault-injection suite, driven by environment variables so that the
/// real binary can be stopped at exact points and killed.
///
/// `WORDMILL_FAULT_STALL=rename:<file name>` makes the process print
/// `wordmill-fault: stalled before rename of <file name>` on standard error and sleep
/// just before an artifact or export with that file name is renamed into place.
enum FaultInjection {
    static func stallIfRequested(before point: String, path: String) {
        guard let spec = ProcessInfo.processInfo.environment["WORDMILL_FAULT_STALL"] else { return }
        let name = FileSystem.baseName(of: path)
        guard spec == "\(point):\(name)" else { return }
        FileHandle.standardError.write(Data("wordmill-fault: stalled before \(point) of \(name)\n".utf8))
        while true { sleep(60) }
    }
}

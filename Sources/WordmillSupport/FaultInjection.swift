import Foundation

/// Test hooks for the fault-injection suite, driven by environment variables so that the
/// real binary can be stopped at exact points and killed.
///
/// `WORDMILL_FAULT_STALL=rename:<file name>` makes the process print
/// `wordmill-fault: stalled before rename of <file name>` on standard error and sleep
/// just before an artifact or export with that file name is renamed into place;
/// `rename:<file name>:<seconds>` pauses that long and goes on.
///
/// `WORDMILL_FAULT_KILL=<point>:<detail>` makes the process send itself SIGKILL when it
/// reaches that point (e.g. `checkpoint:rnn.wma.checkpoint:2`, right after the checkpoint of
/// epoch 2 is in place): a kill -9 at an exact moment.
public enum FaultInjection {
    /// `WORDMILL_FAULT_NAN=<stage>:<epoch>`: the training stage's loss in that epoch is
    /// reported as NaN (as if the weights had diverged). Returns that epoch for `stage`.
    public static func nanEpoch(stage: String) -> Int? {
        guard let spec = ProcessInfo.processInfo.environment["WORDMILL_FAULT_NAN"], spec.hasPrefix(stage + ":") else { return nil }
        return Int(spec.dropFirst(stage.count + 1))
    }

    /// `WORDMILL_FAULT_FAIL_SHARD=<stage>:<I>`: shard I of that stage fails (exit 1) before it
    /// writes anything, as a job array's task on a broken node would.
    public static func shardFails(stage: String, index: Int) -> Bool {
        ProcessInfo.processInfo.environment["WORDMILL_FAULT_FAIL_SHARD"] == "\(stage):\(index)"
    }

    public static func killIfRequested(at point: String) {
        guard let spec = ProcessInfo.processInfo.environment["WORDMILL_FAULT_KILL"], spec == point else { return }
        FileHandle.standardError.write(Data("wordmill-fault: killed at \(point)\n".utf8))
        kill(getpid(), SIGKILL)
    }

    public static func stallIfRequested(before point: String, path: String) {
        guard let spec = ProcessInfo.processInfo.environment["WORDMILL_FAULT_STALL"] else { return }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        // `rename:<name>` stalls for good; `rename:<name>:<seconds>` pauses, then goes on.
        var seconds: UInt32?
        if spec != "\(point):\(name)" {
            guard spec.hasPrefix("\(point):\(name):"), let s = UInt32(spec.dropFirst(point.count + name.count + 2)) else { return }
            seconds = s
        }
        FileHandle.standardError.write(Data("wordmill-fault: stalled before \(point) of \(name)\n".utf8))
        if let seconds { sleep(seconds); return }
        while true { sleep(60) }
    }
}

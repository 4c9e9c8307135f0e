import Foundation
import WordmillArtifacts

/// One run at a time per artifact directory: a kernel `flock` on `.wordmill/lock` that
/// dies with the process (so a killed run leaves no stale lock). The file records who
/// holds it, for the "locked by …" message. Over NFS, `flock` may not be honoured.
/// Shard runs (`--shard I/N`) hold it shared, so a job array's tasks run side by side while
/// a whole run waits for all of them; each also holds its own shard's lock (`name`) alone.
public final class DirectoryLock {
    private let descriptor: Int32
    private let shared: Bool
    public let path: String

    /// Takes the lock `<stateDirectory>/<name>`, exclusive unless `shared`; waits up to
    /// `waitSeconds` (nil: fail at once) before `.locked`.
    public init(stateDirectory: String, specPath: String, waitSeconds: Double?, name: String = "lock", shared: Bool = false) throws(PipelineError) {
        do { try FileSystem.createDirectories(stateDirectory) } catch { throw .inputError(error.description) }
        path = stateDirectory + "/" + name
        self.shared = shared
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw .inputError("\(path): cannot open lock file: \(FileSystem.errnoText())") }
        let deadline = Date().addingTimeInterval(waitSeconds ?? 0)
        while flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = FileSystem.errnoText()
                close(fd)
                throw .inputError("\(path): cannot lock: \(reason)")
            }
            if waitSeconds == nil || Date() >= deadline {
                var holder = (try? FileSystem.readFile(path)).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                if holder.isEmpty, !shared { holder = "shard runs" }
                close(fd)
                let waited = waitSeconds.map { " after waiting \(Int($0)) s" } ?? ""
                throw .locked("\(FileSystem.parent(of: stateDirectory)) is locked by another run\(waited)\(holder.isEmpty ? "" : " (\(holder))"); use --wait to queue behind it")
            }
            usleep(100_000)
        }
        descriptor = fd
        // Shared holders leave the record alone: it names the exclusive holder only.
        if shared { return }
        let info = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(Timestamp.iso8601(Date())), spec \(specPath)\n"
        ftruncate(fd, 0)
        _ = info.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        if !shared { ftruncate(descriptor, 0) }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

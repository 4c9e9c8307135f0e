import Foundation
import Testing
import WordmillSupport

/// The queue that runs `tokenize`'s counting beside the stage: jobs in submission order, at
/// most `limit` waiting, and the first error stopping the rest.
@Suite struct SerialBackgroundQueueTests {
    /// What the jobs record, touched only on the queue's thread (read after `finish`).
    final class Log: @unchecked Sendable { var entries: [Int] = [] }

    struct Failed: Error, Equatable { let job: Int }

    @Test func jobsRunInSubmissionOrder() throws {
        let queue = SerialBackgroundQueue(limit: 2)
        let log = Log()
        for i in 0..<200 {
            queue.submit {
                if i % 7 == 0 { usleep(100) }  // uneven jobs must not overtake one another
                log.entries.append(i)
            }
        }
        try queue.finish()
        #expect(log.entries == Array(0..<200))
    }

    @Test func theFirstErrorSkipsLaterJobsAndIsRethrown() {
        let queue = SerialBackgroundQueue(limit: 3)
        let log = Log()
        for i in 0..<10 {
            queue.submit {
                if i == 4 || i == 6 { throw Failed(job: i) }
                log.entries.append(i)
            }
        }
        #expect(throws: Failed(job: 4)) { try queue.finish() }
        #expect(log.entries == [0, 1, 2, 3])
    }
}

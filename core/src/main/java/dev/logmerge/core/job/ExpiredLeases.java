package dev.logmerge.core.job;

import java.util.List;

/**
 * What a scan for expired leases did: jobs whose worker stopped heartbeating go back to the queue,
 * or fail with {@code worker-lost} once they have used their attempts.
 *
 * @param requeued ids queued again
 * @param failed ids now FAILED
 */
public record ExpiredLeases(List<String> requeued, List<String> failed) {
  public ExpiredLeases {
    requeued = List.copyOf(requeued);
    failed = List.copyOf(failed);
  }

  /** Jobs taken back from their worker, whatever became of them. */
  public int count() {
    return requeued.size() + failed.size();
  }
}

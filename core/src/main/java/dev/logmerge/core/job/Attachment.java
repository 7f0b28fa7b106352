package dev.logmerge.core.job;

/**
 * What a worker is to do with a job once its inputs are listed: merge them, or nothing, because the
 * job got its result from an earlier merge of the same inputs or waits for a job merging them now.
 *
 * @param leaderId the job this one waits for ({@link Kind#FOLLOW}); else null
 * @param job the job as it ended ({@link Kind#CACHED}); else null
 */
public record Attachment(Kind kind, String leaderId, Job job) {
  public enum Kind {
    /** This job merges the inputs (and jobs asking for the same inputs meanwhile will share it). */
    MERGE,
    /** DONE with the result already merged from the same inputs: no merge, no upload. */
    CACHED,
    /** Waits for another job merging the same inputs, and ends as that job does. */
    FOLLOW,
    /** The worker no longer holds the job: do nothing. */
    LOST
  }
}

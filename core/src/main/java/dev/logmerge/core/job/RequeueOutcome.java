package dev.logmerge.core.job;

/** What became of a job its worker handed back. */
public enum RequeueOutcome {
  /** Queued again; some worker will claim it. */
  QUEUED,
  /** It had used all its attempts and is now FAILED. */
  FAILED,
  /** This worker did not hold the job any more (its lease had expired); nothing changed. */
  NOT_HELD
}

package dev.logmerge.merge;

import io.vertx.core.Future;

/** A worker's attempt at one claimed job, of whichever kind. */
interface Attempt {
  /** Runs the job to a recorded outcome; the future never fails. */
  Future<Void> run();

  /**
   * Stops the work and returns the job to the queue; completes once it is handed back (or settled).
   */
  Future<Void> handBack();
}

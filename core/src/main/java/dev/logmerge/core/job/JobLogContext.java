package dev.logmerge.core.job;

import org.slf4j.MDC;

/**
 * Names a job (and the worker running it) in the log lines written while it is open: the {@code
 * job_id} and {@code worker_id} fields of JSON logs ({@code LOG_FORMAT=json}), through SLF4J's MDC.
 * The MDC belongs to the thread, and event loops and merge threads serve many jobs in turn: open it
 * around the log calls (or the task) of one job with try-with-resources, which puts back what the
 * thread had before.
 */
public final class JobLogContext implements AutoCloseable {
  public static final String JOB_ID = "job_id";
  public static final String WORKER_ID = "worker_id";

  private final String previousJob;
  private final String previousWorker;

  private JobLogContext(String jobId, String workerId) {
    previousJob = MDC.get(JOB_ID);
    previousWorker = MDC.get(WORKER_ID);
    put(JOB_ID, jobId);
    put(WORKER_ID, workerId);
  }

  /**
   * Names the job, and the worker unless null, in this thread's log lines until closed.
   *
   * @param workerId null on the http side, where no worker is concerned
   */
  public static JobLogContext open(String jobId, String workerId) {
    return new JobLogContext(jobId, workerId);
  }

  @Override
  public void close() {
    put(JOB_ID, previousJob);
    put(WORKER_ID, previousWorker);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}

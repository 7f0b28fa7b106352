package dev.logmerge.core.job;

import org.slf4j.Logger;

/**
 * A logger for the lines about one job: each line is written inside a {@link JobLogContext}, so
 * JSON logs carry the job (and its worker) as fields, and the thread, which serves other jobs
 * between these lines, is left as it was.
 */
public final class JobLogger {
  private final Logger logger;
  private final String jobId;
  private final String workerId;

  /**
   * @param workerId null on the http side, where no worker is concerned
   */
  public JobLogger(Logger logger, String jobId, String workerId) {
    this.logger = logger;
    this.jobId = jobId;
    this.workerId = workerId;
  }

  public void debug(String format, Object... arguments) {
    if (logger.isDebugEnabled()) {
      try (JobLogContext named = JobLogContext.open(jobId, workerId)) {
        logger.debug(format, arguments);
      }
    }
  }

  public void info(String format, Object... arguments) {
    if (logger.isInfoEnabled()) {
      try (JobLogContext named = JobLogContext.open(jobId, workerId)) {
        logger.info(format, arguments);
      }
    }
  }

  public void warn(String format, Object... arguments) {
    if (logger.isWarnEnabled()) {
      try (JobLogContext named = JobLogContext.open(jobId, workerId)) {
        logger.warn(format, arguments);
      }
    }
  }

  /** As SLF4J's: a throwable after the arguments is logged with its stack trace. */
  public void error(String format, Object... arguments) {
    if (logger.isErrorEnabled()) {
      try (JobLogContext named = JobLogContext.open(jobId, workerId)) {
        logger.error(format, arguments);
      }
    }
  }
}

package dev.logmerge.core.config;

import java.util.Locale;

/** How a logmerge JVM writes its log lines ({@code LOG_FORMAT}). */
public enum LogFormat {
  /** One human-readable line per event: time, level, logger, message. */
  TEXT,
  /**
   * One JSON object per line, for log pipelines: the message, level, logger, thread and time, the
   * JVM's {@code role}, and {@code job_id} / {@code worker_id} where a line concerns a job.
   */
  JSON;

  /** The value as the setting spells it: {@code text}, {@code json}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

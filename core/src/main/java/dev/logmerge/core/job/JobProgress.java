package dev.logmerge.core.job;

import io.vertx.core.json.JsonObject;

/**
 * How far a merge has come. Bytes are raw (possibly compressed) input bytes, so {@code bytesRead}
 * grows towards {@code bytesTotal}.
 */
public record JobProgress(
    int inputsTotal, int inputsDone, long bytesTotal, long bytesRead, long linesWritten) {
  public static final JobProgress NONE = new JobProgress(0, 0, 0, 0, 0);

  /** Percentage of input bytes read, 0 to 100, one decimal. */
  public double percent() {
    if (bytesTotal <= 0) {
      return 0;
    }
    return Math.min(100.0, Math.floor(1000.0 * bytesRead / bytesTotal) / 10.0);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("inputs_total", inputsTotal)
        .put("inputs_done", inputsDone)
        .put("bytes_total", bytesTotal)
        .put("bytes_read", bytesRead)
        .put("lines_written", linesWritten)
        .put("percent", percent());
  }
}

package dev.logmerge.merge.engine;

import java.io.IOException;
import java.io.InputStream;

/**
 * One sorted input of a merge, as raw bytes (possibly gzip-compressed, as {@link #gzip()} says).
 * {@link #open()} may be called more than once (a merge restarts when it meets an unsorted input);
 * each call starts from the first byte.
 */
public interface MergeInput {
  /** A name for logs and errors, e.g. the S3 key. */
  String name();

  /** Size in bytes of the raw (possibly compressed) content, for progress; -1 when unknown. */
  long size();

  /** Whether the raw bytes are gzip-compressed and must be inflated before splitting into lines. */
  boolean gzip();

  /**
   * Opens a blocking stream of the raw bytes. Reads may block while data is fetched; a blocked read
   * must end with {@link java.io.InterruptedIOException} when the merge thread is interrupted.
   */
  InputStream open() throws IOException;
}

package dev.logmerge.merge.engine;

import java.io.IOException;
import java.io.InputStream;

/**
 * One sorted input of a merge, as raw bytes, encoded as {@link #compression()} says. {@link
 * #open()} may be called more than once (a merge restarts when it meets an unsorted input); each
 * call starts from the first byte.
 */
public interface MergeInput {
  /** A name for logs and errors, e.g. the S3 key. */
  String name();

  /** Size in bytes of the raw (still encoded) content, for progress; -1 when unknown. */
  long size();

  /** How the raw bytes are encoded; they are decoded before being split into lines. */
  Compression compression();

  /**
   * Opens a blocking stream of the raw bytes. Reads may block while data is fetched; a blocked read
   * must end with {@link java.io.InterruptedIOException} when the merge thread is interrupted.
   */
  InputStream open() throws IOException;
}

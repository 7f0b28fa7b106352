package dev.logmerge.merge.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local disk a merge in passes needs under its spill directory (about the inputs' decompressed
 * size, for its first pass's runs), and failures that say so when it is missing.
 */
final class SpillSpace {
  private SpillSpace() {}

  /**
   * Fails at once when the spill directory cannot hold even the inputs' raw size, a lower bound of
   * what their runs take (compressed inputs take more), instead of failing after reading most of
   * them.
   *
   * @param rawBytes the inputs' raw size, or less when some sizes are unknown
   */
  static void requireAtLeast(Path spillDirectory, long rawBytes, int inputs) throws IOException {
    long usable = usableBytes(spillDirectory);
    if (usable >= 0 && usable < rawBytes) {
      throw new IOException(
          "not enough disk under SPILL_DIR "
              + spillDirectory
              + ": merging "
              + inputs
              + " inputs in passes writes runs of their decompressed size, at least "
              + rawBytes
              + " bytes, and "
              + usable
              + " are free");
    }
  }

  /** A failed write of a run file, with the room left beside it (a full disk says so). */
  static IOException writeFailed(Path spillDirectory, Path file, IOException cause) {
    return new IOException(
        "cannot write run file "
            + file
            + " under SPILL_DIR ("
            + usableBytes(spillDirectory)
            + " bytes free; a merge in passes needs about its inputs' decompressed size there): "
            + cause.getMessage(),
        cause);
  }

  /** Free bytes for this JVM under {@code directory}; -1 when the file system does not say. */
  private static long usableBytes(Path directory) {
    try {
      return Files.getFileStore(directory).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}

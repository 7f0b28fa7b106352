package dev.logmerge.loggen;

/**
 * Hears about each file as it is finished; called from the writing threads, so it must be
 * thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = file -> {};

  void fileWritten(GeneratedFile file);
}

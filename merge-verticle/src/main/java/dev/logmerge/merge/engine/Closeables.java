package dev.logmerge.merge.engine;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes groups of resources so that one failing close neither skips the others nor hides a
 * failure.
 */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes every resource; throws the first failure after all were tried, later ones suppressed.
   */
  static void closeAll(Iterable<? extends Closeable> resources) throws IOException {
    IOException first = null;
    for (Closeable resource : resources) {
      try {
        resource.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Closes every resource while {@code failure} is on its way out; close failures are added to it.
   */
  public static void closeAllAfter(Throwable failure, Iterable<? extends Closeable> resources) {
    for (Closeable resource : resources) {
      try {
        resource.close();
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }
}

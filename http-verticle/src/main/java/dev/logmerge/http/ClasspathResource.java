package dev.logmerge.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files this module ships on the class path, read whole (they are small). Blocks. */
final class ClasspathResource {
  private ClasspathResource() {}

  /**
   * @throws IllegalStateException when there is no such resource
   */
  static byte[] read(String name) {
    try (InputStream in = ClasspathResource.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}

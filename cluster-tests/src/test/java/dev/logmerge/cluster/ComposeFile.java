package dev.logmerge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's {@code docker-compose.yml}: what the Docker tests start, and the image releases
 * it pins, so that tests starting single containers run the same MinIO and Redis as the stack.
 */
final class ComposeFile {
  private ComposeFile() {}

  static Path path() {
    Path file =
        Path.of(System.getProperty("logmerge.compose.file", "../docker-compose.yml"))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no compose file at " + file);
    }
    return file;
  }

  /** The image the compose file names for a repository, e.g. {@code redis:7.2.5-alpine}. */
  static String image(String repository) {
    try {
      Matcher pinned =
          Pattern.compile("(?m)^\\s*image:\\s*(" + Pattern.quote(repository) + ":\\S+)\\s*$")
              .matcher(Files.readString(path()));
      if (!pinned.find()) {
        throw new IllegalStateException(path() + " names no image of " + repository);
      }
      return pinned.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

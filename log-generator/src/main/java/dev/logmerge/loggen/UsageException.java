package dev.logmerge.loggen;

/** A command line that cannot be run; the message is one line that names the flag at fault. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}

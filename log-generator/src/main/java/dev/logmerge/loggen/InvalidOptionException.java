package dev.logmerge.loggen;

/**
 * An option value that cannot make a valid run; {@link #option()} names the {@link
 * GeneratorOptions} component.
 */
public final class InvalidOptionException extends IllegalArgumentException {
  private final String option;
  private final String problem;

  public InvalidOptionException(String option, String problem) {
    super(option + " " + problem);
    this.option = option;
    this.problem = problem;
  }

  /** The record component at fault, e.g. {@code "days"}. */
  public String option() {
    return option;
  }

  /** What is wrong with it, without its name, e.g. {@code "must be at least 1, was 0"}. */
  public String problem() {
    return problem;
  }
}

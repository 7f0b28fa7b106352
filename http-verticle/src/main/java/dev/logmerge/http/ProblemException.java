package dev.logmerge.http;

/**
 * Carries a {@link Problem} through failed futures and {@code RoutingContext.fail} to the failure
 * handler. No stack trace: these are expected answers, not defects.
 */
public final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.type().uri() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}

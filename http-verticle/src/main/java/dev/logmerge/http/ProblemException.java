package dev.logmerge.http;

/**
 * Carries a {@link Problem} through failed futures and {@code RoutingContext.fail} to the failure
 * handler. No stack trace: these are expected answers, not defects.
 */
final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  ProblemException(Problem problem) {
    super(problem.type().uri() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}

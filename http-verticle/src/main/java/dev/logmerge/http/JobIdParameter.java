package dev.logmerge.http;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobKind;
import dev.logmerge.core.job.JobStore;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Reads the job id of a request, from the path ({@code /status/{id}}) or the query ({@code ?id=}).
 */
final class JobIdParameter {
  static final String NAME = "id";
  private static final String EXPECTED =
      "expected a download id (a lowercase UUID such as 3f1c9a52-7d4e-4b8a-9c0d-2e6f8a1b5c7d)";

  private JobIdParameter() {}

  /** The id in the path; a malformed one fails with a 400 problem. */
  static String fromPath(RoutingContext ctx) {
    return checked(ctx.pathParam(NAME));
  }

  /**
   * The one {@code id} query parameter; a missing, repeated or malformed one fails with a 400
   * problem.
   */
  static String fromQuery(RoutingContext ctx) {
    List<String> values = ctx.queryParam(NAME);
    if (values.size() != 1) {
      String got = values.isEmpty() ? "no id parameter" : values.size() + " id parameters";
      throw Problem.of(
              ProblemType.INVALID_REQUEST,
              NAME + ": " + EXPECTED + " as the query parameter ?id=, got " + got)
          .toException();
    }
    return checked(values.get(0));
  }

  /**
   * The answer for a well-formed id whose job {@link JobStore#find} does not know: never created,
   * or expired.
   */
  static ProblemException unknown(String id) {
    return Problem.of(ProblemType.JOB_NOT_FOUND, "no job with id " + id + " (unknown, or expired)")
        .toException();
  }

  /**
   * The merge job that a {@code /download} id names. A statistics job has no download: it is
   * answered as an unknown id is (404), saying so.
   *
   * @param found what {@link JobStore#find} found for the id
   */
  static Job download(String id, Optional<Job> found) {
    Job job = found.orElseThrow(() -> unknown(id));
    if (job.kind() != JobKind.MERGE) {
      throw Problem.of(
              ProblemType.JOB_NOT_FOUND,
              "job "
                  + id
                  + " is a "
                  + job.kind().code()
                  + " job, not a download: it has no file; its state is at /status/"
                  + id)
          .toException();
    }
    return job;
  }

  private static String checked(String id) {
    if (!JobIds.isValid(id)) {
      throw Problem.of(
              ProblemType.INVALID_REQUEST,
              NAME + ": " + EXPECTED + ", got " + ClientValue.quote(id))
          .toException();
    }
    return id;
  }
}

package dev.logmerge.merge;

import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.config.JobPolicy;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RedisEndpoints;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.s3.RequestRetries;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.merge.s3.InputReadSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A merge worker with {@code MERGE_SLOTS} slots. It claims queued jobs from Redis whenever a slot
 * is free: when woken by a message on {@link Addresses#JOB_QUEUED}, and on a periodic scan (so a
 * lost message only delays a job). The same scan returns jobs whose worker died to the queue. On
 * undeploy it stops claiming and hands its running jobs back at once, so another worker picks them
 * up without waiting for the lease to expire.
 */
public final class MergeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MergeVerticle.class);

  /** How long undeploy waits for running merges to stop and be handed back. */
  private static final long STOP_TIMEOUT_MS = 15_000;

  private final LogmergeConfig config;
  private final S3AsyncClient s3;
  private final String workerId;
  private final LogmergeMeters meters;
  private final Map<String, Attempt> running = new HashMap<>();
  private JobStore jobs;
  private WorkerExecutor mergeThreads;
  private S3Merger merger;
  private RecentResults recentResults;
  private MessageConsumer<String> wakeUps;
  private long scanTimer = -1;
  private long statsScanTimer = -1;
  private StatsIndexer indexer;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopping;

  /**
   * @param s3 the JVM's client for merges, from {@link #createS3Client}
   * @param meters where the worker's jobs, merges and Redis calls are counted
   */
  public MergeVerticle(LogmergeConfig config, S3AsyncClient s3, LogmergeMeters meters) {
    this.config = config;
    this.s3 = s3;
    this.meters = meters;
    this.workerId = workerName();
  }

  /**
   * The S3 client a merge JVM shares between its jobs, with a connection for each input a job
   * streams. Build one per JVM and close it after the verticle is undeployed.
   */
  public static S3AsyncClient createS3Client(LogmergeConfig config) {
    return S3ClientFactory.create(
        config, InputReadSettings.s3ConnectionsFor(config.mergeSlots()), RequestRetries.DEFAULT);
  }

  @Override
  public Future<?> start() {
    JobPolicy policy = config.jobs();
    jobs = JobStore.connect(vertx, RedisEndpoints.of(config), config.redisCalls(), policy, meters);
    // merges are long CPU- and IO-bound loops: they get threads of their own, never an event loop
    mergeThreads =
        vertx.createSharedWorkerExecutor(
            "logmerge-merge-" + workerId, config.mergeSlots(), 7, TimeUnit.DAYS);
    merger = new S3Merger(vertx, config, s3, meters::partUploaded);
    recentResults = new RecentResults(merger::holds);
    wakeUps = vertx.eventBus().consumer(Addresses.JOB_QUEUED, message -> fillSlots());
    return Future.all(merger.prepareResultsBucket(), wakeUps.completion())
        .onSuccess(
            ready -> {
              scanTimer = vertx.setPeriodic(policy.scanInterval().toMillis(), tick -> scan());
              indexer =
                  new StatsIndexer(
                      vertx, jobs.stats(), merger, workerId, config.statsScanInterval());
              statsScanTimer =
                  vertx.setPeriodic(
                      config.statsScanInterval().toMillis(), tick -> scanStatistics());
              meters.mergeSlotsAdded(config.mergeSlots());
              LOG.info("merge worker {} ready with {} slots", workerId, config.mergeSlots());
              fillSlots();
            });
  }

  /** Claims jobs until every slot is busy or the queue is empty. */
  private void fillSlots() {
    if (stopping || running.size() >= config.mergeSlots()) {
      return;
    }
    if (claiming) {
      // one claim in flight at a time; a wake-up meanwhile may concern a job that claim missed
      claimAgain = true;
      return;
    }
    claiming = true;
    claimAgain = false;
    jobs.claim(workerId)
        .onComplete(
            claimed -> {
              claiming = false;
              if (claimed.failed()) {
                if (stopping) {
                  return; // the store closed under an in-flight claim; nothing was claimed
                }
                LOG.warn(
                    "worker {} could not claim a job: {}", workerId, claimed.cause().getMessage());
              } else if (claimed.result().isPresent()) {
                run(claimed.result().get());
              } else if (claimAgain) {
                fillSlots();
              }
            });
  }

  private void run(Job job) {
    if (stopping) {
      jobs.release(job.id(), workerId);
      return;
    }
    Attempt attempt =
        switch (job.kind()) {
          case MERGE ->
              new MergeAttempt(
                  job, workerId, vertx, jobs, mergeThreads, merger, recentResults, meters);
          case STATS -> new StatsAttempt(job, workerId, vertx, jobs, mergeThreads, merger, meters);
        };
    running.put(job.id(), attempt);
    meters.mergeSlotsBusy(1);
    attempt
        .run()
        .onComplete(
            done -> {
              running.remove(job.id());
              meters.mergeSlotsBusy(-1);
              fillSlots();
            });
    // a slot may still be free: claim the next job
    fillSlots();
  }

  /**
   * The periodic scan: take back expired leases (waking every worker for them), then look for work.
   */
  private void scan() {
    jobs.requeueExpired()
        .onSuccess(
            expired -> {
              meters.leasesExpired(expired.count());
              expired
                  .requeued()
                  .forEach(
                      id -> {
                        LOG.info("job {} requeued: its worker's lease expired", id);
                        vertx.eventBus().publish(Addresses.JOB_QUEUED, id);
                      });
              expired
                  .failed()
                  .forEach(
                      id -> {
                        LOG.info("job {} FAILED (worker-lost): out of attempts", id);
                        meters.jobFinished(JobState.FAILED, FailureCode.WORKER_LOST, null);
                      });
            })
        .onFailure(
            error ->
                LOG.warn(
                    "worker {} could not scan for expired leases: {}",
                    workerId,
                    error.getMessage()));
    fillSlots();
  }

  /** The periodic statistics scan; one worker of the cluster at a time does the work. */
  private void scanStatistics() {
    indexer
        .scan()
        .onFailure(
            error ->
                LOG.warn(
                    "worker {} could not scan for changed log files: {}",
                    workerId,
                    error.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(statsScanTimer);
    if (vertx.cancelTimer(scanTimer)) {
      // it had started: its slots were counted
      meters.mergeSlotsAdded(-config.mergeSlots());
    }
    List<Future<Void>> handBacks = new ArrayList<>();
    for (Attempt attempt : running.values()) {
      handBacks.add(attempt.handBack());
    }
    if (!handBacks.isEmpty()) {
      LOG.info(
          "worker {} stopping: handing {} running job(s) back to the queue",
          workerId,
          handBacks.size());
    }
    return Future.join(handBacks)
        .timeout(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .eventually(() -> wakeUps.unregister())
        .eventually(() -> mergeThreads.close())
        .eventually(
            () -> {
              jobs.close();
              return Future.succeededFuture();
            });
  }

  private static String workerName() {
    // "pid@host" from the runtime, plus a suffix so two verticles in one JVM differ
    String runtime = ManagementFactory.getRuntimeMXBean().getName();
    return runtime + "/" + UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.logmerge.core.job;

/**
 * How many jobs wait and run, read in one round trip.
 *
 * @param queued ids in {@code jobs:queued}: waiting to be claimed, a retry's backoff included
 * @param running ids in {@code jobs:running}: held under a lease by some worker
 */
public record QueueDepths(long queued, long running) {}

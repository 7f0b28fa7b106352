package dev.logmerge.http;

/** The handlers of the statistics routes, for {@link ApiRoutes}. */
record StatsHandlers(CustomerStatsHandler customer, StatsDayHandler day, ReindexHandler reindex) {}
